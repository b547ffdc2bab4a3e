"""Matching rows while a large import has deferred the email, phone and name indexes (SQLite).

Those three indexes take each new person's keys in random places, so past a few hundred
thousand people every chunk rewrote pages all over them; built after the rows from sorted keys,
they take about a second each (``deferred``). The import still has to find who holds a row's
email, phone or name, so while they are deferred:

- the rows stored when they were deferred (people, emails and phones up to each table's end
  then) are found through partial indexes of just those rows, built then from sorted keys; each
  query names the same bound on the table's own id (``old``) so that SQLite uses them. A row
  changed in place since (a person renamed, an email moved to another person by a merge) is
  still in them, as it is now;
- the rows added since (by this import, or by hand meanwhile) are found through ``KeyMemory``:
  a hash of each name, email and phone with its person's id, read before each chunk and after
  writing it from the rows past each table's end (``refresh``). A hash only points at
  candidates; the caller reads their rows by id and keeps those that really hold the key, so
  two keys sharing a hash never join two people.

What is not seen: a name changed on someone added since; a later row of the file with the new
name is not matched to them by name.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

EMAIL, PHONE, NAME = "email", "e164", "sort_key"  # the columns they are stored in
SHORT = "short"  # the name of someone without an email or a phone
KEYS_PER_ROW = 3  # an email, a phone and a name: the memory's first size, per row to come
MAX_FIRST = 3_000_000  # keys it is first made for at most (32 MB of slots); more grow it
MAX_LOAD = 0.75  # then it doubles


def _slot_hash(kind: str, key: str) -> int:
    """A 31-bit hash of the key, never 0 (an empty slot)."""
    return (hash((kind, key)) & 0x7FFFFFFF) or 1


class KeyMemory:
    """Hashes of keys, each with the ids of the people holding it (below 2**32: see
    ``deferred.should_defer``): an open-addressing table of hashes whose slots head a chain of
    ids, all in arrays of 32-bit integers (a million-row file's three million keys in about
    56 MB; as Python ints in dicts and lists they would take over 300 MB). A name held by a
    thousand people is one slot and a chain of a thousand."""

    def __init__(self, expected: int) -> None:
        self._size = max(1 << 16, int(min(expected, MAX_FIRST) / MAX_LOAD) | 1)
        self._hashes = array("i", bytes(4 * self._size))
        self._heads = array("i", bytes(4 * self._size))  # 1 + the latest entry; 0: none
        self._people = array("I")  # person ids
        self._next = array("i")  # 1 + the entry before; 0: none
        self._used = 0

    def _slot(self, h: int) -> int:
        """Where ``h`` is, or the empty slot where it would go."""
        hashes, size = self._hashes, self._size
        i = h % size
        while (stored := hashes[i]) and stored != h:
            i = (i + 1) % size
        return i

    def add(self, pairs: Iterable[tuple[str, str, int]]) -> None:
        """Remember each ``(kind, key, person id)``."""
        people, chain = self._people, self._next
        for kind, key, n in pairs:
            h = _slot_hash(kind, key)
            i = self._slot(h)
            if not self._hashes[i]:
                if self._used + 1 > MAX_LOAD * self._size:
                    self._grow()
                    i = self._slot(h)
                self._hashes[i] = h
                self._used += 1
            people.append(n)
            chain.append(self._heads[i])
            self._heads[i] = len(people)

    def _grow(self) -> None:
        old_hashes, old_heads = self._hashes, self._heads
        self._size = 2 * self._size + 1
        self._hashes = array("i", bytes(4 * self._size))
        self._heads = array("i", bytes(4 * self._size))
        for h, head in zip(old_hashes, old_heads, strict=True):
            if h:
                i = self._slot(h)
                self._hashes[i], self._heads[i] = h, head

    def candidates(self, kind: str, keys: Iterable[str]) -> set[int]:
        """The people remembered under the hash of any of ``keys`` (a superset)."""
        found: set[int] = set()
        people, chain = self._people, self._next
        for key in keys:
            h = _slot_hash(kind, key)
            i = self._slot(h)
            entry = self._heads[i] if self._hashes[i] else 0
            while entry:
                found.add(people[entry - 1])
                entry = chain[entry - 1]
        return found


class Window:
    """How a chunk finds stored people by email, phone or name: with the indexes (``NONE``),
    or while they are deferred (the rows stored then by partial indexes, later ones from
    memory, ``refresh``)."""

    def __init__(self, deferral: Deferred | None = None, rows: int = 0) -> None:
        """``deferral``: where the tables ended when the indexes were deferred (None: they are
        in place); ``rows``: how many rows are still to come."""
        self._bounds = dict(deferral.ends) if deferral is not None else {}
        self._ends = dict(self._bounds)
        self.memory = KeyMemory(rows * KEYS_PER_ROW) if deferral is not None else None

    @property
    def open(self) -> bool:
        return self.memory is not None

    def old(self, table: str) -> str:
        """The bound a query on ``table`` adds to its WHERE (after an AND) for SQLite to use
        the partial index of the rows stored before; "" with the indexes in place."""
        if table not in self._bounds:
            return ""
        return f' AND "id" <= {int(self._bounds[table])}'

    def candidates(self, kind: str, keys: Iterable[str]) -> set[int]:
        """The ids of people added since who may hold one of ``keys`` (a superset)."""
        return self.memory.candidates(kind, keys) if self.memory is not None else set()

    def refresh(self) -> None:
        """Remember the names, emails and phones added since the last call, by this import or
        by anyone else: the rows past each table's end (ids only grow), read by their ids."""
        if self.memory is None:
            return
        for table, sql in TAILS.items():
            with connection.cursor() as cursor:
                cursor.execute(sql, [self._ends[table]])
                rows = cursor.fetchall()
            if not rows:
                continue
            self._ends[table] = max(row[0] for row in rows)
            self.memory.add(_keys(table, rows))

    def close(self) -> None:
        self.memory = None


def _keys(table: str, rows: list[tuple[Any, ...]]) -> Iterator[tuple[str, str, int]]:
    """The keys of ``rows`` of ``table``, each with its person's id."""
    if table == PEOPLE:
        for pk, name, email, phone in rows:
            yield NAME, name, pk
            if not (email and phone):
                yield SHORT, name, pk
        return
    kind = EMAIL if table == EMAILS else PHONE
    for _id, pk, key in rows:
        yield kind, key, pk


@dataclass
class Deferred:
    """Where the people, emails and phones tables ended when the indexes were deferred."""

    ends: dict[str, int] = field(default_factory=dict)  # table -> its highest id

    @property
    def highest(self) -> int:
        """The highest person id."""
        return self.ends.get(PEOPLE, 0)


PEOPLE, EMAILS, PHONES = "people_person", "people_personemail", "people_personphone"
# The rows past a table's end, by the table's own ids only: with a condition on person_id too,
# SQLite walked the person index over everyone added since, chunk after chunk.
TAILS = {
    PEOPLE: "SELECT id, sort_key, primary_email, primary_phone FROM people_person WHERE id > %s",
    EMAILS: "SELECT id, person_id, email FROM people_personemail WHERE id > %s",
    PHONES: "SELECT id, person_id, e164 FROM people_personphone WHERE id > %s",
}


def table_ends() -> Deferred:
    """Where the three tables end now (in the caller's transaction)."""
    ends: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in TAILS:
            cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - constant names
            ends[table] = int(cursor.fetchone()[0] or 0)
    return Deferred(ends=ends)


NONE = Window()
