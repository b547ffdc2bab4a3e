"""``goodwill backup`` and ``goodwill restore`` as an auditor found them: the temporary copy is
owner-only from its first byte, what a killed backup leaves behind is swept (and nothing else), a
path that cannot be written is refused naming it, and a backup of the other kind of database
says so."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange import jobs
from goodwill.exchange.backup import backup_list, postgres, sqlite
from goodwill.people.models import Person

EXTENSION = "sqlite3" if connection.vendor == "sqlite" else "dump"
SQLITE_START = b"SQLite format 3\x00"
JOURNAL_START = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
needs_pg_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump is not installed",
)
transactional = pytest.mark.django_db(transaction=True)
TWO_DAYS = 2 * 24 * 3600


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _state() -> tuple[int, int, int]:
    return Person.objects.count(), User.objects.count(), AuditEntry.objects.count()


def _dead_pid() -> int:
    """The PID of a process that has ended."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **_quiet())
    return int(child.stdout)


def _quiet() -> dict[str, Any]:
    return {"capture_output": True, "text": True, "check": True}


def _leave(folder: Path, name: str, data: bytes, *, age: float = 0) -> Path:
    path = folder / name
    path.write_bytes(data)
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    return path


@needs_pg_tools
@transactional
def test_the_copy_and_its_journal_are_owner_only_while_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, str] = {}
    module = sqlite if connection.vendor == "sqlite" else postgres
    copy = module.backup_to

    def watched(source: Any, target: Path) -> None:
        seen["copy"] = oct(target.stat().st_mode & 0o777)
        if connection.vendor == "sqlite":
            with closing(sqlite3.connect(target)) as db:  # a write opens its rollback journal
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TABLE t (x)")
                journal = Path(f"{target}-journal")
                seen["journal"] = oct(journal.stat().st_mode & 0o777)
                db.rollback()
        copy(source, target)

    monkeypatch.setattr(module, "backup_to", watched)
    old = os.umask(0o022)
    try:
        path = tmp_path / f"one.{EXTENSION}"
        _call("backup", str(path))
    finally:
        os.umask(old)
    assert seen["copy"] == "0o600"
    if connection.vendor == "sqlite":
        assert seen["journal"] == "0o600"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@needs_pg_tools
