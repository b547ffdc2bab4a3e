"""People as vCard 4.0 (RFC 6350), one card each, readable by vobject and by goodwill's importer.

Year-less dates are ``--MMDD``: ``BDAY``, the couple's wedding anniversary as ``ANNIVERSARY``
(the spouse is not named: vCard links no second card), and every other anniversary and custom
date as Apple's labelled ``itemN.X-ABDATE`` + ``itemN.X-ABLabel`` (a custom date marked
``X-GOODWILL-KIND=custom``; an anniversary without a label shows its kind's name, marked
``X-GOODWILL-LABEL=default`` so that it comes back without a label). Phones are ``tel:`` URIs
of their E.164 form; liked interests are ``CATEGORIES``; language and time zone are ``LANG``
and ``TZ``. ``UID`` is a UUID derived from the site URL and the person's id, so it is the same
in every export. What vCard has no property for (roles, dislikes, where the person came from)
goes in ``X-GOODWILL-*``, one line a value.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings

from goodwill.exchange.export.selectors import Chunk, Row, date_value
from goodwill.occasions.models import Occasion
from goodwill.people.models import PersonInterest

TYPES = {"mobile": "cell", "cell": "cell", "home": "home", "work": "work", "fax": "fax"}
MAX_OCTETS = 75


def escape(value: str) -> str:
    """A text value with ``\\``, ``,``, ``;`` and newlines escaped (RFC 6350 §3.4)."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """``line`` cut into lines of at most 75 octets, never inside a UTF-8 character."""
    if len(line.encode()) <= MAX_OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def person_uid(person_id: int) -> str:
    """The same ``urn:uuid:`` for the same person in every export from this site."""
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/people/{person_id}/")
    )


def _type(label: str, is_primary: bool) -> str:
    """``;TYPE=…`` (a known kind, else the label itself, quoted) and ``;PREF=1`` for the first."""
    params = ""
    kind = TYPES.get(label.strip().lower())
    clean = "".join(c for c in label if c.isprintable() and c not in '"').strip()
    if kind:
        params += f";TYPE={kind}"
    elif clean:
        params += f';TYPE="{clean}"'
    return params + (";PREF=1" if is_primary else "")


def _rev(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _names(person: Row) -> list[str]:
    pid, given, family, preferred = person[:4]
    full = " ".join(p for p in (given, family) if p)
    lines = [f"FN:{escape(full)}", f"N:{escape(family)};{escape(given)};;;"]
    if preferred:
        lines.append(f"NICKNAME:{escape(preferred)}")
    return lines


def _contacts(pid: int, chunk: Chunk) -> list[str]:
    lines = [
        f"EMAIL{_type(label, primary)}:{escape(email)}"
        for _pid, email, label, primary, *_origin in chunk.emails.get(pid, [])
    ]
    lines += [
        f"TEL;VALUE=uri{_type(label, primary)}:tel:{e164}"
        for _pid, e164, label, primary, *_origin in chunk.phones.get(pid, [])
    ]
    return lines


def _address(person: Row) -> list[str]:
    street, locality, region, postal, country = person[4:9]
    if not (street or locality or region or postal or country):
        return []
    parts = ";".join(escape(p) for p in (street, locality, region, postal, country))
    return [f"ADR;TYPE=home:;;{parts}"]


def _work(pid: int, chunk: Chunk) -> list[str]:
    """ORG and TITLE; with several organisations each pair shares a group (``org2.ORG``,
    ``org2.TITLE``), so that a title is never read as another organisation's."""
    lines: list[str] = []
    orgs = chunk.organisations.get(pid, [])
    for i, (_pid, _id, name, title, *_origin) in enumerate(orgs, start=1):
        group = f"org{i}." if len(orgs) > 1 else ""
        lines.append(f"{group}ORG:{escape(name)}")
        if title:
            lines.append(f"{group}TITLE:{escape(title)}")
    return lines


def _labelled_date(item: int, label: str, date: str, kind: str) -> list[str]:
    """One of Apple's labelled dates: ``itemN.X-ABDATE`` and its ``itemN.X-ABLabel`` (the
    kind's name, marked as goodwill's default, when the date has no label)."""
    marker = ";X-GOODWILL-KIND=custom" if kind == Occasion.Kind.CUSTOM else ""
    if not label:
        marker += ";X-GOODWILL-LABEL=default"
        label = str(Occasion.Kind(kind).label).capitalize()
    return [f"item{item}.X-ABDATE{marker}:{date}", f"item{item}.X-ABLabel:{escape(label)}"]


def _dates(pid: int, chunk: Chunk) -> list[str]:
    """The birthday, the first wedding anniversary, then every other dated occasion."""
    lines: list[str] = []
    labelled: list[tuple[str, str, str]] = []  # (label, date, kind)
    for _pid, kind, label, year, month, day, _source, _note in chunk.occasions.get(pid, []):
        date = date_value(year, month, day, dashes=False)
        if kind == Occasion.Kind.BIRTHDAY:
            lines.append(f"BDAY:{date}")
        else:
            labelled.append((label, date, kind))
    weddings = [date_value(*w[1:], dashes=False) for w in chunk.weddings.get(pid, [])]
    if weddings:
        lines.append(f"ANNIVERSARY:{weddings[0]}")
    wedding = str(Occasion.Kind.WEDDING.label).capitalize()
    labelled[:0] = [(wedding, date, Occasion.Kind.WEDDING) for date in weddings[1:]]
    for item, (label, date, kind) in enumerate(labelled, start=1):
        lines += _labelled_date(item, label, date, kind)
    return lines


def _locale(person: Row) -> list[str]:
    language, time_zone = person[9:11]
    lines = [f"LANG:{escape(language)}"] if language else []
    return lines + ([f"TZ:{escape(time_zone)}"] if time_zone else [])


def _facts(person: Row, chunk: Chunk) -> list[str]:
    pid, notes, source = person[0], person[11], person[12]
    interests = chunk.interests.get(pid, [])
    likes = [escape(i[1]) for i in interests if i[2] == PersonInterest.Attitude.LIKES]
    dislikes = [escape(i[1]) for i in interests if i[2] != PersonInterest.Attitude.LIKES]
    roles = [r[1] for r in chunk.roles.get(pid, [])]
    lines = [f"NOTE:{escape(notes)}"] if notes else []
    lines += [f"CATEGORIES:{','.join(likes)}"] if likes else []
    lines += [f"X-GOODWILL-DISLIKE:{d}" for d in dislikes]
    lines += [f"X-GOODWILL-ROLE:{r}" for r in roles]
    lines.append(f"X-GOODWILL-SOURCE:{source}")
    return lines


def person_card(person: Row, chunk: Chunk) -> str:
    """One person's vCard 4.0, lines folded, CRLF line ends."""
    pid = person[0]
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:{person_uid(pid)}",
        *_names(person),
        *_contacts(pid, chunk),
        *_address(person),
        *_work(pid, chunk),
        *_dates(pid, chunk),
        *_locale(person),
        *_facts(person, chunk),
        f"REV:{_rev(person[16])}",
        "END:VCARD",
    ]
    return "".join(fold(line) for line in lines)


def vcard_chunk(chunk: Chunk) -> str:
    """The cards of one chunk's people."""
    return "".join(person_card(p, chunk) for p in chunk.people)


def vcard_stream(chunks: Iterable[Chunk]) -> Iterator[str]:
    """The vCard file, one piece per chunk."""
    for chunk in chunks:
        yield vcard_chunk(chunk)
