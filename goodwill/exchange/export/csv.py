"""People as CSV with Google Contacts' column names (plus a few of goodwill's own), formula-safe.

Every cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
single quote, so a spreadsheet shows it as text instead of running it as a formula. That includes
phone numbers, which are stored in E.164 (``+19025550101`` becomes ``'+19025550101``) and
birthdays without a year (``--04-12`` becomes ``'--04-12``): Excel would otherwise compute
``+1 902…`` and ``--04-12`` as numbers. Reading the file back, drop a leading ``'`` before
those characters.

Several values that share one Google column (a fourth email, a second organisation) are joined with
`` ::: ``, as Google does. A value whose own name holds `` ::: `` ("Rock ::: Roll") is written
with no-break spaces around its colons: it reads the same, and neither Google nor goodwill's
importer (which turns them back into spaces) splits it into two. "Labels" lists the person's
role names, liked interests and tags, so that Google Contacts shows them all as labels;
goodwill's own columns hold each apart ("Goodwill Roles", "Goodwill Interests", "Goodwill
Dislikes", "Goodwill Tags"), and goodwill's importer reads those and leaves its "Labels" aside.

Events are the wedding anniversaries (labelled "Anniversary"), then every other anniversary and
custom date with its label, in "Event 1-3": a fourth and later share the third. An anniversary
without a label has an empty label cell, which goodwill's importer reads back, in a file with
goodwill's own columns, as no label (another address book's unlabelled event is an
"Anniversary"). "Goodwill Event Kinds" lists each event's kind (``wedding_anniversary``,
``anniversary`` or ``custom``) in the same order, joined by `` ::: ``, so that goodwill's
importer gives a custom date back as a custom date, with its label as written (a wedding comes
back as an anniversary: the file names no spouse).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from goodwill.core.gc import gc_paused
from goodwill.exchange.export.selectors import Chunk, Row, date_value
from goodwill.exchange.parse.csv_cells import KEPT_SEP
from goodwill.people.models import PersonInterest, PersonRole

SLOTS = 3  # E-mail 1-3 and Phone 1-3; more are joined into the third
SEP = " ::: "
DANGEROUS = frozenset("=+-@\t\r")
BOM = "\ufeff"
ROLE_LABELS = {value: str(label) for value, label in PersonRole.Role.choices}


def _slots(kind: str) -> list[str]:
    return [f"{kind} {i} - {part}" for i in range(1, SLOTS + 1) for part in ("Label", "Value")]


HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Nickname",
    "Organization Name",
    "Organization Title",
    "Birthday",
    "Notes",
    "Labels",
    *_slots("E-mail"),
    *_slots("Phone"),
    "Address 1 - Label",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    *_slots("Event"),
    "Language",
    "Time Zone",
    "Goodwill ID",
    "Goodwill Source",
    "Goodwill Roles",
    "Goodwill Interests",
    "Goodwill Dislikes",
    "Goodwill Tags",
    "Goodwill Event Kinds",
]


def _quoted(value: str) -> bool:
    """Whether ``value`` (starting with ``'``) has quotes before a formula character: a
    spreadsheet shows it as written, and a re-import, which takes one quote off a cell like
    that, would take off its own; so it gets one more."""
    return value.lstrip("'")[:1] in DANGEROUS


def neutralise(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would read it as a formula (or if it
    is quotes before such a character: ``'-`` comes back as written)."""
    if value and (value[0] in DANGEROUS or (value[0] == "'" and _quoted(value))):
        return "'" + value
    return value


NO_CONTACTS = ["", ""] * SLOTS
NO_EVENTS = (NO_CONTACTS, "")
NONE = ("", "", "", "")
WEDDING = "wedding_anniversary"


def one(value: str) -> str:
    """One value of a cell that may hold several: a ``" ::: "`` of its own is written with
    no-break spaces, so that no reader splits it."""
    return value.replace(SEP, KEPT_SEP) if SEP in value else value


def joined(values: Iterable[str]) -> str:
    """Values that share one cell, joined by ``" ::: "``, each kept whole."""
    return SEP.join(one(v) for v in values)


LIKES = PersonInterest.Attitude.LIKES.value


def _contacts(values: list[Row] | None) -> list[str]:
    """Label/value pairs for the E-mail or Phone slots; extra values go into the last slot."""
    if not values:
        return NO_CONTACTS
    if len(values) == 1:
        return [one(values[0][2]), one(values[0][1]), *NO_CONTACTS[2:]]
    cells: list[str] = []
    for i in range(SLOTS):
        if i >= len(values):
            cells += ["", ""]
        elif i == SLOTS - 1 and len(values) > SLOTS:
            rest = values[i:]
            cells += [joined(v[2] for v in rest), joined(v[1] for v in rest)]
        else:
            cells += [one(values[i][2]), one(values[i][1])]
    return cells


def _birthday(occasions: list[Row] | None) -> str:
    for _pid, kind, _label, year, month, day, *_rest in occasions or ():
        if kind == "birthday":
            return date_value(year, month, day)
    return ""


def _events(weddings: list[Row] | None, occasions: list[Row] | None) -> tuple[list[str], str]:
    """Label/value cells of the Event slots: the wedding anniversaries, then the person's
    other dates by kind and date (``occasions`` rows: person id, kind, label, year, month, day);
    and each one's kind, in that order."""
    events: list[Row] = [
        (WEDDING, date_value(y, m, d), "Anniversary") for _spouse, y, m, d, *_more in weddings or ()
    ]
    others = sorted(
        (o for o in occasions or () if o[1] != "birthday"),
        key=lambda o: (o[1], o[4], o[5], o[2], o[3] or 0),
    )
    events += [(o[1], date_value(*o[3:6]), o[2]) for o in others]
    if not events:
        return NO_EVENTS
    return _contacts(events), SEP.join(e[0] for e in events)


def _labels(roles: list[Row] | None, interests: list[Row] | None) -> tuple[str, str, str, str]:
    """Labels (role names and liked interests), then role codes, likes and dislikes."""
    if not roles:
        if not interests:
            return "", "", "", ""
        liked = joined(i[1] for i in interests if i[2] == LIKES)
        return liked, "", liked, joined(i[1] for i in interests if i[2] != LIKES)
    codes = [r[1] for r in roles]
    likes = [i[1] for i in interests or () if i[2] == LIKES]
    dislikes = [i[1] for i in interests or () if i[2] != LIKES]
    names = joined([*(ROLE_LABELS.get(c, c) for c in codes), *likes])
    return names, SEP.join(codes), joined(likes), joined(dislikes)


def person_row(person: Row, chunk: Chunk) -> list[str]:
    """One person's cells, in ``HEADER`` order, every one neutralised."""
    pid, given, family, preferred, street, locality, region, postal, country = person[:9]
    language, time_zone, notes, source = person[9:13]
    roles, interests = chunk.roles.get(pid), chunk.interests.get(pid)
    labels, codes, likes, dislikes = _labels(roles, interests) if roles or interests else NONE
    tags = joined(t[1] for t in chunk.tags[pid]) if pid in chunk.tags else ""
    if tags:  # after the roles and interests: Google Contacts shows them all as labels
        labels = f"{labels}{SEP}{tags}" if labels else tags
    orgs = chunk.organisations.get(pid)
    weddings = chunk.weddings.get(pid)
    occasions = chunk.occasions.get(pid)
    # Most people have a birthday at most: their Event cells are empty, nothing to sort.
    dated = occasions and (len(occasions) > 1 or occasions[0][1] != "birthday")
    events, kinds = _events(weddings, occasions) if weddings or dated else NO_EVENTS
    emails, phones = chunk.emails.get(pid), chunk.phones.get(pid)
    cells = [
        given,
        "",
        family,
        preferred,
        joined(o[2] for o in orgs) if orgs else "",
        # Titles in the organisations' order (an empty one too), so each keeps its own.
        joined(o[3] for o in orgs) if orgs and any(o[3] for o in orgs) else "",
        _birthday(occasions) if occasions else "",
        notes,
        labels,
        *(_contacts(emails) if emails else NO_CONTACTS),
        *(_contacts(phones) if phones else NO_CONTACTS),
        "Home" if street or locality or region or postal or country else "",
        street,
        locality,
        region,
        postal,
        country,
        *events,
        language,
        time_zone,
        str(pid),
        source,
        codes,
        likes,
        dislikes,
        tags,
        kinds,
    ]
    return [
        ("'" + c) if c and (c[0] in DANGEROUS or (c[0] == "'" and _quoted(c))) else c for c in cells
    ]


def csv_head(*, bom: bool = False) -> str:
    """The header row; ``bom`` starts it with a byte-order mark for Excel."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(HEADER)
    return (BOM if bom else "") + buffer.getvalue()


def csv_chunk(chunk: Chunk) -> str:
    """The rows of one chunk's people."""
    buffer = io.StringIO()
    with gc_paused():
        csv.writer(buffer, lineterminator="\r\n").writerows(
            [person_row(p, chunk) for p in chunk.people]
        )
    return buffer.getvalue()


def csv_stream(chunks: Iterable[Chunk], *, bom: bool = False) -> Iterator[str]:
    """The CSV text, one piece per chunk; ``bom`` starts it with a byte-order mark for Excel."""
    yield csv_head(bom=bom)
    for chunk in chunks:
        yield csv_chunk(chunk)
