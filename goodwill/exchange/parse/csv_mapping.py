"""Map CSV column headers to contact fields, for the layouts of common address books.

Known layouts: Google Contacts (old "Given Name…" and new "First Name…"), Outlook (English and
German), Apple/iCloud, Thunderbird, Yahoo, Windows Address Book, HubSpot, Mailchimp, and
generic names, and goodwill's own export (its "Goodwill Roles", "Goodwill Interests",
"Goodwill Dislikes" and "Goodwill Tags" columns; its "Labels" repeat the roles, interests and
tags and are not read). A column called "Tags" (Mailchimp's "TAGS") holds tags, the business's
own labels; categories, labels, groups and interests go where the import's categories option
says.
An address in one cell, Google's "Address 1 - Formatted" (or a column called "Formatted Address"
or "Full Address"), is read only when the row has no part of that address in its own column.
goodwill's "Goodwill Event Kinds" tell which of its events are custom dates.
Generic headers that give an email or phone column its type, "Email (work)", "Phone (mobile)",
"Telephone (work)", "Email address (personal)", "Home e-mail 2", label its values with the type.
Headers are compared case-, accent-, space- and punctuation-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from goodwill.exchange.parse.records import ImportFileError
from goodwill.people.normalize import fold

NAME_FIELDS = (
    "given_name",
    "family_name",
    "additional_name",
    "preferred_name",
    "full_name",
    "organisation",
    "job_title",
    "note",
)
ADDRESS_FIELDS = ("street", "locality", "region", "postal_code", "country")
FORMATTED_ADDRESS = "formatted_address"  # the whole address in one cell, read into its parts
TEXT_FIELDS = (*NAME_FIELDS, "language", "time_zone")  # one value each, the first one kept
LIST_FIELDS = ("roles", "dislikes", "tags")  # values separated like categories
FIELDS = frozenset(
    (
        *TEXT_FIELDS,
        *ADDRESS_FIELDS,
        FORMATTED_ADDRESS,
        *LIST_FIELDS,
        "email",
        "phone",
        "categories",
        "birthday",
        "anniversary",
        "birth_year",
        "birth_month",
        "birth_day",
        "email_label",
        "phone_label",
        "event",
        "event_label",
        "event_kinds",
        "ignore",
    )
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a column goes: a field, a label (home, work, mobile…) and a group key that pairs
    Google's "E-mail 1 - Type" with "E-mail 1 - Value" and keeps home and work addresses apart."""

    field: str
    label: str = ""
    group: str = ""


