"""``goodwill backup`` and ``goodwill restore`` in this process: what is written, what is refused
(with a message naming the file), and that a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_update
from goodwill.core.errors import Forbidden, Invalid
from goodwill.exchange import jobs
from goodwill.exchange.backup import backup_create, backup_list, backup_restore
from goodwill.exchange.backup.retention import backup_name
from goodwill.outreach.schedule.registry import job_get
from goodwill.people.models import Person
from goodwill.people.services import person_create

EXTENSION = "sqlite3" if connection.vendor == "sqlite" else "dump"
needs_pg_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump is not installed",
)


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _state() -> tuple[int, int, int]:
    return Person.objects.count(), User.objects.count(), AuditEntry.objects.count()


# A SQLite backup is taken outside any transaction: these tests commit, and the tables are
# emptied afterwards.
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup(tmp_path: Path, transactional_db: None) -> Path:
    """A valid backup of the test database."""
    path = tmp_path / f"made.{EXTENSION}"
    backup_create(actor=None, path=path)
    return path


@needs_pg_tools
@transactional
def test_it_writes_a_backup_file_and_audits_it(tmp_path: Path, alice: User) -> None:
    path = tmp_path / f"one.{EXTENSION}"
    out = _call("backup", str(path))
    size = path.stat().st_size
    assert out.startswith(f"Backup written to {path} (")
    assert size > 0
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file is left behind
    entry = AuditEntry.objects.get(action="backup.create")
    assert (entry.actor, entry.actor_label) == (None, "command line")
    assert entry.changes == {"path": str(path), "size": size}


@needs_pg_tools
@transactional
def test_the_default_path_is_in_the_data_folder(tmp_path: Path, db: None) -> None:
    with override_settings(DATA_DIR=tmp_path):
        made = backup_create(actor=None)
        listed = backup_list()
        printed = _call("backup", "--list")
    assert made.path.parent == tmp_path / "backups"
    assert made.path.name.startswith("goodwill-")
    assert made.path.name.endswith(f".{EXTENSION}")
    assert [b.path for b in listed] == [made.path]
    assert listed[0].size == made.path.stat().st_size
    assert printed.startswith(f"{made.path}  ")


@needs_pg_tools
def test_it_refuses_to_overwrite_an_existing_file(tmp_path: Path, db: None) -> None:
    path = tmp_path / f"taken.{EXTENSION}"
    path.write_bytes(b"precious")
    with pytest.raises(CommandError) as caught:
        _call("backup", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value) == f"{path} already exists; it was not overwritten."
    assert path.read_bytes() == b"precious"
    assert AuditEntry.objects.count() == 0


def test_staff_cannot_make_a_backup(tmp_path: Path, bob: User) -> None:
    with pytest.raises(Forbidden):
        backup_create(actor=bob, path=tmp_path / "b.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_restoring_a_missing_file_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "nowhere.sqlite3"
    with pytest.raises(CommandError) as caught:
        _call("restore", str(path))
    assert caught.value.returncode == 3
    assert str(caught.value) == f"{path} does not exist or is not a file."


@needs_pg_tools
def test_restoring_random_bytes_is_refused(tmp_path: Path, alice: User) -> None:
    path = tmp_path / f"random.{EXTENSION}"
    path.write_bytes(os.urandom(4096))
    before = _state()
    with pytest.raises(Invalid) as caught:
        backup_restore(actor=None, path=path)
    assert caught.value.message.startswith(f"{path} is not a goodwill backup (")
    assert caught.value.fields == {"path": [caught.value.message]}
    assert _state() == before


@needs_pg_tools
@transactional
def test_restoring_a_truncated_backup_is_refused(backup: Path, alice: User) -> None:
    cut = backup.with_name(f"cut.{EXTENSION}")
    cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    before = _state()
    with pytest.raises(CommandError) as caught:
        _call("restore", str(cut))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(f"{cut} is not a goodwill backup (")
    assert _state() == before


@pytest.mark.sqlite_only  # a PostgreSQL restore reads dumps, not SQLite files
def test_a_sqlite_file_without_django_migrations_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
        other.commit()
    with pytest.raises(Invalid) as caught:
        backup_restore(actor=None, path=path)
    assert caught.value.message == (
        f"{path} is not a goodwill backup (no such table: django_migrations)."
    )


@needs_pg_tools
@transactional
def test_restoring_into_a_database_with_data_is_refused(backup: Path, alice: User) -> None:
    person_create(actor=None, given_name="Still here")
    before = _state()
    with pytest.raises(CommandError) as caught:
        _call("restore", str(backup))
    assert caught.value.returncode == 5
    assert str(caught.value).startswith("The database is not empty (")
    assert "accounts_user" in str(caught.value)
    assert "people_person" in str(caught.value)
    assert _state() == before


@needs_pg_tools
@transactional
def test_a_backup_from_a_newer_goodwill_is_refused(tmp_path: Path) -> None:
    recorder = MigrationRecorder(connection)
    recorder.record_applied("people", "9999_from_the_future")
    try:
        path = tmp_path / f"future.{EXTENSION}"
        backup_create(actor=None, path=path)
    finally:
        recorder.record_unapplied("people", "9999_from_the_future")
    before = _state()
    with pytest.raises(Invalid) as caught:
        backup_restore(actor=None, path=path)
    assert caught.value.message == (
        f"{path} was made by a newer goodwill (1 migrations this version does not know, such "
        "as people.9999_from_the_future): upgrade goodwill, then restore."
    )
    assert _state() == before


def test_the_daily_backup_is_a_scheduled_job_at_three_in_the_business_zone(db: None) -> None:
    job = job_get("exchange.daily_backup")
    assert job is jobs.JOB
    assert job.description == (
        "Back up the database every night; keep a week of them and four weeks before."
    )
    business_update(actor=None, time_zone="Europe/Berlin")
    now = dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC)
    assert job.next_after(now) == dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 03:00 CET


@pytest.mark.parametrize(
    ("value", "printed"), [("false", "None"), ("TRUE", "exchange.daily_backup"), ("maybe", "")]
)
def test_the_daily_backup_is_turned_off_with_a_strict_boolean(
    tmp_path: Path, value: str, printed: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_DATABASE")}
    env |= {"GOODWILL_DATA_DIR": str(tmp_path), "GOODWILL_BACKUP_DAILY": value}
    env["DJANGO_SETTINGS_MODULE"] = "goodwill.settings"
    code = (
        "import django; django.setup();"
        "from goodwill.outreach.schedule.registry import job_get;"
        "job = job_get('exchange.daily_backup'); print(job and job.name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
    )
    if printed:
        assert result.stdout.split()[-1] == printed
    else:
        assert result.returncode == 1
        assert "GOODWILL_BACKUP_DAILY must be true or false, not 'maybe'" in result.stderr


@needs_pg_tools
@transactional
def test_the_daily_job_backs_up_and_applies_retention(tmp_path: Path, db: None) -> None:
    daily = tmp_path / "backups" / "daily"
    daily.mkdir(parents=True)
    start = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)
    old = [backup_name("x", start + dt.timedelta(days=n), EXTENSION) for n in range(20)]
    for name in [*old, "keep-me.txt"]:
        (daily / name).write_bytes(b"old")
    with override_settings(DATA_DIR=tmp_path):
        jobs.run(dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
    names = sorted(p.name for p in daily.iterdir())
    assert "keep-me.txt" in names
    made = [
        n for n in names if n.endswith(f"T030000Z.{EXTENSION}") and not n.startswith("goodwill-x-")
    ]
    assert len(made) == 1
    # The old backups of database "x": 7 newest (Nov 15–21) + newest of week 46 (Nov 15
    # already) and 45 (Nov 8).
    kept_old = [n for n in names if n.startswith("goodwill-x-")]
    assert [n[11:19] for n in kept_old] == [
        "20261108",
        "20261115",
        "20261116",
        "20261117",
        "20261118",
        "20261119",
        "20261120",
        "20261121",
    ]
