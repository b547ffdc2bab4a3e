"""The substring search index (FTS5) while a large import writes, on SQLite (``deferred``).

Deferring it drops the trigger that indexes each new person, and makes the triggers that take a
person's text out of the index (on delete, and before the new text on an update) act only on
people up to the highest id stored at that moment: the people above it are not in the index,
and FTS5 must never be told to remove text it does not hold. The list (``DeferredIndex``) first
names the catch-up, one ``INSERT … SELECT`` of every person above that id as they are then, and
then the three triggers as they were, so that whoever builds the list again (the import when it
ends, the next import, ``migrate``) indexes those people once and puts the triggers back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, connection

from goodwill.exchange.models import DeferredIndex, ImportBatch

log = logging.getLogger("goodwill.imports")
TABLE = "people_person"
INDEX = "people_person_fts"
ADDS = "people_person_fts_ai"  # indexes each new person
REMOVES = ("people_person_fts_ad", "people_person_fts_au")  # take old text out (update: and add)
CATCH_UP = f"{INDEX} (people added meanwhile)"
CATCH_UP_HASH_BYTES = 16 * 1024 * 1024
DEFAULT_HASH_BYTES = 1024 * 1024  # FTS5's own


def _trigger(cursor: Any, name: str) -> str | None:
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
    row = cursor.fetchone()
    return str(row[0]) if row else None


def _limited(sql: str, highest: int) -> str | None:
    """The trigger ``sql`` acting only on people up to ``highest``; None if it is not of the
    form the migrations create (it is then left alone, and nothing is deferred)."""
    if sql.count(" BEGIN ") != 1 or " WHEN " in sql.upper():
        return None
    return sql.replace(" BEGIN ", f" WHEN old.id <= {int(highest)} BEGIN ", 1)


def search_defer(cursor: Any, batch: ImportBatch, highest: int) -> list[str]:
    """Defer the search index (in the caller's transaction) for people above ``highest`` (the
    highest id stored); ``[INDEX]``, or ``[]`` when there is none or it is deferred already."""
    adds = _trigger(cursor, ADDS)
    removes = {name: _trigger(cursor, name) for name in REMOVES}
    if adds is None or any(sql is None for sql in removes.values()):
        return []
    limited = {name: _limited(str(sql), highest) for name, sql in removes.items()}
    if any(sql is None for sql in limited.values()):
        return []
    catch_up = (
        f"INSERT INTO {INDEX}(rowid, search_doc) "  # noqa: S608 - constants and an int
        f"SELECT id, search_doc FROM {TABLE} WHERE id > {highest}"
    )
    DeferredIndex.objects.create(name=CATCH_UP, sql=catch_up, batch=batch)
    for name, sql in [*removes.items(), (ADDS, adds)]:
        DeferredIndex.objects.create(name=name, sql=str(sql), batch=batch)
    cursor.execute(f"DROP TRIGGER {ADDS}")
    for name, sql in limited.items():
        cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(sql)
    return [INDEX]


def _hash_size(cursor: Any, size: int) -> None:
    """How much of its new terms FTS5 keeps in memory before writing them out (best effort:
    an SQLite that does not know the option builds the same index, only slower)."""
    try:
        sql = f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('hashsize', %s)"  # noqa: S608 - constant
        cursor.execute(sql, [size])
    except DatabaseError:
        log.info("This SQLite has no FTS5 hashsize option; the search index builds as it can.")


def catch_up(cursor: Any, sql: str) -> None:
    """Run the catch-up ``sql`` with a 16 MB buffer for FTS5's new terms instead of 1 MB:
    with fewer, larger segments to merge, a million people took 8.7 s instead of 12.3 s."""
    _hash_size(cursor, CATCH_UP_HASH_BYTES)
    try:
        cursor.execute(sql)
    finally:
        _hash_size(cursor, DEFAULT_HASH_BYTES)


def restore_statements(name: str, sql: str) -> list[str]:
    """What builds a listed entry again: an index (unless it exists), the catch-up, a trigger
    as it was (replacing the limited one), or dropping a partial index."""
    if sql.startswith("CREATE INDEX "):
        return [sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)]
    if sql.startswith("CREATE TRIGGER "):
        return [f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}", sql]
    return [sql]  # the catch-up, or dropping a partial index of the people stored before
