"""A backup of a database goodwill never set up (``migrate`` never ran), or whose audit log
cannot record it, is refused with a message saying what to do, and leaves no file behind: by
``goodwill backup`` and by the nightly job (SQLite: a new data folder; PostgreSQL: a new, empty
database made for the test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import OperationalError, connection

from goodwill.accounts.models import AuditEntry
from goodwill.core.errors import Conflict
from goodwill.exchange import backup as backups
from goodwill.exchange.backup import backup_create

ON_POSTGRES = connection.vendor == "postgresql"
EXTENSION = "dump" if ON_POSTGRES else "sqlite3"
NIGHTLY = """
import datetime as dt
import django
django.setup()
from goodwill.core.errors import GoodwillError
from goodwill.exchange import jobs
try:
    jobs.run(dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
except GoodwillError as exc:
    print(type(exc).__name__, exc)
"""


@pytest.fixture
def never_migrated(tmp_path: Path) -> Iterator[tuple[dict[str, str], str]]:
    """The environment of a goodwill whose database was never migrated, and the database's
    name as goodwill reports it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_DATABASE")}
    env |= {"GOODWILL_DATA_DIR": str(tmp_path / "data"), "GOODWILL_BACKUP_DAILY": "false"}
    env["DJANGO_SETTINGS_MODULE"] = "goodwill.settings"
    if not ON_POSTGRES:
        yield env, str(tmp_path / "data" / "goodwill.sqlite3")
        return
    import psycopg

    config = dj_database_url.parse(os.environ["GOODWILL_DATABASE_URL"])
    name = settings.DATABASES["default"]["NAME"].removeprefix("test_") + "_never"
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with closing(psycopg.connect(autocommit=True, **params)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env["GOODWILL_DATABASE_URL"] = (
        os.environ["GOODWILL_DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    )
    try:
        yield env, name
    finally:
        with closing(psycopg.connect(autocommit=True, **params)) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _message(database: str) -> str:
    return (
        f"The database {database} holds no goodwill data: it was never set up. Run `goodwill "
        "migrate` first; nothing was backed up."
    )


def test_backing_up_a_database_never_migrated_says_so_and_leaves_no_file(
    tmp_path: Path, never_migrated: tuple[dict[str, str], str]
) -> None:
    env, database = never_migrated
    target = tmp_path / "out" / f"copy.{EXTENSION}"
    for where in ([str(target)], []):  # a path given, and the default one
        result = subprocess.run(
            [sys.executable, "-m", "goodwill", "backup", *where],
            env=env,
            capture_output=True,
            text=True,
        )
        assert (result.returncode, result.stdout) == (5, "")
        assert result.stderr == f"CommandError: {_message(database)}\n"
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "data" / "backups").exists()


def test_the_nightly_backup_of_a_database_never_migrated_fails_with_a_message(
    tmp_path: Path, never_migrated: tuple[dict[str, str], str]
) -> None:
    env, database = never_migrated
    result = subprocess.run(
        [sys.executable, "-c", NIGHTLY], env=env, capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"Conflict {_message(database)}\n"
    assert not (tmp_path / "data" / "backups").exists()


@pytest.mark.skipif(
    ON_POSTGRES and shutil.which("pg_dump") is None, reason="pg_dump is not installed"
)
@pytest.mark.django_db(transaction=True)
def test_a_backup_its_audit_log_cannot_record_is_removed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def behind(**kwargs: object) -> None:
        raise OperationalError("no such column: accounts_auditentry.person_id")

    monkeypatch.setattr(backups, "audit_record", behind)
    with pytest.raises(Conflict) as refused:
        backup_create(actor=None, path=tmp_path / f"copy.{EXTENSION}")
    assert refused.value.message == (
        f"The backup could not be recorded in the audit log of {connection.settings_dict['NAME']}"
        " (no such column: accounts_auditentry.person_id). Run `goodwill migrate` first; "
        "nothing was backed up."
    )
    assert list(tmp_path.iterdir()) == []
    assert AuditEntry.objects.count() == 0
