"""Backups of several hosts or containers (PID namespaces) may share one backups folder: a
backup's temporary file names its PID, PID namespace and host, and a backup sweeps only the
leftovers of its own host and namespace whose process is gone, or anyone's a day old."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from goodwill.exchange.backup import postgres, sqlite
from goodwill.exchange.backup.partials import partial_create, partial_done

EXTENSION = "sqlite3" if connection.vendor == "sqlite" else "dump"
SQLITE_START = b"SQLite format 3\x00"
JOURNAL_START = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
TWO_DAYS = 2 * 24 * 3600
pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
        reason="pg_dump is not installed",
    ),
    pytest.mark.django_db(transaction=True),
]


def _namespace() -> int:
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return 0


def _dead_pid() -> int:
    """The PID of a process that has ended."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def _leave(folder: Path, name: str, data: bytes, *, age: float = 0) -> Path:
    path = folder / name
    path.write_bytes(data)
    if age:
        then = time.time() - age
        os.utime(path, (then, then))
    return path


def _backup(path: Path) -> None:
    call_command("backup", str(path), stdout=StringIO())


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch) -> str:
    """This machine's host name, "Box-1.Example.org", as partial files spell it."""
    monkeypatch.setattr(socket, "gethostname", lambda: "Box-1.Example.org")
    return "box-1.example.org"


def test_the_temporary_file_names_the_pid_namespace_and_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "Büro PC_2")
    seen: list[list[str]] = []
    module = sqlite if connection.vendor == "sqlite" else postgres
    copy = module.backup_to

    def watched(source: Any, target: Path) -> None:
        seen.append(sorted(p.name for p in target.parent.iterdir()))
        copy(source, target)

    monkeypatch.setattr(module, "backup_to", watched)
    path = tmp_path / f"one.{EXTENSION}"
    _backup(path)
    partial = f".one.{EXTENSION}.goodwill-{os.getpid()}-{_namespace()}@b_ro_pc_2.partial"
    assert seen == [[partial]]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_a_backup_sweeps_only_its_own_host_and_namespace_or_a_day_old_leftovers(
    tmp_path: Path, host: str
) -> None:
    dead, alive, me, ns = _dead_pid(), os.getppid(), os.getpid(), _namespace()
    here, there, next_door = f"{ns}@{host}", f"{ns}@box-2", f"{ns + 1}@{host}"
    swept = [
        # this host and namespace: its process is gone, or the PID is this process's
        _leave(tmp_path, f".gone.sqlite3.goodwill-{dead}-{here}.partial", SQLITE_START),
        _leave(tmp_path, f".gone.sqlite3.goodwill-{dead}-{here}.partial-journal", JOURNAL_START),
        _leave(tmp_path, f".reused.dump.goodwill-{me}-{here}.partial", b"PGDMP\x01"),
        # its process runs, but nothing was written to it for two days
        _leave(tmp_path, f".stuck.sqlite3.goodwill-{alive}-{here}.partial", b"", age=TWO_DAYS),
        # other hosts' and namespaces' leftovers, two days old
        _leave(
            tmp_path, f".old.sqlite3.goodwill-{alive}-{there}.partial", SQLITE_START, age=TWO_DAYS
        ),
        _leave(tmp_path, f".old.dump.goodwill-{me}-{next_door}.partial", b"PGDMP", age=TWO_DAYS),
        # the name earlier goodwill versions gave, its process gone
        _leave(tmp_path, f".earlier.sqlite3.goodwill-{dead}.partial", SQLITE_START),
    ]
    kept = [
        # a backup running in this namespace
        _leave(tmp_path, f".running.sqlite3.goodwill-{alive}-{here}.partial", SQLITE_START),
        # backups under way on another host, or in another container of this host: their
        # PIDs, even this process's own, say nothing about their processes here
        _leave(tmp_path, f".there.sqlite3.goodwill-{dead}-{there}.partial", SQLITE_START),
        _leave(tmp_path, f".there.sqlite3.goodwill-{dead}-{there}.partial-journal", b""),
        _leave(tmp_path, f".box.sqlite3.goodwill-{me}-{next_door}.partial", bytes(4096)),
        _leave(
            tmp_path,
            f".box.sqlite3.goodwill-{me}-{next_door}.partial-journal",
            JOURNAL_START,
        ),
        _leave(tmp_path, f".box.dump.goodwill-{dead}-{next_door}.partial", b"PGDMP"),
        # named like goodwill's, but not its shape or not its spelling of a host
        _leave(tmp_path, f".notes.txt.goodwill-{dead}-{here}.partial", b"mine", age=TWO_DAYS),
        _leave(
            tmp_path, f".odd.sqlite3.goodwill-{dead}-{ns}@Box.partial", SQLITE_START, age=TWO_DAYS
        ),
    ]
    path = tmp_path / f"new.{EXTENSION}"
    _backup(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [*kept, path])
    assert not any(p.exists() for p in swept)


def test_a_backup_under_way_in_this_process_is_not_swept_by_another(
    tmp_path: Path, host: str
) -> None:
    under_way = partial_create(tmp_path / f"first.{EXTENSION}")
    try:
        _backup(tmp_path / f"second.{EXTENSION}")
        assert sorted(p.name for p in tmp_path.iterdir()) == [under_way.name, f"second.{EXTENSION}"]
    finally:
        partial_done(under_way)
