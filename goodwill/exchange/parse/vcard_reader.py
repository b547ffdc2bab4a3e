"""Read contacts from vCard 2.1, 3.0 and 4.0 files, lazily, one record per card.

Lines are unfolded and split in vcard_lines (vobject parses each line's name, group and
parameters); this module turns a card's properties into a ContactRecord. A card that cannot
be read (no END:VCARD, no name) becomes a RowError at its BEGIN line, and one with bytes that
are not text in the file's encoding (U+FFFD once decoded) a RowError at the line that holds
them; an impossible BDAY is left out and noted in the record's ``dropped``. goodwill's own
cards round-trip: LANG, TZ, ``X-GOODWILL-ROLE``, ``X-GOODWILL-DISLIKE`` and
``X-ABDATE;X-GOODWILL-KIND=custom`` are read back as they were written (the importer checks
them), an ``X-ABDATE`` marked ``X-GOODWILL-LABEL=default`` (its label is only goodwill's name
of its kind) has no label, and list values (CATEGORIES, NICKNAME) are split only at the commas
that are not escaped (``rock\\, paper`` is one interest; but see ``_categories`` for
Thunderbird's CATEGORIES).
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from typing import TextIO

from django.utils.translation import gettext as _

from goodwill.exchange.parse.dates import parse_vcard_date
from goodwill.exchange.parse.records import (
    Address,
    ContactRecord,
    RowError,
    YearlyDate,
    is_system_group,
)
from goodwill.exchange.parse.vcard_lines import Prop, logical_lines, parse_prop, physical_lines

ANNIVERSARY_PROPS = frozenset(
    {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
)
# Android's contact_event types (ContactsContract.CommonDataKinds.Event).
ANDROID_EVENTS = {"1": "Anniversary", "2": "Other", "3": "Birthday"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_UNESCAPED = {"n": "\n", "N": "\n"}
# One value of a list (CATEGORIES, NICKNAME): a run of escaped characters and of characters
# other than the comma that separates the values (and a lone backslash, which escapes nothing).
_LIST_VALUE = re.compile(r"(?:\\.|\\\Z|[^\\,])+", re.DOTALL)
# A comma that separates list values: not escaped (after an even number of backslashes).
_SEPARATOR = re.compile(r"(?<!\\)(?:\\\\)*,")
OWN_PROPS = frozenset({"LANG", "TZ", "X-GOODWILL-ROLE", "X-GOODWILL-DISLIKE"})
# The property each field comes from, for messages about a card ("TEL": a phone left out).
COLUMNS = {
    **dict.fromkeys(("given_name", "family_name", "additional_name"), "N"),
    **dict.fromkeys(("street", "locality", "region", "postal_code", "country"), "ADR"),
    "full_name": "FN",
    "preferred_name": "NICKNAME",
    "email": "EMAIL",
    "phone": "TEL",
    "organisation": "ORG",
    "job_title": "TITLE",
    "note": "NOTE",
    "categories": "CATEGORIES",
    "birthday": "BDAY",
    "anniversary": "ANNIVERSARY",
    "language": "LANG",
    "time_zone": "TZ",
    "roles": "X-GOODWILL-ROLE",
    "dislikes": "X-GOODWILL-DISLIKE",
}
# TYPE values that are no label a person gave (the importer drops these too), and the
# properties whose preferred (PREF) value comes first.
_NOT_LABELS = frozenset({"pref", "internet", "x400", "smtp", "voice", "text", "video", "msg"})
_PREFERRED_FIRST = ("EMAIL", "TEL", "ADR", "LANG")


def read_vcard(stream: TextIO) -> Iterator[ContactRecord | RowError]:
    """Every card of ``stream`` as a ContactRecord or RowError (groups are skipped)."""
    begin: int | None = None
    props: list[tuple[int, str]] = []
    stray = False
    for number, text in logical_lines(physical_lines(stream)):
        keyword = text.strip().upper()
        if keyword == "BEGIN:VCARD":
            if begin is not None:
                yield _no_end(begin)
            begin, props, stray = number, [], False
        elif keyword == "END:VCARD" and begin is not None:
            result = card_record(begin, props)
            if result is not None:
                yield result
            begin, props = None, []
        elif begin is not None:
            props.append((number, text))
        elif not stray:
            stray = True
            yield RowError(number, "", _("This line is not inside a BEGIN:VCARD … END:VCARD card."))
    if begin is not None:
        yield _no_end(begin)


def _no_end(begin: int) -> RowError:
    return RowError(
        begin, "", _("The card that begins on line %(n)d has no END:VCARD.") % {"n": begin}
    )


def card_record(begin: int, lines: list[tuple[int, str]]) -> ContactRecord | RowError | None:
    """The record of one card's content lines; None for a contact group (not a person)."""
    damaged = next(((n, t) for n, t in lines if "\ufffd" in t), None)
    if damaged is not None:
        number, text = damaged
        prop = parse_prop(number, text)
        return RowError(
            number, prop.name if prop else "", _("The row has bytes that are not text.")
        )
    props = [p for p in (parse_prop(n, t) for n, t in lines) if p is not None]
    labels = {p.group: _label_text(p.value) for p in props if p.name == "X-ABLABEL" and p.group}
    # Preferred (pref) emails, phones and addresses come first: the first one is the primary.
    props.sort(key=lambda p: "pref" not in p.types or p.name not in _PREFERRED_FIRST)
    record = ContactRecord(line=begin, columns=COLUMNS)
    legacy = not any(p.name == "VERSION" and p.value.strip().startswith("4") for p in props)
    # With grouped organisations (``org2.ORG``, ``org2.TITLE``) the title is the first one's.
    org_group = next((p.group for p in props if p.name == "ORG"), "")
    for prop in props:
        if prop.name == "TITLE" and org_group and prop.group and prop.group != org_group:
            continue
        if prop.name in ("X-ADDRESSBOOKSERVER-KIND", "KIND") and prop.value.lower() == "group":
            return None
        if _is_organisation(prop):
            record.is_organisation = True
        _apply(record, prop, labels.get(prop.group, ""), legacy=legacy)
    if not record.has_content():
        return RowError(begin, "", _("The card has no name, email, phone or company."))
    return record


