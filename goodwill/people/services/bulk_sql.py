"""Lean multi-row inserts for the bulk paths (imports, benchmarks).

Values arrive already checked and normalised, so rows go to the database as plain tuples with
one ``executemany`` per table through Django's connection (SQLite and PostgreSQL alike), without
building a model instance per row. Columns not given get their field's default; new primary keys
are allocated up front so that children can point at their parents without reading ids back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone

MAX_ROWS = 1000  # rows per INSERT statement


def db_value(model: type[Model], attname: str, value: Any) -> Any:
    """``value`` of ``model``'s field ``attname`` as the database takes it (e.g. a datetime)."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return field.get_db_prep_save(value, connection)


def _defaults(model: type[Model], given: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The columns not in ``given`` (the primary key aside) and their default database values."""
    now = timezone.now()
    columns: list[str] = []
    values: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.attname in given or field.primary_key:
            continue
        if field.db_default is not NOT_PROVIDED and not field.has_default():
            continue  # the database fills it in
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        value = now if stamped else field.get_default()
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, tuple(values)


def _max_params() -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor != "sqlite":
        return 65535
    connection.ensure_connection()
    return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    skip_conflicts: bool = False,
) -> None:
    """Insert ``rows`` (values of ``fields``, by attname, ready for the database) into
    ``model``'s table; every other column gets its default, time stamps the current time.
    ``skip_conflicts``: a row that would break a unique constraint is left out (``ON CONFLICT
    DO NOTHING``, on SQLite and PostgreSQL alike) instead of failing the statement.

    Rows go in multi-row statements, not ``executemany``: on SQLite a statement that fires the
    search index trigger makes FTS5 flush its pending terms, once per statement.
    """
    if not rows:
        return
    others, defaults = _defaults(model, fields)
    quote = connection.ops.quote_name
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = [by_attname[name] for name in fields] + others
    table = quote(model._meta.db_table)
    head = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES "  # noqa: S608
    sqlite = connection.vendor == "sqlite"
    mark = "(" + ", ".join(["?" if sqlite else "%s"] * len(columns)) + ")"
    size = max(1, min(MAX_ROWS, _max_params() // len(columns)))
    tail = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    with connection.cursor() as cursor:
        # SQLite: straight to the driver, which takes "?"; Django's wrapper would rewrite each
        # long statement's "%s" marks with a regular expression first.
        execute = connection.connection.execute if sqlite else cursor.execute
        for start in range(0, len(rows), size):
            piece = rows[start : start + size]
            params = [value for row in piece for value in (*row, *defaults)]
            execute(head + ", ".join([mark] * len(piece)) + tail, params)


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``, ascending (call inside the writing transaction)."""
    if count <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: the transaction holds the write lock (IMMEDIATE), so the next ids are ours;
        # AUTOINCREMENT never reuses the id of a deleted row, hence sqlite_sequence as well.
        cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
    start = max(top, row[0] if row else 0) + 1
    return list(range(start, start + count))
