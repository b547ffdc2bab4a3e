"""The database connection of a bulk import: SQLite reads its file without memory-mapping it.

The web server maps up to 256 MB of the SQLite file (``mmap_size`` in settings): fast reads,
and the mapped pages count in its resident memory. An import only appends and looks up keys; with
the map, a million-row import's resident memory grew by the part of the file it touched. Without
it, pages go through SQLite's own cache (64 MB) and the operating system's file cache, and the
import's memory stays bounded by its chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