def _apply(record: ContactRecord, prop: Prop, group_label: str, *, legacy: bool) -> None:
    name = prop.name
    value = _decoded(prop)
    if name == "N":
        parts = [_join_list(p) for p in _components(value)] + [""] * 5
        record.family_name, record.given_name, record.additional_name = parts[:3]
    elif name == "FN":
        record.full_name = record.full_name or _unescape(value).strip()
    elif name == "NICKNAME":
        record.preferred_name = record.preferred_name or next(
            (v for v in _list_values(value) if v), ""
        )
    elif name == "EMAIL":
        _add_email(record, prop, _unescape(value).strip(), group_label)
    elif name == "TEL":
        _add_phone(record, prop, _unescape(value).strip(), group_label)
    elif name == "ADR":
        _set_address(record, prop, value)
    elif name == "ORG":
        record.organisation = record.organisation or _unescape(_components(value)[0]).strip()
    elif name == "TITLE":
        record.job_title = record.job_title or _unescape(value).strip()
    elif name == "NOTE":
        note = _unescape(value).strip()
        record.note = f"{record.note}\n{note}" if record.note and note else record.note or note
    elif name == "CATEGORIES":
        for part in _categories(value, legacy=legacy):
            if part and not is_system_group(part) and part not in record.categories:
                record.categories.append(part)
    elif name in OWN_PROPS:
        _apply_own(record, name, _unescape(value).strip())
    else:
        _apply_date(record, prop, value, group_label)


def _is_organisation(prop: Prop) -> bool:
    """``KIND:org`` (vCard 4.0) or Apple's ``X-ABShowAs:COMPANY``: the card is a business."""
    value = prop.value.strip().lower()
    return (prop.name == "KIND" and value == "org") or (
        prop.name == "X-ABSHOWAS" and value == "company"
    )


def _apply_own(record: ContactRecord, name: str, value: str) -> None:
    """vCard 4.0's LANG and TZ (the first of each) and goodwill's roles and dislikes."""
    if not value:
        return
    if name == "LANG":
        record.language = record.language or value
    elif name == "TZ":
        record.time_zone = record.time_zone or value
    elif name == "X-GOODWILL-ROLE":
        for role in value.split(","):
            if (role := role.strip()) and role not in record.roles:
                record.roles.append(role)
    elif value not in record.dislikes:
        record.dislikes.append(value)


def _apply_date(record: ContactRecord, prop: Prop, value: str, group_label: str) -> None:
    name = prop.name
    if name == "BDAY":
        date = _date(record, "birthday", prop, value)
        if date is not None:
            record.birthday = date
    elif name in ANNIVERSARY_PROPS:
        _add_anniversary(record, "Anniversary", _date(record, "anniversary", prop, value))
    elif name == "X-ABDATE":
        date = _date(record, "anniversary", prop, value)
        custom = prop.params.get("X-GOODWILL-KIND", "").lower() == "custom"
        unlabelled = prop.params.get("X-GOODWILL-LABEL", "").lower() == "default"
        label = "" if unlabelled else group_label or "Other"
        _add_anniversary(record, label, date, custom=custom)
    elif name == "X-ANDROID-CUSTOM":
        parts = _components(value) + ["", "", ""]
        if parts[0].strip() != "vnd.android.cursor.item/contact_event" or not parts[1]:
            return
        label = ANDROID_EVENTS.get(parts[2].strip(), "") or parts[3].strip() or "Other"
        date = _date(record, "birthday" if label == "Birthday" else "anniversary", prop, parts[1])
        if label == "Birthday":
            record.birthday = record.birthday or date
        else:
            _add_anniversary(record, label, date)


