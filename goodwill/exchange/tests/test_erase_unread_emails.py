"""An erased person's address written so that it does not read as an email ("Erin
<erin@…>", "mailto:…", a trailing dot) still keeps their row out of a later import, contacts
and purchases alike, and nothing of it is kept, not even as a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.pos import pos_import_run
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.tests import pos_world
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

UNREAD = ("Erin Erasable <erin@example.com>", "mailto:Erin@Example.com", "erin@example.com.")


def _erase_erin(alice: User) -> None:
    erin = make_person(given_name="Erin", family_name="Erasable", emails=["erin@example.com"])
    person_erase(actor=alice, person=erin, confirm_name="Erin Erasable")


def _kept(batch: ImportBatch) -> str:
    """Everything the batch keeps about its rows, as text."""
    problems = ImportProblem.objects.filter(batch=batch).values_list("column", "message")
    return repr(list(problems)).lower()


@pytest.mark.parametrize("dry_run", [False, True])
def test_contact_rows_with_their_address_unread_are_skipped(
    tmp_path: Path, maria: User, alice: User, dry_run: bool
) -> None:
    _erase_erin(alice)
    path = tmp_path / "guests.csv"
    rows = [f'"Erin{i}",Erasable,"{value}",+1 902 555 01{i:02d}' for i, value in enumerate(UNREAD)]
    rows.append("Farid,Keeps,farid@@example.com,")
    path.write_text(
        "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )

    batch = import_run(actor=maria, path=path, dry_run=dry_run)

    assert (batch.created, batch.skipped) == (1, 3)
    assert list(Person.objects.values_list("given_name", flat=True)) == (
        [] if dry_run else ["Farid"]
    )
    kept = _kept(batch)
    assert "erin" not in kept
    assert "farid@@example.com" in kept  # someone else's unreadable address is still listed


def test_a_purchase_row_with_their_address_unread_creates_nobody(
    tmp_path: Path, maria: User, alice: User
) -> None:
    _erase_erin(alice)
    text = pos_world.HEADER + (
        "2024-03-07,R-7,Sale,Wine,,20.00,,mailto:erin@example.com,not-a-phone,,Erin Erasable,,\n"
    )
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path, text), create_people=True)

    assert (batch.created, batch.people_created, Person.objects.count()) == (0, 0, 0)
    assert "erin" not in _kept(batch)
    assert "not-a-phone" not in _kept(batch)  # nothing else of the row either


def test_a_dry_runs_warning_naming_their_unread_address_goes_with_them(
    tmp_path: Path, maria: User, alice: User
) -> None:
    """Listed before the erasure, about a row by another name: the address alone ties it to
    them, and their erasure takes the warning away."""
    erin = make_person(given_name="Erin", family_name="Erasable", emails=["erin@example.com"])
    path = tmp_path / "guests.csv"
    path.write_text(
        "First Name,Last Name,E-mail 1 - Value\nE,K,erin@example.com.\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path, dry_run=True)
    assert "erin@example.com" in _kept(batch)

    person_erase(actor=alice, person=erin, confirm_name="Erin Erasable")

    assert "erin" not in _kept(batch)
