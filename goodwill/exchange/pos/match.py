"""Find the person of each row of a chunk, in a handful of bulk queries: by normalised email,
then E.164 phone, then loyalty number, then exact full name when exactly one person has it.

With ``create_people``, a row nobody matches and that has a name becomes a new person (one per
email, phone, loyalty number or name within the run), unless someone else already has that name
(then it is listed: the name alone cannot tell them apart) or its email is an erased person's.
New people are numbered -1, -2 … until the chunk writes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from goodwill.commerce.models import LoyaltyNumber
from goodwill.exchange.importer.stored import owners_of
from goodwill.exchange.parse.records import RowError
from goodwill.exchange.pos.rows import PosRow
from goodwill.exchange.suppression import suppressed_emails
from goodwill.people.models import Person, PersonEmail, PersonPhone


@dataclass
class Matched:
    """A chunk's rows with their person (a stored id, or a negative slot of ``new``)."""

    rows: list[tuple[int, PosRow]] = field(default_factory=list)
    new: dict[int, PosRow] = field(default_factory=dict)  # slot -> the row that creates it
    unknown: list[RowError] = field(default_factory=list)
    erased: set[int] = field(default_factory=set)  # lines of erased people's rows


@dataclass
class Pending:
    """People to create, by each key they were seen with (kept for the run in a dry run)."""

    by_key: dict[str, int] = field(default_factory=dict)
    count: int = 0

    def find(self, row: PosRow) -> int | None:
        return next((self.by_key[k] for k in _keys(row) if k in self.by_key), None)

    def add(self, row: PosRow) -> int:
        self.count += 1
        for key in _keys(row):
            self.by_key.setdefault(key, -self.count)
        return -self.count


def _keys(row: PosRow) -> list[str]:
    pairs = (("e", row.email), ("p", row.phone), ("l", row.loyalty), ("n", row.name_key))
    return [f"{kind}:{value}" for kind, value in pairs if value]


class _Stored:
    """Who holds the chunk's emails, phones, loyalty numbers and names."""

    def __init__(self, rows: list[PosRow]) -> None:
        self.email = owners_of(PersonEmail, "email", {r.email for r in rows if r.email})
        self.phone = owners_of(PersonPhone, "e164", {r.phone for r in rows if r.phone})
        self.loyalty = owners_of(LoyaltyNumber, "number", {r.loyalty for r in rows if r.loyalty})
        names = {r.name_key for r in rows if r.name_key}
        holders = Person.objects.filter(sort_key__in=names).values_list("sort_key", "id")
        self.name_count: Counter[str] = Counter()
        self.name: dict[str, int] = {}
        for key, pid in holders:
            self.name_count[key] += 1
            self.name[key] = pid
        self.erased = suppressed_emails({r.any_email for r in rows if r.any_email})

    def find(self, row: PosRow) -> int | None:
        for key, owners in ((row.email, self.email), (row.phone, self.phone)):
            if key and key in owners:
                return owners[key]
        if row.loyalty and row.loyalty in self.loyalty:
            return self.loyalty[row.loyalty]
        if row.name_key and self.name_count[row.name_key] == 1:
            return self.name[row.name_key]
        return None


def _unknown(row: PosRow, stored: _Stored, *, create_people: bool) -> RowError:
    """Why nobody was found (or created) for ``row``; an erased person's row is named by its
    line alone, as nothing of theirs may be kept."""
    if row.any_email and row.any_email in stored.erased:
        message = _("The email is an erased person's; nobody is created and nothing is kept.")
        return RowError(row.line, "customer", message)
    tried = [
        _("email %(v)s") % {"v": row.email} if row.email else "",
        _("phone %(v)s") % {"v": row.phone} if row.phone else "",
        _("loyalty %(v)s") % {"v": row.loyalty} if row.loyalty else "",
        _("name %(v)s") % {"v": f"{row.given_name} {row.family_name}".strip()}
        if row.name_key
        else "",
    ]
    message = _("No person matches %(keys)s.") % {"keys": ", ".join(t for t in tried if t)}
    same_name = stored.name_count[row.name_key] if row.name_key else 0
    if same_name > 1:
        message += " " + _("%(n)d people have this name.") % {"n": same_name}
    elif create_people and not row.name_key:
        message += " " + _("The row has no name to create the person with.")
    return RowError(row.line, "customer", message)


def match_chunk(rows: list[PosRow], *, create_people: bool, pending: Pending) -> Matched:
    """Each row's person: found, to be created (``create_people``), or listed as unknown."""
    stored = _Stored(rows)
    out = Matched()
    for row in rows:
        pid = stored.find(row) or pending.find(row)
        creatable = (
            create_people
            and row.name_key
            and not stored.name_count[row.name_key]
            and row.any_email not in stored.erased
        )
        if row.any_email and row.any_email in stored.erased:
            out.erased.add(row.line)
        if pid is None and creatable:
            pid = pending.add(row)
            out.new[pid] = row
        if pid is None:
            out.unknown.append(_unknown(row, stored, create_people=create_people))
        else:
            out.rows.append((pid, row))
    return out
