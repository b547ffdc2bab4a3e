"""People as vCard 4.0 (RFC 6350), one card each, readable by vobject and by goodwill's importer.

Year-less dates are ``--MMDD``: ``BDAY``, the couple's wedding anniversary as ``ANNIVERSARY``
(marked ``X-GOODWILL-SPOUSE`` with the spouse's UUID; a second wedding is a labelled date so
marked), and every other anniversary and custom date as Apple's labelled ``itemN.X-ABDATE`` +
``itemN.X-ABLabel`` (a custom date marked ``X-GOODWILL-KIND=custom``; an anniversary without a
label shows its kind's name, marked ``X-GOODWILL-LABEL=default`` so that it comes back without a
label). An email's or phone's own label is a quoted ``TYPE`` (``TYPE="Office, 2nd"``), RFC
6868 escaped (``TYPE="Büro ^'x^'"``). Phones are ``tel:`` URIs of their E.164 form; liked
interests are ``CATEGORIES``, and tags a second ``CATEGORIES;TYPE=x-goodwill-tags`` (other
address books show them as categories too; goodwill's importer reads them back as tags);
language and time zone are ``LANG`` and ``TZ``.
``UID`` is a UUID derived from the site URL and the person's id, so it is the same in every export,
and ``RELATED;TYPE=spouse:urn:uuid:…`` names each person someone is related to whom the export
holds too, with RFC 6350's type (spouse, parent, child, sibling, friend, colleague) or goodwill's
x-name for the ties vCard has none for (``x-goodwill-referred``: they referred this person,
``x-goodwill-referred-by``: this person referred them, ``x-goodwill-custom;X-GOODWILL-LABEL=
"mentor"``: they are this person's mentor, ``x-goodwill-custom-of``: this person is theirs): the
importer links the two cards again. What vCard has no property for (roles, dislikes, where the
person came from) goes in ``X-GOODWILL-*``, one line a value; so do a date's note
(``X-GOODWILL-NOTE``, beside it) and its own reminder lead time (``X-GOODWILL-LEAD=7`` on it), an
interest's note (``X-GOODWILL-NOTE;X-GOODWILL-INTEREST="jazz":loves Coltrane``, a like's or a
dislike's), a relationship's since-date and notes (``X-GOODWILL-SINCE=20010505`` and
``X-GOODWILL-NOTE="…"`` on its ``RELATED``) and the household a person lives in
(``X-GOODWILL-HOUSEHOLD`` with the household's own UID as stored, ``X-GOODWILL-UID``, the same in
every export and the one an import joins, and as its value the household's name, its address in
ADR's order and its notes).
Parameter values are quoted and RFC 6868 escaped; a parameter cannot hold a control character
other than a line break or tab.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings

from goodwill.exchange.export.households import HOUSEHOLD_ID, household_rows
from goodwill.exchange.export.selectors import Chunk, Row, date_value
from goodwill.exchange.parse.vcard_labels import OWN_LABEL, reads_as_types
from goodwill.occasions.models import Occasion
from goodwill.people.models import PersonInterest

TAGS_TYPE = "x-goodwill-tags"  # the TYPE of the CATEGORIES that are tags, not interests
TYPES = {"mobile": "cell", "cell": "cell", "home": "home", "work": "work", "fax": "fax"}
# The labels that their TYPE alone brings back as they are (``TYPE=cell`` is "mobile").
PLAIN_LABELS = frozenset({"mobile", "home", "work", "fax"})
MAX_OCTETS = 75
PLAIN_UID = re.compile(r"[0-9A-Za-z._-]+")  # a UID a parameter holds without quotes


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


def param_value(value: str) -> str:
    """A parameter value as RFC 6868 writes it inside double quotes: ``^'`` for a double quote
    and ``^n`` for a line break, which a quoted value cannot hold, and ``^^`` for a caret."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n")
    return lines.replace("^", "^^").replace('"', "^'").replace("\n", "^n")


