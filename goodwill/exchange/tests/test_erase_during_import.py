"""Erasing someone while an import that holds their rows is still running: the warnings the
erasure removed stay removed, and a warning about them the import had not saved yet is dropped.
(On PostgreSQL the erasure also waits for a chunk being saved: ``running_batches_lock``.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.importer import run as import_module
from goodwill.exchange.importer.problems import Problems
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.erase import person_erase
from goodwill.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\n"
ROWS = (
    "Erin,Erasable,erin@example.com,erin-secret-phone\n"
    "Farid,Keeps,farid@example.com,farid-bad-phone\n"
    "Gus,Later,gus@example.com,gus-bad-phone\n"
)


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def _erase_erin(alice: User) -> None:
    erin = Person.objects.get(given_name="Erin")
    person_erase(actor=alice, person=erin, confirm_name="Erin Erasable")


def _stored(batch: ImportBatch) -> str:
    batch.refresh_from_db()
    return str(batch.warnings)


def test_warnings_an_erasure_removed_are_not_saved_again(tmp_path: Path, maria, alice) -> None:
    erased = []

    def after_chunk(rows: int, total: int) -> None:
        if rows == 1:  # Erin's chunk is saved: her owner erases her before the next one
            _erase_erin(alice)
            erased.append(rows)

    batch = import_run(actor=maria, path=_file(tmp_path), chunk=1, progress=after_chunk)

    assert erased == [1]
    stored = _stored(batch)
    assert "erin-secret-phone" not in stored
    assert "farid-bad-phone" in stored
    assert "gus-bad-phone" in stored
    assert batch.created == 3  # the counts are the run's own


def test_a_warning_about_someone_erased_before_its_chunk_is_saved_is_dropped(
    tmp_path: Path, maria, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = import_module._list_duplicates

    def erase_then_list(problems: Problems, plan: object) -> None:
        listed(problems, plan)  # type: ignore[arg-type]
        if problems.batch.rows == 1:  # Erin's warning is listed, not yet saved
            _erase_erin(alice)

    monkeypatch.setattr(import_module, "_list_duplicates", erase_then_list)

    batch = import_run(actor=maria, path=_file(tmp_path), chunk=1)

    stored = _stored(batch)
    assert "erin-secret-phone" not in stored
    assert "farid-bad-phone" in stored
    assert "gus-bad-phone" in stored
