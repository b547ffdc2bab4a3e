"""What a dry run's earlier chunks would have stored, for matching the later chunks' rows as a
real run would match them against the database.

A dry run writes nothing, so each chunk's new and updated rows leave keys here instead: their
emails, phones, names and name facts (``namesakes.memory_keys``), some ten a row. As Python
strings a million-row file's keys took over a gigabyte; here each is a 64-bit hash in a private
temporary SQLite database, which keeps a small cache in memory and the rest in a temporary file.
Each chunk asks once for the keys its rows would find (``known``). Two keys that share a hash
(about one chance in a million for a million-row file) could count one row as matched.

Each email and phone also keeps a hash of the facts of the last row that had it (``remember``):
a later row matched to an earlier chunk with exactly those facts adds nothing, and a real run
would count it "unchanged" (``same_facts``). A row with other facts counts as updated, as
before, even when the person already had them all from several earlier rows.

A stored person whom a row would change is kept as they would then be (``keep_changed``), so
that a later chunk's row of theirs is compared with that, as a real run compares it with what
the first row wrote (``changed_people``).
"""

from __future__ import annotations

import pickle  # noqa: S403 - only this process's own objects, in its private file
import sqlite3
from collections.abc import Iterable

from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.sql_in import pieces
from goodwill.exchange.importer.stored import Stored
from goodwill.exchange.parse.records import YearlyDate
from goodwill.people.normalize import tag_key

CACHE_KB = 16 * 1024


def _hash(key: str) -> int:
    return hash(key)  # 64-bit, the same for the same text within this process: all it needs


class DryRunMemory:
    """A set of keys kept out of memory; ``close`` deletes it."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)  # "": a private temporary file
        self._db.execute(f"PRAGMA cache_size=-{CACHE_KB}")
        self._db.execute("CREATE TABLE seen (key INTEGER PRIMARY KEY) WITHOUT ROWID")
        self._db.execute("CREATE TABLE facts (key INTEGER PRIMARY KEY, digest INTEGER)")
        self._db.execute("CREATE TABLE changed (pk INTEGER PRIMARY KEY, person BLOB)")

    def add(self, keys: Iterable[str]) -> None:
        rows = [(h,) for h in {_hash(k) for k in keys}]
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?)", rows)
        self._db.execute("COMMIT")

    def known(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` were added before."""
        by_hash: dict[int, list[str]] = {}
        for key in keys:
            by_hash.setdefault(_hash(key), []).append(key)
        found: set[str] = set()
        for piece in pieces(by_hash):
            marks = ", ".join("?" * len(piece))
            sql = f"SELECT key FROM seen WHERE key IN ({marks})"  # noqa: S608 - only marks
            for (h,) in self._db.execute(sql, piece):
                found.update(by_hash[h])
        return found

    def remember(self, rows: Iterable[ImportRow]) -> None:
        """Keep the facts of ``rows`` under each of their emails and phones (the last wins)."""
        found = [(_hash(k), facts_digest(row)) for row in rows for k in (*row.emails, *row.phones)]
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?)", found)
        self._db.execute("COMMIT")

    def same_facts(self, rows: list[ImportRow]) -> int:
        """How many of ``rows`` have the facts an earlier row with one of their emails or
        phones had."""
        keys = {_hash(k) for row in rows for k in (*row.emails, *row.phones)}
        stored: dict[int, int] = {}
        for piece in pieces(keys):
            marks = ", ".join("?" * len(piece))
            sql = f"SELECT key, digest FROM facts WHERE key IN ({marks})"  # noqa: S608 - marks
            stored.update(self._db.execute(sql, piece))
        return sum(
            any(stored.get(_hash(k)) == facts_digest(row) for k in (*row.emails, *row.phones))
            for row in rows
        )

    def keep_changed(self, people: Iterable[Stored]) -> None:
        """Keep stored people as this chunk's rows would have left them."""
        rows = [(p.pk, pickle.dumps(p, pickle.HIGHEST_PROTOCOL)) for p in people]
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR REPLACE INTO changed VALUES (?, ?)", rows)
        self._db.execute("COMMIT")

    def changed_people(self, ids: Iterable[int]) -> dict[int, Stored]:
        """Those of the stored people ``ids`` whom earlier chunks' rows would have changed, as
        they would then be."""
        found: dict[int, Stored] = {}
        for piece in pieces(set(ids)):
            marks = ", ".join("?" * len(piece))
            sql = f"SELECT pk, person FROM changed WHERE pk IN ({marks})"  # noqa: S608 - marks
            for pk, person in self._db.execute(sql, piece):
                found[pk] = pickle.loads(person)  # noqa: S301 - written by keep_changed above
        return found

    def close(self) -> None:
        self._db.close()


def _dates(dates: list[tuple[str, YearlyDate]]) -> tuple[tuple[str, int, int, int], ...]:
    return tuple(sorted((label, d.month, d.day, d.year or 0) for label, d in dates))


def facts_digest(row: ImportRow) -> int:
    """A hash of everything ``row`` would store (labels aside, as an update ignores them)."""
    b = row.birthday
    facts = (
        tuple(row.values.values()),
        row.notes,
        tuple(sorted(row.emails)),
        tuple(sorted(row.phones)),
        row.organisation,
        row.job_title,
        tuple(row.more_organisations),
        tuple(sorted(row.interests)),
        (b.month, b.day, b.year or 0) if b else None,
        _dates(row.anniversaries),
        _dates(row.custom_dates),
        tuple(sorted(row.roles)),
        tuple(sorted(row.dislikes)),
        tuple(sorted(tag_key(name) for name in row.tags)),  # "VIP" and "vip": one tag
    )
    return hash(facts)