def _type(label: str, is_primary: bool) -> str:
    """``;TYPE=…`` (a known kind, else the label itself, quoted and RFC 6868 escaped, so that
    ``Office, 2nd`` and ``Büro "x"`` come back whole) and ``;PREF=1`` for the first. A label
    that a TYPE would give back as vCard types (``Home``, ``cell``, ``text``, ``Home, work``,
    ``x-custom``) is written as it is in ``X-GOODWILL-LABEL`` too, and gets no TYPE that says
    "preferred" (``pref``): goodwill's importer takes it back exactly."""
    params = ""
    kind = TYPES.get(label.strip().lower())
    clean = "".join(c for c in label if c.isprintable() or c in "\r\n").strip()
    as_types = bool(clean) and clean not in PLAIN_LABELS and reads_as_types(clean)
    if kind:
        params += f";TYPE={kind}"
    elif clean and not (as_types and _preferred(clean)):
        params += f';TYPE="{param_value(clean)}"'
    if as_types:
        params += f';{OWN_LABEL}="{param_value(clean)}"'
    return params + (";PREF=1" if is_primary else "")


def _preferred(label: str) -> bool:
    """Whether a label read as vCard types would say "preferred" (``pref``, ``Home, pref``)."""
    return "pref" in (part.strip().lower() for part in label.split(","))


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


def _labelled_date(item: int, label: str, date: str, kind: str, marker: str = "") -> list[str]:
    """One of Apple's labelled dates: ``itemN.X-ABDATE`` and its ``itemN.X-ABLabel`` (the
    kind's name, marked as goodwill's default, when the date has no label)."""
    marker += ";X-GOODWILL-KIND=custom" if kind == Occasion.Kind.CUSTOM else ""
    if not label:
        marker += ";X-GOODWILL-LABEL=default"
        label = str(Occasion.Kind(kind).label).capitalize()
    return [f"item{item}.X-ABDATE{marker}:{date}", f"item{item}.X-ABLabel:{escape(label)}"]


def _spouse(spouse_id: int) -> str:
    """``;X-GOODWILL-SPOUSE=`` and the spouse's UUID (their ``UID`` without ``urn:uuid:``,
    which a parameter could only hold quoted): whose wedding a date is, so that it comes back
    as the couple's when both cards are imported."""
    return ";X-GOODWILL-SPOUSE=" + person_uid(spouse_id).removeprefix("urn:uuid:")


def _lead(days: int | None) -> str:
    """``;X-GOODWILL-LEAD=`` and a date's own reminder lead time in days, if it has one."""
    return f";X-GOODWILL-LEAD={days}" if days is not None else ""


def _note(note: str, *, group: str = "", of: str = "") -> list[str]:
    """A date's note: ``itemN.X-GOODWILL-NOTE`` beside a labelled date, else
    ``X-GOODWILL-NOTE;X-GOODWILL-FOR=BDAY`` (or ``ANNIVERSARY``)."""
    if not note:
        return []
    if group:
        return [f"{group}.X-GOODWILL-NOTE:{escape(note)}"]
    return [f"X-GOODWILL-NOTE;X-GOODWILL-FOR={of}:{escape(note)}"]


def _dates(pid: int, chunk: Chunk) -> list[str]:
    """The birthday, the first wedding anniversary, then every other dated occasion, each with
    its lead time and note."""
    lines: list[str] = []
    labelled: list[tuple[str, str, str, str, str]] = []  # (label, date, kind, marker, note)
    for _pid, kind, label, year, month, day, _source, note, lead in chunk.occasions.get(pid, []):
        date = date_value(year, month, day, dashes=False)
        if kind == Occasion.Kind.BIRTHDAY:
            lines += [f"BDAY{_lead(lead)}:{date}", *_note(note, of="BDAY")]
        else:
            labelled.append((label, date, kind, _lead(lead), note))
    weddings = [
        (spouse, date_value(year, month, day, dashes=False), _spouse(spouse) + _lead(lead), note)
        for spouse, year, month, day, note, lead in chunk.weddings.get(pid, [])
    ]
    if weddings:
        _spouse_id, date, marker, note = weddings[0]
        lines += [f"ANNIVERSARY{marker}:{date}", *_note(note, of="ANNIVERSARY")]
    wedding = str(Occasion.Kind.WEDDING.label).capitalize()
    labelled[:0] = [(wedding, d, Occasion.Kind.WEDDING, m, n) for _s, d, m, n in weddings[1:]]
    for item, (label, date, kind, marker, note) in enumerate(labelled, start=1):
        lines += _labelled_date(item, label, date, kind, marker)
        lines += _note(note, group=f"item{item}")
    return lines


