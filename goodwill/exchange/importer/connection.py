"""The database connection of a bulk import: SQLite reads its file without memory-mapping it
(``unmapped_database``) and checkpoints its log less often (``fewer_checkpoints``).

The web server maps up to 256 MB of the SQLite file (``mmap_size`` in settings): fast reads,
and the mapped pages count in its resident memory. An import only appends and looks up keys; with
the map, a million-row import's resident memory grew by the part of the file it touched. Without
it, pages go through SQLite's own cache (64 MB) and the operating system's file cache, and the
import's memory stays bounded by its chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from django.db import connection


@contextmanager
def unmapped_database() -> Iterator[None]:
    """No memory-mapped reads on this thread's SQLite connection inside the block."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        row = cursor.fetchone()  # none for an in-memory database: nothing is mapped
        before = int(row[0]) if row else 0
        if before:
            cursor.execute("PRAGMA mmap_size=0")
    if not before:
        yield
        return
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size={before}")


WAL_PAGES = 20_000  # pages (about 80 MB) between an import's checkpoints; SQLite's default: 1,000
DEFERRED_CACHE_KIB = 16_000  # SQLite's page cache while the import's indexes are deferred


@contextmanager
def _pragma(name: str, value: int) -> Iterator[None]:
    """The SQLite setting ``name`` at ``value`` on this thread's connection inside the block,
    as it was after it (nothing on PostgreSQL)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA {name}={int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}={before}")


def fewer_checkpoints() -> AbstractContextManager[None]:
    """Checkpoint the write-ahead log every ``WAL_PAGES`` pages inside the block. Each
    checkpoint copies the pages changed since the last one into the database file: chunk after
    chunk, the same pages of the tables' ends and of their indexes were copied again; a
    million-row import spent a fifth of its writing time on it."""
    return _pragma("wal_autocheckpoint", WAL_PAGES)


def smaller_cache() -> AbstractContextManager[None]:
    """A 16 MB page cache inside the block (64 MB in settings). With its indexes deferred, an
    import appends to the tables' ends and looks up a few keys: a million-row import ran as
    fast with it, and with 90 MB less memory."""
    return _pragma("cache_size", -DEFERRED_CACHE_KIB)
