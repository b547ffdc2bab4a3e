"""Indexes a large import builds after its rows instead of with each row (SQLite only).

With random keys, each row written into a big table puts about one page per index into its
chunk's transaction, and an index much larger than the cache has its pages written again chunk
after chunk. SQLite builds a whole index from sorted keys far faster: a million entries in about
a second. So once an import has shown that its file brings many new people and many rows are
still to come (``should_defer``), such indexes are dropped, and they are created again when it
ends, however it ends.

Deferred: the people list's family-name order, people by primary email, occasions by day of the
year and organisations' members, which the import never reads; and the email, phone and name
indexes it matches rows with, which ``window`` stands in for (a partial index of the rows
stored until then, and a memory of the keys of the rows added since). Never a unique index
or a partial one, nor the organisation-name index (a few thousand organisations).

The substring search index (FTS5, ``people_person_fts``) is deferred too (``search_deferred``):
each statement that inserts people made FTS5 write its new terms into segments it then merges
again and again; one ``INSERT … SELECT`` after the rows builds the same index in a fraction of
the time. People added meanwhile are found by their whole name or email (by scanning) all
along, by part of a name, a phone or an organisation only once the import ends.

An index is dropped in the same transaction that lists it in ``DeferredIndex``, so an import that
is killed leaves the list behind, and the next import and ``migrate`` build what it names. While
they are missing, the pages they serve scan instead (slower, never wrong); an import that starts
while another one runs builds them again (the other one is then slower, and still correct).
PostgreSQL keeps its indexes.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model

from goodwill.exchange.importer import search_deferred as search
from goodwill.exchange.importer.window import Deferred, table_ends
from goodwill.exchange.models import DeferredIndex, ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.people.models import Membership, Person, PersonEmail, PersonPhone

log = logging.getLogger("goodwill.imports")
# (model, indexed columns, whether the import matches rows with it: then a partial index of
# the rows stored when it is deferred stands in, ``window``).
DEFERRABLE: tuple[tuple[type[Model], tuple[str, ...], bool], ...] = (
    (Person, ("family_key", "sort_key", "id"), False),
    (Person, ("primary_email",), False),
    (Occasion, ("md", "id"), False),
    (Membership, ("organisation_id", "person_id"), False),
    (PersonEmail, ("email",), True),
    (PersonPhone, ("e164",), True),
    (Person, ("sort_key", "id"), True),
)
MAX_ID = 2**32 - 1  # the key memory keeps person ids in 32 bits
MIN_CREATED = 20_000  # people this import has created before it defers
MIN_LEFT = 50_000  # rows it has still to read
SORT_CACHE_KIB = -8000  # SQLite's cache (8 MB) while it builds the indexes
# Helper threads SQLite's sorter may use to build an index (its ``threads`` pragma): one per
# further core, up to three; a million rows' indexes took 4.2 s instead of 4.8 to 6 s on two.
SORT_THREADS = min(3, (os.cpu_count() or 1) - 1)
OLD = "__old"  # the partial index's name: the index's own, and this


@dataclass
class Deferral:
    """What ``indexes_defer`` dropped, and where the tables the import matches with ended."""

    names: list[str] = field(default_factory=list)
    at: Deferred = field(default_factory=Deferred)

    @property
    def highest(self) -> int:
        """The highest person id stored when the indexes were deferred."""
        return self.at.highest


def should_defer(batch: ImportBatch) -> bool:
    """Whether this run should defer the indexes now: SQLite, a real run, mostly new people so
    far, and more rows to come than half the people stored (rebuilding costs what is stored)."""
    if connection.vendor != "sqlite" or batch.dry_run:
        return False
    left = batch.total - batch.rows
    if batch.created < MIN_CREATED or batch.created * 2 < batch.rows or left < MIN_LEFT:
        return False
    highest = Person.objects.aggregate(top=Max("id"))["top"] or 0  # no COUNT: a scan
    return left * 2 >= highest and highest + 2 * left < MAX_ID


def _index_sql(cursor: Any, table: str, columns: tuple[str, ...]) -> tuple[str, str] | None:
    """Name and CREATE statement of the plain index (not unique, not partial) on ``columns``."""
    for name, about in connection.introspection.get_constraints(cursor, table).items():
        if not about["index"] or about["unique"] or tuple(about["columns"]) != columns:
            continue
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        sql = str(cursor.fetchone()[0])
        if " WHERE " not in sql.upper():
            return name, sql
    return None


def indexes_defer(batch: ImportBatch) -> Deferral:
    """Drop the deferrable indexes that exist (for those the import matches with, after
    building a partial one of the rows stored now) and the search index's insert trigger,
    listing each with what builds it again. Nothing when another import has deferred them
    (``names`` is then empty)."""
    quote = connection.ops.quote_name
    out = Deferral()
    with transaction.atomic(), connection.cursor() as cursor:
        if DeferredIndex.objects.exists():
            return out
        out.at = table_ends()
        for model, columns, matched in DEFERRABLE:
            table = model._meta.db_table
            found = _index_sql(cursor, table, columns)
            if found is None:
                continue
            name, sql = found
            DeferredIndex.objects.create(name=name, sql=sql, batch=batch)
            if matched:  # the same bound as Window.old
                old = quote(name + OLD)
                listed = ", ".join(map(quote, columns))
                cursor.execute(
                    f"CREATE INDEX {old} ON {quote(table)} ({listed})"
                    f' WHERE "id" <= {int(out.at.ends[table])}'
                )
                DeferredIndex.objects.create(
                    name=name + OLD, sql=f"DROP INDEX IF EXISTS {old}", batch=batch
                )
            cursor.execute(f"DROP INDEX {quote(name)}")
            out.names.append(name)
        out.names += search.search_defer(cursor, batch, out.highest)
    return out


def indexes_restore() -> list[str]:
    """Build again everything listed (one transaction: indexes, partial ones dropped, the
    search index's catch-up and triggers) and empty the list; the names listed."""
    if connection.vendor != "sqlite":
        return []
    table = DeferredIndex._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return []  # a database that is being migrated
    with transaction.atomic(), connection.cursor() as cursor:
        listed = list(DeferredIndex.objects.order_by("id"))
        if not listed:
            return []
        # In listed order: each index (and its partial one dropped), then the search index's
        # catch-up, then its triggers.
        # SQLite sorts an index's keys in memory up to its page cache's size: a smaller cache
        # keeps the import's memory down and, in trials at a million rows, builds faster.
        cursor.execute("PRAGMA cache_size")
        cache = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA threads")
        threads = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size={SORT_CACHE_KIB}")
        cursor.execute(f"PRAGMA threads={SORT_THREADS}")
        try:
            for index in listed:
                if index.name == search.CATCH_UP:
                    search.catch_up(cursor, index.sql)
                    continue
                for sql in search.restore_statements(index.name, index.sql):
                    cursor.execute(sql)
        finally:
            cursor.execute(f"PRAGMA cache_size={cache}")
            cursor.execute(f"PRAGMA threads={threads}")
        DeferredIndex.objects.filter(pk__in=[index.pk for index in listed]).delete()
    return [index.name for index in listed]


def indexes_restore_quietly() -> None:
    """``indexes_restore`` after a run failed: a second failure (the database gone, say) is
    logged, not raised over the run's own error; the list stays for the next import or
    ``migrate``."""
    try:
        indexes_restore()
    except Exception:
        log.exception("The deferred indexes were not built again; the next import or migrate will.")
