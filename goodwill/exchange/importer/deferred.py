"""Indexes a large import builds after its rows instead of with each row (SQLite only).

With random keys, each row written into a big table puts about one page per index into its
chunk's transaction, and an index much larger than the cache has its pages written again chunk
after chunk. SQLite builds a whole index from sorted keys far faster: a million entries in about
a second. So once an import has shown that its file brings many new people and many rows are
still to come (``should_defer``), a few indexes the import never reads are dropped, and they are
created again when it ends, however it ends.

Deferred: the people list's family-name order, people by primary email, occasions by day of the
year and organisations' members. Never the email, phone, name and organisation-name indexes the
import matches rows with, a unique index or a partial one.

An index is dropped in the same transaction that lists it in ``DeferredIndex``, so an import that
is killed leaves the list behind, and the next import and ``migrate`` build what it names. While
they are missing, the pages they serve scan instead (slower, never wrong); an import that starts
while another one runs builds them again (the other one is then slower, and still correct).
PostgreSQL keeps its indexes.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models import Max, Model

from goodwill.exchange.models import DeferredIndex, ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.people.models import Membership, Person

log = logging.getLogger("goodwill.imports")
DEFERRABLE: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Person, ("family_key", "sort_key", "id")),
    (Person, ("primary_email",)),
    (Occasion, ("md", "id")),
    (Membership, ("organisation_id", "person_id")),
)
MIN_CREATED = 20_000  # people this import has created before it defers
MIN_LEFT = 50_000  # rows it has still to read
SORT_CACHE_KIB = -8000  # SQLite's cache (8 MB) while it builds the indexes


def should_defer(batch: ImportBatch) -> bool:
    """Whether this run should defer the indexes now: SQLite, a real run, mostly new people so
    far, and more rows to come than half the people stored (rebuilding costs what is stored)."""
    if connection.vendor != "sqlite" or batch.dry_run:
        return False
    left = batch.total - batch.rows
    if batch.created < MIN_CREATED or batch.created * 2 < batch.rows or left < MIN_LEFT:
        return False
    highest = Person.objects.aggregate(top=Max("id"))["top"] or 0  # no COUNT: a scan
    return left * 2 >= highest


def indexes_defer(batch: ImportBatch) -> list[str]:
    """Drop the deferrable indexes that exist, listing each; their names."""
    dropped: list[str] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns in DEFERRABLE:
            table = model._meta.db_table
            for name, about in connection.introspection.get_constraints(cursor, table).items():
                if not about["index"] or about["unique"] or tuple(about["columns"]) != columns:
                    continue
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name]
                )
                sql = str(cursor.fetchone()[0])
                if " WHERE " in sql.upper():
                    continue
                DeferredIndex.objects.create(name=name, sql=sql, batch=batch)
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                dropped.append(name)
    return dropped


def indexes_restore() -> list[str]:
    """Create every listed index again (one transaction) and empty the list; their names."""
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
        # SQLite sorts an index's keys in memory up to its page cache's size: a smaller cache
        # keeps the import's memory down and, in trials at a million rows, builds faster.
        cursor.execute("PRAGMA cache_size")
        cache = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size={SORT_CACHE_KIB}")
        try:
            for index in listed:
                cursor.execute(index.sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
        finally:
            cursor.execute(f"PRAGMA cache_size={cache}")
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
