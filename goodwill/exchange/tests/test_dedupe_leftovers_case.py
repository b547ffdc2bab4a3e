"""``--dedupe overwrite`` with two rows of one person written in different letter case ("ann
smith" and "Ann Smith", "ANN@EXAMPLE.COM"): the better written value is kept (mixed case over
capitals only over small letters only) and never written back, so importing the same file again
changes nothing, wherever the rows fall in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,Email,Address 1 - Street,Address 1 - City\n"
PROPER = "Ann,Smith,ann@example.com,1 Main St,Halifax"
SMALL = "ann,smith,ANN@EXAMPLE.COM,1 main st,HALIFAX"


def _import(tmp_path: Path, actor: User, rows: list[str], chunk: int) -> ImportBatch:
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return import_run(actor=actor, path=path, dedupe="overwrite", chunk=chunk)


def _ann() -> tuple[str, str, str, str, list[str]]:
    ann = Person.objects.get()
    emails = list(ann.emails.values_list("email", flat=True))
    return ann.given_name, ann.family_name, ann.street, ann.locality, emails


@pytest.mark.parametrize("chunk", [1, 5000])
@pytest.mark.parametrize("rows", [[PROPER, SMALL], [SMALL, PROPER]])
def test_importing_the_same_file_again_changes_nothing(
    tmp_path: Path, maria: User, rows: list[str], chunk: int
) -> None:
    _import(tmp_path, maria, rows, chunk)
    assert _ann() == ("Ann", "Smith", "1 Main St", "Halifax", ["ann@example.com"])
    history = AuditEntry.objects.count()
    again = _import(tmp_path, maria, rows, chunk)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _ann() == ("Ann", "Smith", "1 Main St", "Halifax", ["ann@example.com"])
    assert AuditEntry.objects.count() == history  # nothing written, nothing in her history


def test_a_stored_name_in_small_letters_is_corrected_once(tmp_path: Path, maria: User) -> None:
    make_person(given_name="ann", family_name="smith", emails=["ann@example.com"])
    first = _import(tmp_path, maria, [PROPER, SMALL], 5000)
    assert (first.updated, first.unchanged) == (1, 1)
    assert _ann() == ("Ann", "Smith", "1 Main St", "Halifax", ["ann@example.com"])
    again = _import(tmp_path, maria, [PROPER, SMALL], 5000)
    assert (again.updated, again.unchanged) == (0, 2)
    assert _ann() == ("Ann", "Smith", "1 Main St", "Halifax", ["ann@example.com"])


def test_overwrite_still_replaces_a_value_that_is_not_the_same(tmp_path: Path, maria: User) -> None:
    make_person(given_name="Ann", family_name="Smith", emails=["ann@example.com"])
    batch = _import(tmp_path, maria, ["Ann,Smith-Lee,ann@example.com,2 Elm St,Truro"], 5000)
    assert batch.updated == 1
    assert _ann() == ("Ann", "Smith-Lee", "2 Elm St", "Truro", ["ann@example.com"])
