"""``goodwill restore`` refuses a backup that lacks tables its own migrations made (a table
dropped by hand, a dump that left tables out): restored, every command would fail with "no such
table". The refusal names the tables and leaves the current database as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.backup import backup_create, postgres
from goodwill.people.models import Person
from goodwill.people.services import person_create

ON_POSTGRES = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.django_db(transaction=True),  # a backup is taken outside any transaction
    pytest.mark.skipif(
        ON_POSTGRES and shutil.which("pg_dump") is None, reason="pg_dump is not installed"
    ),
]


def _backup_without_people(tmp_path: Path) -> Path:
    """A backup of this database, all migrations recorded, but without ``people_person``."""
    if ON_POSTGRES:
        path = tmp_path / "partial.dump"
        subprocess.run(  # noqa: S603 - a fixed program and our own arguments
            [
                postgres.tool("pg_dump"),
                "--format=custom",
                "--exclude-table=people_person",
                f"--file={path}",
            ],
            env=postgres.environment(connection.settings_dict),
            check=True,
        )
        return path
    path = tmp_path / "partial.sqlite3"
    backup_create(actor=None, path=path)
    with closing(sqlite3.connect(path)) as copy:
        copy.execute("DROP TABLE people_person")
        copy.commit()
    return path


def _state() -> tuple[int, int, int, bool]:
    tables = connection.introspection.table_names()
    return (
        Person.objects.count(),
        User.objects.count(),
        AuditEntry.objects.filter(action="backup.restore").count(),
        "people_person" in tables,
    )


def test_a_backup_without_the_people_table_is_refused(tmp_path: Path, alice: User) -> None:
    person_create(actor=None, given_name="Still here")
    path = _backup_without_people(tmp_path)
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        f"{path} is not a complete goodwill backup: tables its migrations made are missing "
        "(people_person). Nothing was restored."
    )
    assert _state() == before == (1, 1, 0, True)


@pytest.mark.sqlite_only  # a SQLite file stands in for the backup
def test_a_file_with_only_django_migrations_names_five_tables_and_counts_the_rest(
    tmp_path: Path, alice: User
) -> None:
    path = tmp_path / "only-migrations.sqlite3"
    applied = list(MigrationRecorder.Migration.objects.values_list("app", "name"))
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE django_migrations (app TEXT, name TEXT, applied TEXT)")
        other.executemany("INSERT INTO django_migrations VALUES (?, ?, '2026-01-01')", applied)
        other.commit()
    expected = sorted(connection.introspection.django_table_names(only_existing=True))
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path))
    assert str(caught.value) == (
        f"{path} is not a complete goodwill backup: tables its migrations made are missing "
        f"({', '.join(expected[:5])} and {len(expected) - 5} more). Nothing was restored."
    )
    assert _state() == before
