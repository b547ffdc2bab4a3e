"""``goodwill backup FOLDER`` writes the backup under its generated name inside an existing
folder, as ``cp`` and ``tar`` do; backups taken in the same second get ``-2``, ``-3``, … after the
time instead of failing, and retention keeps the last of them."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from goodwill.accounts.models import AuditEntry
from goodwill.exchange.backup import default_path
from goodwill.exchange.backup.retention import backup_name, parse_name, to_delete

EXTENSION = "sqlite3" if connection.vendor == "sqlite" else "dump"
NOW = dt.datetime(2026, 11, 23, 3, 0, 5, tzinfo=dt.UTC)
needs_pg_tools = pytest.mark.skipif(
    connection.vendor == "postgresql" and shutil.which("pg_dump") is None,
    reason="pg_dump is not installed",
)
transactional = pytest.mark.django_db(transaction=True)


def _backup(*args: str) -> str:
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("backup", *args, stdout=out)
    return out.getvalue()


def _name(seq: int = 1) -> str:
    """The generated name of the ``seq``-th backup of the test database taken at NOW."""
    return default_path(folder=Path(), now=NOW, seq=seq).name


@needs_pg_tools
@transactional
def test_a_backup_into_an_existing_folder_gets_its_generated_name_there(tmp_path: Path) -> None:
    folder = tmp_path / "offsite"
    folder.mkdir()
    out = _backup(str(folder))
    made = folder / _name()
    assert made.name.startswith("goodwill-")
    assert made.name.endswith(f"-20261123T030005Z.{EXTENSION}")
    assert out.startswith(f"Backup written to {made} (")
    assert list(folder.iterdir()) == [made]
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    assert AuditEntry.objects.get(action="backup.create").changes["path"] == str(made)


@needs_pg_tools
@transactional
def test_backups_in_the_same_second_each_get_a_name(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    with override_settings(DATA_DIR=tmp_path):
        printed = [_backup() for _ in range(3)]
        listed = _backup("--list")
    names = [_name(1), _name(2), _name(3)]
    assert [p.split(" (")[0] for p in printed] == [
        f"Backup written to {folder / name}" for name in names
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    # Newest first: the last one taken in that second leads.
    assert [line.split("  ")[0] for line in listed.splitlines()] == [
        str(folder / name) for name in reversed(names)
    ]
    assert AuditEntry.objects.filter(action="backup.create").count() == 3


@needs_pg_tools
@transactional
def test_a_folder_holding_that_second_s_backup_gets_the_next_name(tmp_path: Path) -> None:
    taken = tmp_path / _name(1)
    taken.write_bytes(b"precious")
    out = _backup(str(tmp_path))
    assert _name(2).endswith(f"-20261123T030005Z-2.{EXTENSION}")
    assert out.startswith(f"Backup written to {tmp_path / _name(2)} (")
    assert taken.read_bytes() == b"precious"


def test_retention_reads_both_names_and_keeps_the_last_of_a_second() -> None:
    assert backup_name("gw", NOW, "dump", 2) == "goodwill-gw-20261123T030005Z-2.dump"
    assert parse_name("goodwill-gw-20261123T030005Z-2.dump") == ("gw.dump", NOW)
    assert parse_name("goodwill-gw-20261123T030005Z.dump") == ("gw.dump", NOW)
    assert parse_name("goodwill-gw-20261123T030005Z-1.dump") is None
    assert parse_name("goodwill-gw-20261123T030005Z-x.dump") is None
    same_second = [backup_name("gw", NOW, "dump", seq) for seq in (1, 2, 10)]
    assert to_delete(same_second) == [
        "goodwill-gw-20261123T030005Z-2.dump",
        "goodwill-gw-20261123T030005Z.dump",
    ]
    earlier = [backup_name("gw", NOW - dt.timedelta(days=d), "dump") for d in range(1, 7)]
    assert to_delete([*earlier, *same_second]) == sorted(same_second[:2])
