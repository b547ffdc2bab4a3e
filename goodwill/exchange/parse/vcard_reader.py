"""Read contacts from vCard 2.1, 3.0 and 4.0 files, lazily, one record per card.

Lines are unfolded and split in vcard_lines (vobject parses each line's name, group and
parameters) and grouped into cards in vcard_cards; this module turns a card's properties into a
ContactRecord. A card that cannot be read (no END:VCARD, no name) becomes a RowError at its
BEGIN line, and one with bytes that are not text in the file's encoding (U+FFFD once decoded) a
RowError at the line that holds them; an impossible BDAY, a line that is no property (``EMAIL
bo@example.com``: no colon after its name) and a QUOTED-PRINTABLE value's bytes that are not
text (``vcard_values.not_text``) are left out and noted in the record's ``dropped``, each with
its property's own line (``at``), as the record's ``lines`` hold the line of each email, phone,
date, RELATED and property it read (for the importer's messages, ``ContactRecord.line_of``).
goodwill's own cards round-trip: LANG, TZ, ``X-GOODWILL-ROLE``, ``X-GOODWILL-DISLIKE``,
``X-ABDATE;X-GOODWILL-KIND=custom`` and tags (``CATEGORIES;TYPE=x-goodwill-tags``: always tags,
whatever the import does with other categories) are read back as they were written (the importer
checks them), an ``X-ABDATE`` marked ``X-GOODWILL-LABEL=default`` (its label is only goodwill's
name of its kind) has no label, and list values (CATEGORIES, NICKNAME) are split only at the
commas that are not escaped (``rock\\, paper`` is one interest; but see
``vcard_values.categories`` for Thunderbird's CATEGORIES). Every ``ORG`` comes back with its own
``TITLE`` (``org2.ORG`` and ``org2.TITLE``), the card's ``UID`` and the cards it names
(``RELATED``, with goodwill's ``X-GOODWILL-SINCE``, ``X-GOODWILL-NOTE`` and ``X-GOODWILL-LABEL``
of the tie: ``vcard_links.related_prop``) are kept for the importer to link, a wedding marked
``X-GOODWILL-SPOUSE`` (or a card's ``ANNIVERSARY`` when it names one spouse) is the couple's, a
date's ``X-GOODWILL-LEAD`` and ``X-GOODWILL-NOTE`` go with it, and so do an interest's note and
the card's household (``vcard_links.set_own_extras``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.utils.translation import gettext as _

from goodwill.exchange.parse.address import Found, one_address
from goodwill.exchange.parse.dates import parse_vcard_date
from goodwill.exchange.parse.records import (
    Address,
    ContactRecord,
    RowError,
    YearlyDate,
    is_system_group,
)
from goodwill.exchange.parse.vcard_cards import cards
from goodwill.exchange.parse.vcard_labels import add_email, add_phone, label_text
from goodwill.exchange.parse.vcard_lines import (
    Prop,
    line_encoding,
    logical_lines,
    parse_prop,
    physical_lines,
)
from goodwill.exchange.parse.vcard_links import (
    date_notes,
    only_spouse,
    related_prop,
    set_own_extras,
    set_work,
)
from goodwill.exchange.parse.vcard_values import (
    categories,
    components,
    decoded,
    join_list,
    list_values,
    not_text,
    unescape,
)

ANNIVERSARY_PROPS = frozenset(
    {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
)
# Android's contact_event types (ContactsContract.CommonDataKinds.Event).
ANDROID_EVENTS = {"1": "Anniversary", "2": "Other", "3": "Birthday"}
OWN_PROPS = frozenset({"LANG", "TZ", "X-GOODWILL-ROLE", "X-GOODWILL-DISLIKE"})
TAGS_TYPE = "x-goodwill-tags"  # the TYPE of goodwill's CATEGORIES that are tags
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
    "tags": "CATEGORIES",
    "birthday": "BDAY",
    "anniversary": "ANNIVERSARY",
    "language": "LANG",
    "time_zone": "TZ",
    "roles": "X-GOODWILL-ROLE",
    "dislikes": "X-GOODWILL-DISLIKE",
    "related": "RELATED",
}
# The properties whose preferred (PREF) value comes first.
_PREFERRED_FIRST = ("EMAIL", "TEL", "ADR", "LANG")


def read_vcard(stream: TextIO) -> Iterator[ContactRecord | RowError]:
    """Every card of ``stream`` as a ContactRecord or RowError (groups are skipped)."""
    lines = logical_lines(physical_lines(stream), line_encoding(stream))
    for card in cards(lines):
        if isinstance(card, RowError):
            yield card
        elif (result := card_record(card.begin, card.lines, card.left_out)) is not None:
            yield result


def card_record(
    begin: int, lines: list[tuple[int, str]], left_out: Iterable[RowError] = ()
) -> ContactRecord | RowError | None:
    """The record of one card's content lines; None for a contact group (not a person).
    ``left_out``: what was left out of the card as it was read (an AGENT's own card)."""
    # A NUL byte is no text either (and PostgreSQL refuses it in text).
    damaged = next(((n, t) for n, t in lines if "\ufffd" in t or "\x00" in t), None)
    if damaged is not None:
        number, text = damaged
        prop = parse_prop(number, text)
        return RowError(
            number, prop.name if prop else "", _("The row has bytes that are not text.")
        )
    parsed = [(n, t, parse_prop(n, t)) for n, t in lines]
    props = [p for _n, _t, p in parsed if p is not None]
    labels = {p.group: label_text(p.value) for p in props if p.name == "X-ABLABEL" and p.group}
    # Preferred (pref) emails, phones and addresses come first: the first one is the primary.
    props.sort(key=lambda p: "pref" not in p.types or p.name not in _PREFERRED_FIRST)
    record = ContactRecord(line=begin, columns=COLUMNS)
    record.dropped += [_not_a_property(begin, n, t) for n, t, p in parsed if p is None]
    record.dropped += [_not_text(begin, p) for p in props if not_text(p)]
    record.dropped += left_out
    card = _Card(
        labels=labels,
        legacy=not any(p.name == "VERSION" and p.value.strip().startswith("4") for p in props),
        spouse=only_spouse(props),
        notes=date_notes(props),
    )
    for prop in props:
        if prop.name in ("X-ADDRESSBOOKSERVER-KIND", "KIND") and prop.value.lower() == "group":
            return None
        if _is_organisation(prop):
            record.is_organisation = True
        record.lines.setdefault((prop.name, ""), prop.line)
        if prop.name not in ("ORG", "TITLE"):
            _apply(record, prop, card)
    if len(card.addresses) > 1:  # most cards have one
        record.address, left_out = one_address(card.addresses, begin)
        record.dropped += left_out
    elif card.addresses:
        record.address = card.addresses[0].address
    set_work(record, props)
    set_own_extras(record, props)
    if not record.has_content():
        return RowError(begin, "", _("The card has no name, email, phone or company."))
    return record


def _not_a_property(begin: int, number: int, text: str) -> RowError:
    """A line of the card that is no property (``EMAIL bo@example.com``: no colon after its
    name): the card is imported without it, and the import lists it as a warning."""
    if ":" in text:
        message = _("Line %(n)d is not a vCard property (no colon after its name)")
    else:
        message = _("Line %(n)d is not a vCard property (no colon)")
    return RowError(begin, "", message % {"n": number}, number)


def _not_text(begin: int, prop: Prop) -> RowError:
    """A QUOTED-PRINTABLE value with bytes that are not text in its CHARSET (UTF-8 with a byte
    broken off): the rest of the value is kept, and the import lists the bytes left out."""
    left_out = not_text(prop)
    shown = " ".join(f"={byte:02X}" for byte in left_out[:8]) + (" …" if len(left_out) > 8 else "")
    message = _("Line %(n)d has bytes that are not text (%(bytes)s)")
    return RowError(begin, prop.name, message % {"n": prop.line, "bytes": shown}, prop.line)


@dataclass(frozen=True, slots=True)
class _Card:
    """What reading a card's properties needs to know of the whole card: Apple's labels by
    group, whether it is older than vCard 4.0, its one spouse (``only_spouse``) and the notes
    of its dates (``date_notes``)."""

    labels: dict[str, str]
    legacy: bool
    spouse: str
    notes: dict[str, str]
    addresses: list[Found] = field(default_factory=list)  # its ADRs, one kept (``one_address``)


def _apply(record: ContactRecord, prop: Prop, card: _Card) -> None:
    name = prop.name
    group_label = card.labels.get(prop.group, "")
    legacy = card.legacy
    value = decoded(prop)
    if name == "N":
        parts = [join_list(p) for p in components(value)] + [""] * 5
        record.family_name, record.given_name, record.additional_name = parts[:3]
    elif name == "FN":
        record.full_name = record.full_name or unescape(value).strip()
    elif name == "NICKNAME":
        record.preferred_name = record.preferred_name or next(
            (v for v in list_values(value) if v), ""
        )
    elif name == "EMAIL":
        add_email(record, prop, unescape(value).strip(), group_label)
        _mark(record, "email", record.emails, prop.line)
    elif name == "TEL":
        add_phone(record, prop, unescape(value).strip(), group_label)
        _mark(record, "phone", record.phones, prop.line)
    elif name == "ADR":
        _set_address(card, prop, value)
    elif name == "UID":
        record.uid = record.uid or unescape(value).strip()
    elif name == "RELATED":
        related = related_prop(prop, unescape(value).strip())
        record.related.append(related)
        record.lines.setdefault(("related", related), prop.line)  # each RELATED's own line
    elif name == "NOTE":
        note = unescape(value).strip()
        record.note = f"{record.note}\n{note}" if record.note and note else record.note or note
    elif name == "CATEGORIES":
        # goodwill's own tags: CATEGORIES;TYPE=x-goodwill-tags (others read them as categories).
        names = record.tags if TAGS_TYPE in prop.types else record.categories
        for part in categories(value, legacy=legacy):
            if part and not is_system_group(part) and part not in names:
                names.append(part)
    elif name in OWN_PROPS:
        _apply_own(record, name, unescape(value).strip())
    else:
        _apply_date(record, prop, value, group_label, card)


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


def _apply_date(
    record: ContactRecord, prop: Prop, value: str, group_label: str, card: _Card
) -> None:
    """A dated property; a wedding shared with a spouse named by UID (goodwill's
    ``X-GOODWILL-SPOUSE``, or the card's one spouse for its ``ANNIVERSARY``) is a couple date.
    goodwill's note and lead time of a date (``date_notes``, ``X-GOODWILL-LEAD``) go with it."""
    name = prop.name
    extra = (card.notes.get(prop.group or name, ""), prop.params.get("X-GOODWILL-LEAD", ""))
    if name == "BDAY":
        date = _date(record, "birthday", prop, value)
        if date is not None and record.birthday not in (None, date):
            # As a CSV's first birthday column: the first is kept, the other one listed.
            message = _("A second birthday (%(day)s); the first one is kept.")
            second = RowError(record.line, "birthday", message % {"day": value}, prop.line)
            record.dropped.append(second)
        elif date is not None:
            record.birthday = date
            _add_extra(record, ("birthday", "", date), extra)
    elif name in ANNIVERSARY_PROPS:
        date = _date(record, "anniversary", prop, value)
        partner = prop.params.get("X-GOODWILL-SPOUSE", "").strip() or card.spouse
        _add_anniversary(record, "Anniversary", date, partner=partner, extra=extra)
    elif name == "X-ABDATE":
        date = _date(record, "anniversary", prop, value)
        custom = prop.params.get("X-GOODWILL-KIND", "").lower() == "custom"
        unlabelled = prop.params.get("X-GOODWILL-LABEL", "").lower() == "default"
        label = "" if unlabelled else group_label or "Other"
        partner = prop.params.get("X-GOODWILL-SPOUSE", "").strip()
        _add_anniversary(record, label, date, custom=custom, partner=partner, extra=extra)
    elif name == "X-ANDROID-CUSTOM":
        parts = components(value) + ["", "", ""]
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
    value = unescape(value).strip()
    if not value:
        return None
    try:
        date = parse_vcard_date(value, omit_year=prop.params.get("X-APPLE-OMIT-YEAR", ""))
    except ValueError as exc:
        record.dropped.append(RowError(record.line, column, str(exc), prop.line))
        return None
    record.lines.setdefault((column, date), prop.line)
    return date


def _mark(record: ContactRecord, field: str, values: list[tuple[str, str]], line: int) -> None:
    """Note the line of the email or phone a property just added (``ContactRecord.line_of``)."""
    if values:
        record.lines.setdefault((field, values[-1][0]), line)


def _add_anniversary(
    record: ContactRecord,
    label: str,
    date: YearlyDate | None,
    *,
    custom: bool = False,
    partner: str = "",
    extra: tuple[str, str] = ("", ""),
) -> None:
    if date is None:
        return
    if partner and not custom:
        if (partner, label, date) not in record.couple_dates:
            record.couple_dates.append((partner, label, date))
        _add_extra(record, ("wedding", label, date), extra)
        return
    dates = record.custom_dates if custom else record.anniversaries
    if (label, date) not in dates:
        dates.append((label, date))
    _add_extra(record, ("custom" if custom else "anniversary", label, date), extra)


def _add_extra(
    record: ContactRecord, key: tuple[str, str, YearlyDate], extra: tuple[str, str]
) -> None:
    """A date's note and lead time, when goodwill's card gives either (the first one's)."""
    if (extra[0] or extra[1]) and key not in record.date_extras:
        record.date_extras[key] = extra


def _set_address(card: _Card, prop: Prop, value: str) -> None:
    parts = [unescape(p).strip() for p in components(value)] + [""] * 7
    _pobox, extended, street, locality, region, postal_code, country = parts[:7]
    address = Address(
        street=", ".join(p for p in (street, extended) if p),
        locality=locality,
        region=region,
        postal_code=postal_code,
        country=country,
    )
    if address:
        home = "home" in prop.types
        card.addresses.append(Found(address, prop.name, prop.line, "pref" in prop.types, home))