@transactional
def test_a_backup_sweeps_what_killed_backups_left_and_nothing_else(tmp_path: Path) -> None:
    dead, alive, me = _dead_pid(), os.getppid(), os.getpid()
    swept = [
        # killed while copying: SQLite writes the copy's first page last
        _leave(
            tmp_path, f".goodwill-gw-20261101T030000Z.sqlite3.goodwill-{dead}.partial", bytes(8192)
        ),
        _leave(
            tmp_path,
            f".goodwill-gw-20261101T030000Z.sqlite3.goodwill-{dead}.partial-journal",
            JOURNAL_START,
        ),
        _leave(tmp_path, f".copied.sqlite3.goodwill-{dead}.partial", SQLITE_START),
        _leave(tmp_path, f".copied.sqlite3.goodwill-{dead}.partial-journal", b""),
        _leave(tmp_path, f".mine.dump.goodwill-{dead}.partial", b"PGDMP\x01\x0e"),
        _leave(tmp_path, f".killed-early.sqlite3.goodwill-{dead}.partial", b""),
        _leave(tmp_path, f".lone.sqlite3.goodwill-{dead}.partial-journal", JOURNAL_START),
        # a process of ours with this PID was killed before: the PID is in use again
        _leave(tmp_path, f".reused.sqlite3.goodwill-{me}.partial", SQLITE_START),
        # its process runs, but nothing was written to it for two days
        _leave(tmp_path, f".stuck.sqlite3.goodwill-{alive}.partial", SQLITE_START, age=TWO_DAYS),
    ]
    kept = [
        _leave(tmp_path, f".running.sqlite3.goodwill-{alive}.partial", SQLITE_START),
        _leave(tmp_path, f".running.sqlite3.goodwill-{alive}.partial-journal", JOURNAL_START),
        _leave(tmp_path, f".notes.txt.goodwill-{dead}.partial", b"my own notes", age=TWO_DAYS),
        _leave(
            tmp_path, f".shm-only.sqlite3.goodwill-{dead}.partial-shm", b"\0" * 64, age=TWO_DAYS
        ),
        _leave(tmp_path, f".odd.sqlite3.goodwill-{dead}.partial-journal", b"not a journal"),
        # nothing shows it is ours
        _leave(tmp_path, f".blank.sqlite3.goodwill-{dead}.partial", bytes(64)),
        _leave(tmp_path, f"goodwill.sqlite3.goodwill-{dead}.partial", SQLITE_START),
        _leave(tmp_path, "notes.txt", b"hello"),
        # named like a partial file but without goodwill's word: someone else's
        _leave(tmp_path, f".mine.db.{dead}.partial", SQLITE_START),
        _leave(tmp_path, f".notes.txt.{dead}.partial", b""),
    ]
    path = tmp_path / f"new.{EXTENSION}"
    _call("backup", str(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [*kept, path])
    assert not any(p.exists() for p in swept)
    assert [p.read_bytes() for p in kept[2:4]] == [b"my own notes", b"\0" * 64]


@needs_pg_tools
@transactional
def test_the_daily_backup_sweeps_both_backup_folders(tmp_path: Path) -> None:
    dead = _dead_pid()
    folder = tmp_path / "backups"
    (folder / "daily").mkdir(parents=True)
    by_hand = _leave(
        folder, f".goodwill-gw-20261101T030000Z.dump.goodwill-{dead}.partial", b"PGDMP"
    )
    nightly = _leave(
        folder / "daily",
        f".goodwill-gw-20261122T030000Z.sqlite3.goodwill-{dead}.partial",
        SQLITE_START,
    )
    with override_settings(DATA_DIR=tmp_path):
        jobs.run(dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
        listed = backup_list()
    assert not by_hand.exists()
    assert not nightly.exists()
    assert [b.path.parent for b in listed] == [folder / "daily"]
    assert sorted(p.name for p in folder.iterdir()) == ["daily"]


@pytest.mark.django_db
def test_a_backup_path_below_a_file_is_refused_naming_it(tmp_path: Path) -> None:
    existing = tmp_path / "existing-file.sqlite3"
    existing.write_bytes(b"precious")
    path = existing / f"x.{EXTENSION}"
    before = _state()
    with pytest.raises(CommandError) as caught:
        _call("backup", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        f"The backup failed: {path} cannot be made (File exists: {existing})."
    )
    assert existing.read_bytes() == b"precious"
    assert _state() == before


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys")
@pytest.mark.parametrize(("where", "folder"), [("x/y", "/sys/x"), ("y", "/sys")])
@needs_pg_tools
@transactional
def test_a_backup_path_goodwill_may_not_write_is_refused_naming_it(where: str, folder: str) -> None:
    path = f"/sys/{where}.{EXTENSION}"
    before = _state()
    with pytest.raises(CommandError) as caught:
        _call("backup", path)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert message.startswith(f"The backup failed: {path} cannot be made (")
    assert message.endswith(f": {folder}).")
    assert message.split(" (")[1].split(":")[0] in ("Permission denied", "Operation not permitted")
    assert _state() == before


@pytest.mark.sqlite_only
@pytest.mark.django_db
def test_restoring_a_postgresql_backup_into_sqlite_says_which_kind_it_is(
    tmp_path: Path, alice: User
) -> None:
    path = tmp_path / "from-postgres.dump"
    path.write_bytes(b"PGDMP\x01\x0e\x00\x04\x08\x01\x01\x01" + os.urandom(2048))
    before = _state()
    with pytest.raises(CommandError) as caught:
        _call("restore", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        f"{path} is a PostgreSQL backup, and this goodwill uses SQLite: restore it into a "
        "goodwill that uses an empty PostgreSQL database (GOODWILL_DATABASE_URL)."
    )
    assert _state() == before


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_restoring_a_sqlite_backup_into_postgresql_says_which_kind_it_is(
    tmp_path: Path, alice: User
) -> None:
    path = tmp_path / "from-sqlite.sqlite3"
    with closing(sqlite3.connect(path)) as made:
        made.execute("CREATE TABLE django_migrations (app TEXT, name TEXT, applied TEXT)")
        made.execute("INSERT INTO django_migrations VALUES ('people', '0001_initial', '')")
        made.commit()
    before = _state()
    with pytest.raises(CommandError) as caught:
        _call("restore", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        f"{path} is a SQLite backup, and this goodwill uses PostgreSQL: restore it into a "
        "goodwill that uses SQLite (a new data folder, without GOODWILL_DATABASE_URL)."
    )
    assert _state() == before