def _date(record: ContactRecord, column: str, prop: Prop, value: str) -> YearlyDate | None:
    """The date of a property; one that does not exist is left out and noted on the record."""
    value = _unescape(value).strip()
    if not value:
        return None
    try:
        return parse_vcard_date(value, omit_year=prop.params.get("X-APPLE-OMIT-YEAR", ""))
    except ValueError as exc:
        record.dropped.append(RowError(record.line, column, str(exc)))
        return None


def _add_anniversary(
    record: ContactRecord, label: str, date: YearlyDate | None, *, custom: bool = False
) -> None:
    dates = record.custom_dates if custom else record.anniversaries
    if date is not None and (label, date) not in dates:
        dates.append((label, date))


def _add_email(record: ContactRecord, prop: Prop, address: str, group_label: str) -> None:
    if not address:
        return
    label = group_label or _first(prop.types, ("home", "work", "other")) or _written(prop)
    record.emails.append((address, label))


def _add_phone(record: ContactRecord, prop: Prop, number: str, group_label: str) -> None:
    number = number.removeprefix("tel:").replace(";ext=", " ext. ")
    if not number:
        return
    label = _first(prop.types, ("fax", "pager")) or group_label
    label = label or ("mobile" if "cell" in prop.types else "")
    label = label or _first(prop.types, ("home", "work", "main", "other")) or _written(prop)
    record.phones.append((number, label))


def _set_address(record: ContactRecord, prop: Prop, value: str) -> None:
    parts = [_unescape(p).strip() for p in _components(value)] + [""] * 7
    _pobox, extended, street, locality, region, postal_code, country = parts[:7]
    address = Address(
        street=", ".join(p for p in (street, extended) if p),
        locality=locality,
        region=region,
        postal_code=postal_code,
        country=country,
    )
    if address and not record.address:
        record.address = address


def _first(types: set[str], order: tuple[str, ...]) -> str:
    return next((t for t in order if t in types), "")


def _written(prop: Prop) -> str:
    """A label of the file's own (``TYPE="Front desk"``), as written: no standard TYPE and
    no ``X-`` extension, which say how to reach the value, not what the person calls it."""
    return next(
        (
            t
            for t in prop.written_types
            if t.lower() not in _NOT_LABELS and not t.lower().startswith("x-")
        ),
        "",
    )


def _label_text(value: str) -> str:
    value = _unescape(value).strip()
    if match := _APPLE_LABEL.match(value):
        value = _CAMEL.sub(" ", match[1])
        return value.capitalize() if value.lower() == "anniversary" else value.lower()
    return "Anniversary" if value.casefold() == "anniversary" else value


def _decoded(prop: Prop) -> str:
    """The value with 2.1 QUOTED-PRINTABLE decoded in its CHARSET (UTF-8, else Windows-1252)."""
    encoding = prop.params.get("ENCODING", "").upper()
    if encoding != "QUOTED-PRINTABLE" and "quoted-printable" not in prop.types:
        return prop.value
    raw = quopri.decodestring(prop.value.encode("latin-1", errors="replace"))
    charset = prop.params.get("CHARSET", "utf-8")
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return raw.decode(candidate).replace("\r\n", "\n").replace("\\", "\\\\")
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")


def _components(value: str) -> list[str]:
    """Split a structured value (N, ADR, ORG) at semicolons that are not escaped."""
    return re.split(r"(?<!\\);", value)


def _join_list(component: str) -> str:
    return " ".join(p for p in _list_values(component) if p)


def _categories(value: str, *, legacy: bool) -> list[str]:
    """CATEGORIES split at the commas that are not escaped. Before vCard 4.0, a value whose
    commas are all escaped is split at those: Thunderbird escapes its separators
    (``a\\, b\\, c``); goodwill writes 4.0, where ``rock\\, paper`` is one interest."""
    if legacy and not _SEPARATOR.search(value):
        return [part.strip() for part in _unescape(value).split(",") if part.strip()]
    return _list_values(value)


def _list_values(value: str) -> list[str]:
    """The values of a list split at the commas that are not escaped, each unescaped and
    stripped (``jazz,rock\\, paper``: "jazz" and "rock, paper")."""
    return [_unescape(part).strip() for part in _LIST_VALUE.findall(value)]


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: _UNESCAPED.get(m[1], m[1]), text)
