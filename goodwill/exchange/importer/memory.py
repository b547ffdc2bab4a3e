"""What a dry run's earlier chunks would have stored, for matching and counting the later
chunks' rows as a real run would against the database.

A dry run writes nothing, so each chunk leaves here instead, for every person it would create
or change, the keys a later row finds them by (their emails and phones, and their name facts,
``namesakes.memory_keys``) and the person as they would then be stored (a ``Stored``): a
stored person by their id, a person it would create by an id of its own below zero. A later row
found by those keys is compared with that person exactly as a real run compares it with what it
stored (``changes_for``), so "updated" and "unchanged" come out the same.

As Python objects a million-row file's people and keys took over a gigabyte; here each key is
a 64-bit hash, and each person a few hundred bytes (``marshal``), in a private temporary SQLite
database that keeps a small cache in memory and the rest in a temporary file. Two keys that
share a hash (about one chance in a million for a million-row file) could match a row wrongly.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable
from typing import Any

from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.sql_in import pieces
from goodwill.exchange.importer.stored import FIELDS, Stored

CACHE_KB = 16 * 1024
FILTER_BITS = 26  # an 8 MB filter in front of the keys: most keys a chunk asks for are not there
_MASK = (1 << FILTER_BITS) - 1
NEW_RANK = 1 << 40  # above every stored person's id


def _hash(key: str) -> int:
    return hash(key)  # 64-bit, the same for the same text within this process: all it needs


def _rank(person: int) -> int:
    """Lower for the person a real run would find first: a stored person by their id, then
    those the dry run would create (ids below zero), in the order it would create them."""
    return person if person > 0 else NEW_RANK - person


def _person(rank: int) -> int:
    return rank if rank < NEW_RANK else NEW_RANK - rank


def _plain(values: Iterable[object]) -> list[str]:
    """Plain strings: marshal refuses a subclass (a model's Choices member, a safe string)."""
    return [str(value) for value in values]


def _pack(person: Stored) -> bytes:
    return marshal.dumps(
        (
            _plain(person.values[name] for name in FIELDS),
            _plain(person.emails),
            _plain(person.phones),
            person.birthday,
            person.anniversaries.entries(),
            _plain(person.roles),
            _plain(person.org_keys),
            _plain(person.interest_keys),
            _plain(person.tag_keys),
        )
    )


def _unpack(pk: int, data: bytes) -> Stored:
    # Only ever what ``_pack`` wrote into this process's own private file.
    unpacked = marshal.loads(data)  # noqa: S302
    values, emails, phones, birthday, dates, roles, orgs, interests, tags = unpacked
    return Stored(
        pk,
        dict(zip(FIELDS, values, strict=True)),
        emails=emails,
        phones=phones,
        birthday=tuple(birthday) if birthday else None,
        anniversaries=KnownDates.from_entries(dates),
        roles=roles,
        org_keys=set(orgs),
        interest_keys=set(interests),
        tag_keys=set(tags),
    )


class DryRunMemory:
    """Keys and people kept out of memory; ``close`` deletes them."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)  # "": a private temporary file
        self._db.execute(f"PRAGMA cache_size=-{CACHE_KB}")
        self._db.execute("CREATE TABLE seen (key INTEGER PRIMARY KEY, rank INTEGER)")
        self._db.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, person BLOB)")
        self._next = 0
        # Two bits per key (a Bloom filter): a key with either bit clear was never added, and is
        # not looked up. With ten million keys, about one key in 15 that was not added passes.
        self._filter = bytearray(1 << (FILTER_BITS - 3))

    def new_ids(self, count: int) -> list[int]:
        """Ids for people the dry run would create: below zero, never a stored person's."""
        start = self._next
        self._next -= count
        return list(range(start - 1, self._next - 1, -1))

    def add(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Remember that each key finds its person: of those holding it, the lowest id (a
        stored person's, below those the dry run would create, which it would create in turn),
        as a real run finds it. One key only: where several people the dry run met hold a key,
        it does not prefer, as a real run does, the one a row names."""
        rows: dict[int, int] = {}
        bits = self._filter
        for key, person in pairs:
            h = _hash(key)
            rank = _rank(person)
            if rank < rows.get(h, rank + 1):
                rows[h] = rank
            for at in (h & _MASK, (h >> FILTER_BITS) & _MASK):
                bits[at >> 3] |= 1 << (at & 7)
        self._transaction(
            "INSERT INTO seen VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
            " SET rank = min(rank, excluded.rank)",
            sorted(rows.items()),
        )

    def forget(self, keys: Iterable[str]) -> None:
        """Take ``keys`` back (their filter bits stay: a later look-up just finds nothing)."""
        hashes = [(_hash(key),) for key in keys]
        if hashes:
            self._transaction("DELETE FROM seen WHERE key = ?", hashes)

    def _maybe(self, h: int) -> bool:
        bits, first, second = self._filter, h & _MASK, (h >> FILTER_BITS) & _MASK
        return bool(
            bits[first >> 3] & (1 << (first & 7)) and bits[second >> 3] & (1 << (second & 7))
        )

    def known(self, keys: Iterable[str]) -> dict[str, int]:
        """The person each of ``keys`` finds, for those added before."""
        by_hash: dict[int, list[str]] = {}
        for key in keys:
            if self._maybe(h := _hash(key)):
                by_hash.setdefault(h, []).append(key)
        found: dict[str, int] = {}
        for piece in pieces(by_hash):
            marks = ", ".join("?" * len(piece))
            sql = f"SELECT key, rank FROM seen WHERE key IN ({marks})"  # noqa: S608 - marks
            for h, rank in self._db.execute(sql, piece):
                found.update(dict.fromkeys(by_hash[h], _person(rank)))
        return found

    def keep(self, people: Iterable[Stored]) -> None:
        """Keep ``people`` as this chunk would have left them."""
        rows = [(p.pk, _pack(p)) for p in people]
        self._transaction("INSERT OR REPLACE INTO people VALUES (?, ?)", rows)

    def people(self, ids: Iterable[int]) -> dict[int, Stored]:
        """Those of ``ids`` an earlier chunk would have created or changed, as they would be."""
        found: dict[int, Stored] = {}
        for piece in pieces(set(ids)):
            marks = ", ".join("?" * len(piece))
            sql = f"SELECT id, person FROM people WHERE id IN ({marks})"  # noqa: S608 - marks
            for pk, data in self._db.execute(sql, piece):
                found[pk] = _unpack(pk, data)
        return found

    def _transaction(self, sql: str, rows: Iterable[Any]) -> None:
        self._db.execute("BEGIN")
        self._db.executemany(sql, rows)
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
