"""What SQLite alone takes to store an import's rows in goodwill's own schema.

The import bench's ``raw_executemany`` puts the rows into one table with no index: the speed of
the disk and the driver. This puts the same CSV rows into an empty copy of the migrated database,
in the tables and with the indexes and the substring-index trigger an import writes
(``people_person``, emails, phones, memberships, the "Guests" interest, birthday occasions), with
the same 5,000-row transactions, cache and journal settings, and none of an import's checks:
names are only lower-cased, phones and emails taken as they are. The import cannot be faster
than this on the same machine.

    .venv/bin/python bench/schema_floor.py EMPTY_DB CSV
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHUNK = 5000
NOW = "2026-01-01 00:00:00"
TABLES: dict[str, tuple[str, ...]] = {
    "people_organisation": (
        "id", "created_at", "updated_at", "name", "name_key", "website", "notes",
    ),
    "people_person": (
        "id", "created_at", "updated_at", "street", "locality", "region", "postal_code",
        "country", "given_name", "family_name", "preferred_name", "primary_email",
        "primary_phone", "language", "time_zone", "notes", "sort_key", "family_key",
        "search_doc", "source", "source_detail",
    ),
    "people_personemail": ("person_id", "email", "label", "is_primary"),
    "people_personphone": ("person_id", "e164", "label", "is_primary"),
    "people_membership": ("person_id", "organisation_id", "job_title"),
    "people_personinterest": ("person_id", "interest_id", "attitude", "source", "noted_at", "note"),
    "occasions_occasion": (
        "person_id", "created_at", "updated_at", "kind", "label", "month", "day", "year", "md",
        "source", "note",
    ),
}  # fmt: skip


# (table, columns) of the indexes a large import builds after its rows (importer/deferred.py);
# it also builds the substring search index after them (importer/search_deferred.py).
DEFERRED = {
    ("people_person", ("family_key", "sort_key", "id")),
    ("people_person", ("primary_email",)),
    ("occasions_occasion", ("md", "id")),
    ("people_membership", ("organisation_id", "person_id")),
    ("people_personemail", ("email",)),
    ("people_personphone", ("e164",)),
    ("people_person", ("sort_key", "id")),
}
SEARCH_TRIGGER = "people_person_fts_ai"
SEARCH_CATCH_UP = (
    "INSERT INTO people_person_fts(rowid, search_doc) SELECT id, search_doc FROM people_person"
)
HASH_SIZE = "INSERT INTO people_person_fts(people_person_fts, rank) VALUES ('hashsize', ?)"
WAL_PAGES = 20_000  # the import's checkpoints (importer/connection.py)


def _deferrable(db: sqlite3.Connection) -> dict[str, str]:
    """Name and CREATE statement of each index in DEFERRED."""
    found: dict[str, str] = {}
    for name, table, sql in db.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ):
        columns = tuple(row[2] for row in db.execute(f"PRAGMA index_info('{name}')"))
        if (table, columns) in DEFERRED:
            found[name] = sql
    return found


def _insert(db: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """``rows`` in multi-row INSERT statements of 200, as the import's bulk writer does."""
    columns = TABLES[table]
    one = "(" + ",".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), 200):
        part = rows[start : start + 200]
        # Table and column names come from TABLES above, never from input.
        sql = f"INSERT INTO {table} ({','.join(columns)}) VALUES "  # noqa: S608
        sql += ",".join([one] * len(part))
        db.execute(sql, [value for row in part for value in row])


def _rows(line: list[str], pid: int, org: int) -> dict[str, list[tuple[Any, ...]]]:
    """One CSV line of the import bench's file as the rows of each table."""
    given, family, birthday, email, phone, city = (line[i] for i in (0, 1, 2, 4, 6, 7))
    name = f"{given} {family}".lower()
    doc = f"{name} | {email.lower()} | {phone.lstrip('+')} | {line[8].lower()}"
    out: dict[str, list[tuple[Any, ...]]] = {
        "people_person": [
            (
                pid,
                NOW,
                NOW,
                "",
                city,
                "",
                "",
                "",
                given,
                family,
                "",
                email,
                phone,
                "",
                "",
                "",
                f"{family} {given}".lower(),
                family.lower(),
                doc,
                "import",
                "contacts.csv, import 1",
            )
        ],  # fmt: skip
        "people_personemail": [(pid, email, "home", 1)],
        "people_personphone": [(pid, phone, "mobile", 1)],
        "people_membership": [(pid, org, "")],
        "people_personinterest": [(pid, 1, "likes", "import", NOW, "contacts.csv, import 1")],
    }
    if birthday:
        year, month, day = birthday.split("-")[-3:]
        m, d = int(month), int(day)
        out["occasions_occasion"] = [
            (pid, NOW, NOW, "birthday", "", m, d, int(year) if year else None, m * 100 + d,
             "imported", "contacts.csv, import 1")
        ]  # fmt: skip
    return out


def measure(empty_db: Path, path: Path, *, deferred: bool = False) -> dict[str, Any]:
    """Seconds to store ``path``'s rows in a copy of ``empty_db`` (a freshly migrated file);
    ``deferred``: as a large import does it, with the indexes and the search index it defers
    built after the rows, in the time, and its fewer checkpoints."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "floor.sqlite3"
        shutil.copyfile(empty_db, target)
        db = sqlite3.connect(target, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-64000"):
            db.execute(f"PRAGMA {pragma}")
        db.execute(
            "INSERT INTO people_interest (name, key, people_count) VALUES ('Guests', 'guests', 0)"
        )
        organisations: dict[str, int] = {}
        pending: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
        start = time.perf_counter()
        later = _deferrable(db) if deferred else {}
        for name in later:
            db.execute(f'DROP INDEX "{name}"')
        if deferred:
            db.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
            db.execute(f"DROP TRIGGER {SEARCH_TRIGGER}")
        count = 0
        with path.open(encoding="utf-8", newline="") as f:
            lines = csv.reader(f)
            next(lines)
            for count, line in enumerate(lines, start=1):  # noqa: B007
                org = organisations.get(line[8])
                if org is None:  # the copy is empty: ids are handed out from 1
                    org = organisations[line[8]] = len(organisations) + 1
                    pending["people_organisation"].append(
                        (org, NOW, NOW, line[8], line[8].lower(), "", "")
                    )
                for table, rows in _rows(line, count, org).items():
                    pending[table] += rows
                if count % CHUNK == 0:
                    _flush(db, pending)
        _flush(db, pending)
        for sql in later.values():
            db.execute(sql)
        if deferred:
            db.execute("BEGIN")
            db.execute(HASH_SIZE, [16 * 1024 * 1024])
            db.execute(SEARCH_CATCH_UP)
            db.execute("COMMIT")
        seconds = time.perf_counter() - start
        db.close()
    return {"rows": count, "seconds": round(seconds, 2), "rows_per_s": round(count / seconds)}


def _flush(db: sqlite3.Connection, pending: dict[str, list[tuple[Any, ...]]]) -> None:
    db.execute("BEGIN IMMEDIATE")
    for table, rows in pending.items():
        _insert(db, table, rows)
        rows.clear()
    db.execute("COMMIT")


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2])), indent=2))  # noqa: T201