def _quoted(value: str) -> str:
    """A parameter value quoted and RFC 6868 escaped, without the control characters that no
    parameter can hold (a line break and a tab are kept)."""
    clean = "".join(c for c in value if c.isprintable() or c in "\t\r\n")
    return f'"{param_value(clean)}"'


def _related(pid: int, chunk: Chunk) -> list[str]:
    """``RELATED;TYPE=spouse:urn:uuid:…`` for each relationship with someone the export holds
    (what they are to this person, by their ``UID``), with a custom one's label and its
    since-date and notes."""
    lines: list[str] = []
    for _pid, other, kind, label, since, notes in chunk.related.get(pid, []):
        params = f";X-GOODWILL-LABEL={_quoted(label)}" if label else ""
        params += f";X-GOODWILL-SINCE={since:%Y%m%d}" if since else ""
        params += f";X-GOODWILL-NOTE={_quoted(notes)}" if notes else ""
        lines.append(f"RELATED;TYPE={kind}{params}:{person_uid(other)}")
    return list(dict.fromkeys(lines))


def _household(person: Row, households: dict[int, Row]) -> list[str]:
    """``X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=…:name;street;locality;region;postal code;country;
    notes`` for the household the person lives in."""
    household = households.get(person[HOUSEHOLD_ID]) if person[HOUSEHOLD_ID] else None
    if household is None:
        return []
    *values, uid = household
    uid = uid if PLAIN_UID.fullmatch(uid) else _quoted(uid)  # one from another system's file
    return [f"X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID={uid}:{';'.join(map(escape, values))}"]


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
    if tags := chunk.tags.get(pid):
        lines.append(f"CATEGORIES;TYPE={TAGS_TYPE}:{','.join(escape(t[1]) for t in tags)}")
    lines += [f"X-GOODWILL-DISLIKE:{d}" for d in dislikes]
    lines += [
        f"X-GOODWILL-NOTE;X-GOODWILL-INTEREST={_quoted(i[1])}:{escape(i[4])}"
        for i in interests
        if i[4]
    ]
    lines += [f"X-GOODWILL-ROLE:{r}" for r in roles]
    lines.append(f"X-GOODWILL-SOURCE:{source}")
    return lines


def person_card(person: Row, chunk: Chunk, households: dict[int, Row] | None = None) -> str:
    """One person's vCard 4.0, lines folded, CRLF line ends (``households``: the chunk's, by
    id, as ``household_rows(…, with_uid=True)`` reads them; read for the one person when not
    given)."""
    pid = person[0]
    households = household_rows([person], with_uid=True) if households is None else households
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:{person_uid(pid)}",
        *_names(person),
        *_contacts(pid, chunk),
        *_address(person),
        *_work(pid, chunk),
        *_dates(pid, chunk),
        *_related(pid, chunk),
        *_household(person, households),
        *_locale(person),
        *_facts(person, chunk),
        f"REV:{_rev(person[16])}",
        "END:VCARD",
    ]
    return "".join(fold(line) for line in lines)


def vcard_chunk(chunk: Chunk) -> str:
    """The cards of one chunk's people."""
    households = household_rows(chunk.people, with_uid=True)
    return "".join(person_card(p, chunk, households) for p in chunk.people)


def vcard_stream(chunks: Iterable[Chunk]) -> Iterator[str]:
    """The vCard file, one piece per chunk."""
    for chunk in chunks:
        yield vcard_chunk(chunk)
