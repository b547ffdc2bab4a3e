"""Cards of one file that name each other: a vCard's ``RELATED`` (``TYPE=spouse``, by the other
card's ``UID``) and a wedding a card shares with a spouse become a relationship between the two
people and the couple's occasion, once the whole file is read: the card named may come later.

While the chunks are read, ``Links`` remembers who each card with a UID became (the person it
created or updated, or whose row it was folded into; in a dry run, which creates nobody, a
stand-in number of its own), and each link and couple date of the cards that were imported
(not those skipped as someone already stored with dedupe "skip": they change nobody). UIDs are
64-bit hashes in a private temporary SQLite database, as the dry run's memory keeps its keys:
every card of a large goodwill export has one.

At the end a link to a UID that no imported card of the file has is left out with a warning on
the line of the RELATED that names it, kept with the card's row (the same in a dry run, which
counts what a real run would);
a link to a card left out as a possible duplicate is left out without one (that card is listed
already); ``couples.links_write`` writes the rest, and ``link_facts`` the ties' since-dates and
notes and the households the cards share (goodwill's ``card_extras``). The links do not change
the rows' counts: a row is created, updated or unchanged by what it holds about its own person.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.exchange.importer.card_extras import TieFacts
from goodwill.exchange.importer.couples import CoupleDate, Tie, links_write
from goodwill.exchange.importer.link_facts import Member, households_write, tie_facts_write
from goodwill.exchange.importer.owners import traces
from goodwill.exchange.importer.plan import Plan
from goodwill.exchange.importer.related import kind_label
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.sql_in import pieces
from goodwill.exchange.importer.stored import Stored
from goodwill.exchange.importer.write import Written
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse.records import RowError
from goodwill.people.models import Relationship

NOBODY = 0  # the card of a possible duplicate that was left out


def _hash(uid: str) -> int:
    return hash(uid)  # 64-bit, the same for the same text within this process


@dataclass(slots=True)
class _Link:
    line: int
    person: int  # who the card became (negative: a dry run's stand-in)
    kind: str  # "the named person is the <kind> of this card's" (``related.link_kind``)
    uid: str
    facts: TieFacts | None = None  # the tie's since-date and notes, when the card gives them
    at: int = 0  # the line of the RELATED that names it (0: the card's)


def _tie(link: _Link, other: int) -> Tie:
    """The tie a link names: ``other`` is the link's kind of the card's person, who is the
    <label> of ``other`` for ``custom_of``."""
    kind, label = kind_label(link.kind)
    if kind == "custom_of":
        return Tie(link.line, link.person, other, Relationship.Kind.CUSTOM, label)
    return Tie(link.line, other, link.person, kind, label)


class Links:
    """What a run's cards say about each other; ``close`` deletes its memory."""

    def __init__(self, *, dry_run: bool) -> None:
        self.dry_run = dry_run
        self._db: sqlite3.Connection | None = None
        self._links: list[_Link] = []
        self._dates: list[CoupleDate] = []
        self._households: list[Member] = []
        self._owners: dict[int, dict[str, Any]] = {}  # line -> whose row, for the warnings

    def _memory(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect("", isolation_level=None)  # a private temporary file
            self._db.execute("CREATE TABLE uid (key INTEGER PRIMARY KEY, person INTEGER)")
        return self._db

    def chunk(self, plan: Plan, written: Written) -> None:
        """Remember who the chunk's cards became, and their links and couple dates."""
        rows = [*plan.new, *(row for _stored, row in plan.updates)]
        rows += [row for row, _target in (*plan.folded, *plan.passed, *plan.duplicates)]
        if not any(row.uid or row.links or row.couple_dates for row in rows):
            return  # a CSV, or cards without a UID
        people = self._people(plan, written)
        uids = [(_hash(row.uid), pk) for row, pk in people if row.uid]
        # A possible duplicate left out is listed as such: a link to its card is left out too.
        uids += [(_hash(row.uid), NOBODY) for row, _pk in plan.duplicates if row.uid]
        if uids:
            db = self._memory()
            db.execute("BEGIN")
            db.executemany("INSERT OR IGNORE INTO uid VALUES (?, ?)", uids)  # the first card's
            db.execute("COMMIT")
        passed = {id(row) for row, _target in plan.passed}
        for row, pk in people:
            extras = row.extras
            if extras is not None and extras.household is not None:
                self._households.append(Member(pk, extras.household, id(row) in passed))
            if (row.links or row.couple_dates) and id(row) not in passed:
                self._add(row, pk)

    def _people(self, plan: Plan, written: Written) -> list[tuple[ImportRow, int]]:
        """Each row of the chunk that became, updated or joins someone, with who that is (not
        a row refused when written: nothing of it is stored, its links neither)."""
        refused = {e.line for e in written.errors}
        made = [row for row in plan.new if row.line not in refused]
        created = [-row.line for row in made] if self.dry_run else written.created
        who: dict[int, int] = {id(row): pk for row, pk in zip(made, created, strict=True)}
        found = list(zip(made, created, strict=True))
        found += [(row, stored.pk) for stored, row in plan.updates]
        for row, target in [*plan.folded, *plan.passed]:
            if target is None:  # a dry run's earlier chunk's new person: not known here
                found.append((row, -row.line))
            elif isinstance(target, Stored):
                found.append((row, target.pk))
            elif id(target) in who:  # an earlier new row of the chunk (unless refused)
                found.append((row, who[id(target)]))
        return [(row, pk) for row, pk in found if row.line not in refused]

    def _add(self, row: ImportRow, person: int) -> None:
        extras = row.extras
        ties = extras.ties if extras is not None else {}
        lines = extras.lines if extras is not None else {}
        self._links += [
            _Link(row.line, person, kind, uid, ties.get((kind, uid)), lines.get((kind, uid), 0))
            for kind, uid in row.links
        ]
        for uid, label, date in row.couple_dates:
            note, lead = row.date_extras.get(("wedding", label, date), ("", None))
            self._dates.append(CoupleDate(row.line, person, uid, label, date, note, lead))
        if person > 0:
            self._owners[row.line] = {"person_id": person}
        else:
            found = traces(emails=row.emails, phones=row.phones, name_key=row.name_key)
            self._owners[row.line] = {"traces": found} if found else {}

    def _resolved(self, uids: Iterable[str]) -> dict[str, int]:
        """Who the cards of these UIDs became (those the file has)."""
        by_hash: dict[int, list[str]] = {}
        for uid in uids:
            by_hash.setdefault(_hash(uid), []).append(uid)
        if self._db is None or not by_hash:
            return {}
        found: dict[str, int] = {}
        for piece in pieces(by_hash):
            marks = ", ".join("?" * len(piece))
            sql = f"SELECT key, person FROM uid WHERE key IN ({marks})"  # noqa: S608 - marks
            for key, person in self._db.execute(sql, piece):
                found.update(dict.fromkeys(by_hash[key], person))
        return found

    def finish(
        self, *, actor: User | None, detail: str, batch: ImportBatch
    ) -> tuple[list[RowError], dict[int, dict[str, Any]]]:
        """Write the links (not in a dry run) and return the warnings about those left out,
        with whose rows they are on (line -> ``person_id`` or ``traces``)."""
        if not self._links and not self._dates and not self._households:
            return [], {}
        people = self._resolved({link.uid for link in self._links} | {d.uid for d in self._dates})
        warnings: dict[RowError, None] = {}  # each once, in the file's order
        ties: list[Tie] = []
        facts: list[tuple[Tie, TieFacts]] = []
        for link in self._links:
            other = people.get(link.uid)
            if other == NOBODY:
                continue
            if other is None:
                message = _(
                    "%(uid)s is not the UID of a card imported from this file; imported without it."
                )
                warning = RowError(link.line, "RELATED", message % {"uid": link.uid}, link.at)
                warnings.setdefault(warning, None)
            elif other != link.person:  # two cards of one person name each other: no tie
                ties.append(_tie(link, other))
                if link.facts is not None:
                    facts.append((ties[-1], link.facts))
        if not self.dry_run:
            dates = [d.resolved(people.get(d.uid)) for d in self._dates]
            links_write(actor=actor, ties=ties, dates=dates, detail=detail)
            tie_facts_write(actor=actor, ties=facts, batch=batch)
            households_write(actor=actor, members=self._households, batch=batch)
        lines = {w.line for w in warnings}
        return list(warnings), {line: o for line, o in self._owners.items() if line in lines}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
