"""``goodwill person_export --output``: the file holds everything about a person, so it is
readable by its owner only (0600), as ``goodwill export`` and backups write theirs, and an
existing file is refused, naming it, unless ``--overwrite`` asks to replace it; ``goodwill
export --output`` refuses it the same way."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from goodwill.accounts.models import AuditEntry
from goodwill.people.models import Person
from goodwill.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> Person:
    return person_create(actor=None, given_name="Zelda", family_name="Quill").person


@pytest.fixture(autouse=True)
def _umask_022() -> Iterator[None]:
    """The usual umask, under which a plain ``open()`` makes a world-readable file."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_it_writes_a_file_only_its_owner_can_read(person: Person, tmp_path: Path) -> None:
    target = tmp_path / "zelda.json"
    err = io.StringIO()
    call_command("person_export", str(person.pk), "--output", str(target), stderr=err)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert json.loads(target.read_text(encoding="utf-8"))["full_name"] == "Zelda Quill"
    assert err.getvalue() == f"Exported person {person.pk} to {target}\n"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file is left behind


def test_it_refuses_to_overwrite_an_existing_file(person: Person, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("precious notes\n", encoding="utf-8")
    target.chmod(0o644)
    audited = AuditEntry.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("person_export", str(person.pk), "--output", str(target))
    assert caught.value.returncode == 2
    assert str(caught.value) == (
        f"output: {target} already exists; it was not overwritten (--overwrite replaces it)."
    )
    assert target.read_text(encoding="utf-8") == "precious notes\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert list(tmp_path.iterdir()) == [target]
    assert AuditEntry.objects.count() == audited  # nothing was exported


def test_overwrite_replaces_the_file_owner_only(person: Person, tmp_path: Path) -> None:
    target = tmp_path / "zelda.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o644)
    call_command("person_export", str(person.pk), "--output", str(target), "--overwrite")
    assert json.loads(target.read_text(encoding="utf-8"))["full_name"] == "Zelda Quill"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert list(tmp_path.iterdir()) == [target]


def test_people_export_refuses_an_existing_file_too(person: Person, tmp_path: Path) -> None:
    target = tmp_path / "people.csv"
    target.write_text("last month's list\n", encoding="utf-8")
    audited = AuditEntry.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("export", "--format", "csv", "--output", str(target))
    assert caught.value.returncode == 2
    assert f"{target} already exists" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "last month's list\n"
    assert AuditEntry.objects.count() == audited  # refused before the export was audited
    call_command("export", "--format", "csv", "--output", str(target), "--overwrite")
    assert "Zelda" in target.read_text(encoding="utf-8-sig")
    assert oct(target.stat().st_mode & 0o777) == "0o600"