def _table() -> dict[str, Target]:
    table: dict[str, Target] = {}

    def put(field: str, label: str, *keys: str) -> None:
        for key in keys:
            table[key] = Target(field, label, label)

    put("given_name", "", "firstname", "givenname", "first", "vorname", "forename")
    put("family_name", "", "lastname", "familyname", "last", "surname", "nachname")
    put("additional_name", "", "middlename", "additionalname", "middle", "weiterevornamen")
    put("preferred_name", "", "nickname", "preferredname", "spitzname")
    put("full_name", "", "name", "fullname", "displayname", "formattedname", "contactname")
    put("organisation", "", "company", "companyname", "organization", "organisation")
    put("organisation", "", "organizationname", "organization1name", "firma", "employer")
    put("job_title", "", "jobtitle", "position", "organizationtitle", "organization1title")
    put("note", "", "notes", "note", "comments", "comment", "notizen", "description")
    put("categories", "", "categories", "category", "interests", "interest")
    put("categories", "", "groupmembership", "labels", "kategorien", "groups", "group")
    put("birthday", "", "birthday", "geburtstag", "dateofbirth", "birthdate", "dob", "bday")
    put("anniversary", "", "anniversary", "jahrestag", "weddinganniversary")
    put("birth_year", "", "birthyear")
    put("birth_month", "", "birthmonth")
    put("language", "", "language", "preferredlanguage", "sprache")
    put("time_zone", "", "timezone", "tz")
    put("roles", "", "goodwillroles", "roles")
    put("categories", "", "goodwillinterests")
    put("dislikes", "", "goodwilldislikes", "dislikes")
    put("tags", "", "goodwilltags", "tags", "tag")
    put("event_kinds", "", "goodwilleventkinds")
    put("email", "", "email", "emailaddress", "primaryemail", "emailadresse", "mail")
    put("email", "", "secondaryemail", "alternateemail1", "alternateemail2", "email2address")
    put("email", "", "email3address", "email2adresse", "email3adresse", "emails")
    put("email", "work", "workemail", "businessemail")
    put("email", "home", "homeemail", "personalemail", "privateemail")
    put("email", "other", "otheremail")
    put("phone", "", "phone", "telephone", "tel", "phonenumber", "primaryphone", "primary")
    put("phone", "", "telefon", "telefonnummer", "telephonenumber", "telefono", "telefone")
    put("phone", "mobile", "mobil", "mobilnummer", "handynummer", "portable", "movil", "cellulare")
    put("phone", "main", "haupttelefon", "companymainphone", "telefonfirma")
    put("phone", "mobile", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone")
    put("phone", "mobile", "mobiltelefon", "mobilephonenumber", "handy", "mobiltelefon2")
    put("phone", "home", "homephone", "home", "homephone2", "telefonprivat", "telefonprivat2")
    put("phone", "work", "workphone", "businessphone", "businessphone2", "work")
    put("phone", "work", "telefongeschaftlich", "telefongeschaftlich2", "workphonenumber")
    put("phone", "other", "otherphone", "weiterestelefon", "other")
    put("phone", "fax", "fax", "faxnumber", "businessfax", "homefax", "otherfax")
    put("phone", "fax", "faxgeschaftlich", "faxprivat", "weiteresfax")
    put("phone", "pager", "pager", "pagernumber")
    for label, prefixes in (
        ("home", ("home", "privat")),
        ("work", ("business", "work", "geschaftlich")),
        ("other", ("other", "weitere", "weiterer", "weiteres", "weiterese", "weiteresr")),
        ("", ("",)),
    ):
        for prefix in prefixes:
            keys = {
                "street": ("street", "address", "streetaddress", "strasse", "address1"),
                "locality": ("city", "town", "ort", "locality"),
                "region": ("state", "region", "county", "province", "stateregion")
                + ("bundeslandkanton",),
                "postal_code": ("postalcode", "zipcode", "zip", "postcode", "postleitzahl"),
                "country": ("country", "countryregion", "landregion"),
                FORMATTED_ADDRESS: ("formattedaddress", "addressformatted", "fulladdress"),
            }
            for field, names in keys.items():
                for name in names:
                    put(field, label, prefix + name, name + prefix)
    # "Title" is an honorific in Outlook but a job title in Yahoo; German Outlook's "Ort" is
    # the office location, not the city. Both stay unmapped unless the user maps them.
    for ignored in ("title", "ort"):
        table.pop(ignored, None)
    return table


_TABLE = _table()

# Generic typed columns, "Email (work)", "E-mail (home)", "Phone (mobile)", "Telephone (work)",
# "Email address (personal)", "Work telephone 2": an email or phone column's word and its type,
# in either order, numbered or not. The type becomes the value's label, as the layouts above
# label theirs; a column a layout names keeps that layout's meaning.
_TYPED_WORDS = {
    "email": ("email", "emailaddress", "mail", "mailaddress", "emailadresse"),
    "phone": (
        "phone",
        "phonenumber",
        "telephone",
        "telephonenumber",
        "tel",
        "telefon",
        "telefonnummer",
    ),
}
_TYPES = {
    "work": ("work", "business", "office", "geschaftlich", "dienstlich", "arbeit", "buro"),
    "home": ("home", "personal", "private", "privat", "personlich", "zuhause"),
    "other": ("other", "weitere", "weiteres", "andere"),
    "mobile": ("mobile", "cell", "cellular", "mobil", "handy"),
    "fax": ("fax", "telefax"),
    "pager": ("pager",),
    "main": ("main", "haupt"),
}
_EMAIL_TYPES = ("work", "home", "other")  # an email address is not a mobile or a fax


def _typed() -> dict[str, Target]:
    typed: dict[str, Target] = {}
    for field, words in _TYPED_WORDS.items():
        for label, types in _TYPES.items():
            if field == "email" and label not in _EMAIL_TYPES:
                continue
            for word in words:
                for kind in types:
                    typed[word + kind] = typed[kind + word] = Target(field, label, label)
    return typed


_TYPED = _typed()
_NUMBERED = (
    (re.compile(r"email(\d+)value"), "email"),
    (re.compile(r"email(\d+)(?:type|label)"), "email_label"),
    (re.compile(r"phone(\d+)value"), "phone"),
    (re.compile(r"phone(\d+)(?:type|label)"), "phone_label"),
    (re.compile(r"event(\d+)value"), "event"),
    (re.compile(r"event(\d+)(?:type|label)"), "event_label"),
)
_GOOGLE_ADDRESS = re.compile(r"address(\d+)(street|city|region|postalcode|country|formatted)")
_GOOGLE_ADDRESS_FIELD = {
    "formatted": FORMATTED_ADDRESS,
    "street": "street",
    "city": "locality",
    "region": "region",
    "postalcode": "postal_code",
    "country": "country",
}


def is_goodwill_export(headers: list[str]) -> bool:
    """Whether the header is goodwill's own CSV export's (it has "Goodwill Interests")."""
    return any(header_key(h) == "goodwillinterests" for h in headers)


def header_key(header: str) -> str:
    """The comparison key of a header: "E-mail 1 - Value" -> "email1value"."""
    return re.sub(r"[^a-z0-9]", "", fold(header))


# Mailchimp's audience export (known by its member ids) places each subscriber by the address
# they signed up from: its region, country code, time zone and coordinates are a guess from an
# IP address, not what the person told the business. Their one-cell "Address" is theirs.
_MAILCHIMP = frozenset(("leid", "euid"))
_MAILCHIMP_GUESSES = frozenset(
    ("region", "cc", "timezone", "latitude", "longitude", "gmtoff", "dstoff")
)


def auto_mapping(headers: list[str]) -> list[Target | None]:
    """For each column, where its values go (None: unmapped, kept in ``extra``)."""
    keys = [header_key(h) for h in headers]
    mailchimp = set(keys) >= _MAILCHIMP
    # Thunderbird splits the birthday into "Birth Year", "Birth Month" and "Birth Day".
    split_birthday = "birthyear" in keys and "birthmonth" in keys
    # goodwill's "Labels" are its role names and likes, which its own columns hold apart.
    goodwill = is_goodwill_export(headers)
    mapping: list[Target | None] = []
    for key in keys:
        if split_birthday and key == "birthday":
            mapping.append(Target("birth_day"))
        elif (goodwill and key == "labels") or (mailchimp and key in _MAILCHIMP_GUESSES):
            mapping.append(Target("ignore"))
        else:
            mapping.append(_guess(key))
    return mapping


def _guess(key: str) -> Target | None:
    if not key:
        return None
    for pattern, field in _NUMBERED:
        if match := pattern.fullmatch(key):
            return Target(field, "", match[1])
    if match := _GOOGLE_ADDRESS.fullmatch(key):
        return Target(_GOOGLE_ADDRESS_FIELD[match[2]], "", match[1])
    return _TABLE.get(key) or _TYPED.get(re.sub(r"\d+", "", key))


def apply_overrides(
    headers: list[str], mapping: list[Target | None], overrides: dict[str, str]
) -> list[Target | None]:
    """The mapping with ``--map COLUMN=FIELD[:LABEL]`` choices applied ("ignore" drops a
    column); ImportFileError for an unknown column or field."""
    result = list(mapping)
    for column, choice in overrides.items():
        index = _column(headers, column)
        field, _sep, label = choice.strip().partition(":")
        if field not in FIELDS:
            raise ImportFileError(
                _("Unknown field %(f)r; choose one of %(all)s.")
                % {"f": field, "all": ", ".join(sorted(FIELDS))}
            )
        result[index] = Target(field, label, label)
    return result


def column_name(headers: list[str], index: int) -> str:
    """A column's name as the mapping step, the notes and ``--map`` know it: its header, or
    "Column N" (counted from 1) when the header row leaves it blank ("Column N (no header)"
    when another column's header is "Column N")."""
    if headers[index].strip():
        return headers[index]
    name = _("Column %(n)d") % {"n": index + 1}
    if any(h.strip() == name for h in headers):
        name = _("Column %(n)d (no header)") % {"n": index + 1}
    return name


def _column(headers: list[str], column: str) -> int:
    """The index of the column named ``column``: as the file spells it, else the one column
    whose name reads the same ("e-mail" for "E-mail"; with "Email" and "E-mail" both in the
    file, only the exact name says which)."""
    stripped = [h.strip() for h in headers]
    for names, name in ((headers, column), (stripped, column.strip())):
        if name in names:
            return names.index(name)
    alike = [i for i, h in enumerate(headers) if header_key(h) == header_key(column)]
    if len(alike) == 1:
        return alike[0]
    if alike:
        raise ImportFileError(
            _("%(c)r could be any of the columns %(names)s; name it as the file does.")
            % {"c": column, "names": ", ".join(repr(headers[i]) for i in alike)}
        )
    for i, h in enumerate(headers):
        if not h.strip() and column.strip() == column_name(headers, i):
            return i
    raise ImportFileError(_("There is no column %(c)r.") % {"c": column})


def describe(headers: list[str], mapping: list[Target | None]) -> dict[str, str]:
    """{column: "field" or "field:label" or ""} for the mapping step to show and confirm."""
    out: dict[str, str] = {}
    for i, target in enumerate(mapping):
        name = column_name(headers, i)
        if target is None:
            out[name] = ""
        else:
            out[name] = f"{target.field}:{target.label}" if target.label else target.field
    return out
