"""A populated database is backed up while another connection holds it open, restored into a
fresh empty database, and every row of every table comes back (SQLite files; PostgreSQL with
two databases made for the test)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.conf import settings

HERE = Path(__file__).parent
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _goodwill(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "goodwill", *args], env=env, capture_output=True, text=True
    )


def _script(env: dict[str, str], name: str, *args: str) -> None:
    subprocess.run([sys.executable, str(HERE / name), *args], env=env, check=True)


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_DATABASE")}
    env["GOODWILL_DATA_DIR"] = str(data_dir)
    env["GOODWILL_BACKUP_DAILY"] = "false"
    if database_url:
        env["GOODWILL_DATABASE_URL"] = database_url
    return env


def _rows(env: dict[str, str], out: Path) -> dict[str, list[dict[str, object]]]:
    _script(env, "backup_rows.py", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def _open(env: dict[str, str], data_dir: Path) -> Any:
    """A second connection to the source database, from this process."""
    if not ON_POSTGRES:
        return sqlite3.connect(data_dir / "goodwill.sqlite3", isolation_level=None)
    import psycopg

    return psycopg.connect(env["GOODWILL_DATABASE_URL"], autocommit=True)


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Environments of a source and an empty target database (SQLite files or PostgreSQL
    databases gw_e2_src / gw_e2_dst, dropped afterwards)."""
    if not ON_POSTGRES:
        yield _env(tmp_path / "src", None), _env(tmp_path / "dst", None)
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed: the PostgreSQL round trip needs them")
    import psycopg

    config = dj_database_url.parse(os.environ["GOODWILL_DATABASE_URL"])
    base = settings.DATABASES["default"]["NAME"].removeprefix("test_")
    names = [f"{base}_src", f"{base}_dst"]
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with closing(psycopg.connect(autocommit=True, **params)) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    url = os.environ["GOODWILL_DATABASE_URL"].rsplit("/", 1)[0]
    try:
        yield (
            _env(tmp_path / "src", f"{url}/{names[0]}"),
            _env(tmp_path / "dst", f"{url}/{names[1]}"),
        )
    finally:
        with closing(psycopg.connect(autocommit=True, **params)) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_a_backup_restores_every_row_of_every_table(
    tmp_path: Path, databases: tuple[dict[str, str], dict[str, str]]
) -> None:
    source, target = databases
    assert _goodwill(source, "migrate", "-v", "0").returncode == 0
    _script(source, "backup_populate.py")
    before = _rows(source, tmp_path / "before.json")
    backup = tmp_path / ("copy.dump" if ON_POSTGRES else "copy.sqlite3")

    # Another connection holds the database open (an open read transaction) during the backup.
    with closing(_open(source, tmp_path / "src")) as holder:
        holder.execute("BEGIN")
        holder.execute("SELECT count(*) FROM people_person").fetchone()
        made = _goodwill(source, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Backup written to {backup} (")

    assert _goodwill(target, "migrate", "-v", "0").returncode == 0
    restored = _goodwill(target, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == f"Restored {backup}; the database is migrated and ready.\n"
    after = _rows(target, tmp_path / "after.json")

    restore_entries = [r for r in after["accounts.auditentry"] if r["action"] == "backup.restore"]
    assert len(restore_entries) == 1
    assert restore_entries[0]["changes"] == {"path": str(backup), "size": backup.stat().st_size}
    after["accounts.auditentry"].remove(restore_entries[0])
    assert set(after) == set(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    # Nothing was left out: every kind of fact this test is about has rows.
    for table in (
        "people.person",
        "people.personemail",
        "people.personphone",
        "people.personinterest",
        "people.relationship",
        "people.household",
        "occasions.occasion",
        "occasions.occasionyear",
        "timeline.interaction",
        "outreach.outboxmessage",
        "accounts.user",
        "accounts.apitoken",
        "accounts.auditentry",
        "django_migrations",
    ):
        assert before[table], table
    # The source got its own audit entry, after the copy was taken.
    source_entries = _rows(source, tmp_path / "source.json")["accounts.auditentry"]
    assert [r["action"] for r in source_entries[len(before["accounts.auditentry"]) :]] == [
        "backup.create"
    ]
