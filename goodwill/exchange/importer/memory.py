"""What a dry run's earlier chunks would have stored, for matching the later chunks' rows as a
real run would match them against the database.

A dry run writes nothing, so each chunk's new and updated rows leave keys here instead: their
emails, phones, names and name facts (``namesakes.memory_keys``), some ten a row. As Python
strings a million-row file's keys took over a gigabyte; here each is a 64-bit hash in a private
temporary SQLite database, which keeps a small cache in memory and the rest in a temporary file.
Each chunk asks once for the keys its rows would find (``known``). Two keys that share a hash
(about one chance in a million for a million-row file) could count one row as matched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from goodwill.exchange.importer.namesakes import pieces

CACHE_KB = 16 * 1024


def _hash(key: str) -> int:
    return hash(key)  # 64-bit, the same for the same text within this process: all it needs


class DryRunMemory:
    """A set of keys kept out of memory; ``close`` deletes it."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)  # "": a private temporary file
        self._db.execute(f"PRAGMA cache_size=-{CACHE_KB}")
        self._db.execute("CREATE TABLE seen (key INTEGER PRIMARY KEY) WITHOUT ROWID")

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

    def close(self) -> None:
        self._db.close()
