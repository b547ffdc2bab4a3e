"""Notes add up: an import adds a row's notes (its Notes, and with ``--unmapped notes`` the
columns goodwill has no field for) to the notes staff typed, on a line of their own, whichever
dedupe policy updates the person; it never replaces them, and notes already there are not
added again, so importing the same file again changes nothing. A dry run counts the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

STAFF_NOTES = "Allergic to nuts. Prefers the window table."


def _nora() -> Person:
    return make_person(
        given_name="Nora", family_name="Notes", emails=["nora@example.com"], notes=STAFF_NOTES
    )


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rooms.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _counts(maria: User, path: Path, dedupe: str, *, dry_run: bool = False) -> tuple[int, int]:
    batch = import_run(
        actor=maria, path=path, dedupe=dedupe, unmapped="notes", dry_run=dry_run, chunk=1
    )
    return batch.updated, batch.unchanged


def _notes(person: Person) -> str:
    person.refresh_from_db()
    return person.notes


@pytest.mark.parametrize("dedupe", ["update-empty", "overwrite"])
def test_a_files_notes_are_added_to_the_staffs(tmp_path: Path, maria: User, dedupe: str) -> None:
    nora = _nora()
    path = _file(
        tmp_path, "First Name,Last Name,Email,Favourite Room\nNora,Notes,nora@example.com,Room 5\n"
    )
    assert _counts(maria, path, dedupe, dry_run=True) == (1, 0)
    assert _counts(maria, path, dedupe) == (1, 0)
    assert _notes(nora) == f"{STAFF_NOTES}\nFavourite Room: Room 5"
    assert _counts(maria, path, dedupe, dry_run=True) == (0, 1)
    assert _counts(maria, path, dedupe) == (0, 1)  # again: nothing changes
    assert _notes(nora) == f"{STAFF_NOTES}\nFavourite Room: Room 5"


@pytest.mark.parametrize("dedupe", ["update-empty", "overwrite"])
def test_two_rows_of_one_person_add_both_their_notes(
    tmp_path: Path, maria: User, dedupe: str
) -> None:
    nora = _nora()
    text = (
        "First Name,Last Name,Email,Notes\n"
        "Nora,Notes,nora@example.com,Room 4 in March\n"
        "Nora,Notes,nora@example.com,Room 5 in May\n"
    )
    path = _file(tmp_path, text)
    assert _counts(maria, path, dedupe, dry_run=True) == (2, 0)
    assert _counts(maria, path, dedupe) == (2, 0)
    assert _notes(nora) == f"{STAFF_NOTES}\nRoom 4 in March\nRoom 5 in May"
    assert _counts(maria, path, dedupe, dry_run=True) == (0, 2)
    assert _counts(maria, path, dedupe) == (0, 2)


def test_notes_the_staff_already_have_are_not_added_again(tmp_path: Path, maria: User) -> None:
    nora = _nora()
    path = _file(
        tmp_path,
        "First Name,Last Name,Email,Notes\nNora,Notes,nora@example.com,allergic to  nuts.\n",
    )
    assert _counts(maria, path, "overwrite") == (0, 1)
    assert _notes(nora) == STAFF_NOTES


def test_new_people_of_one_file_keep_the_notes_of_each_row(tmp_path: Path, maria: User) -> None:
    text = (
        "First Name,Last Name,Email,Notes\n"
        "Nina,New,nina@example.com,Room 4 in March\n"
        "Nina,New,nina@example.com,Room 5 in May\n"
    )
    batch = import_run(actor=maria, path=_file(tmp_path, text))
    assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 0)  # the second adds to it
    assert Person.objects.get().notes == "Room 4 in March\nRoom 5 in May"


def test_a_note_that_is_only_part_of_a_stored_line_is_still_added() -> None:
    """Found in review: "Tea" was dropped without a word because the stored notes said "Prefers
    the steam room"; notes are compared line by line."""
    from goodwill.exchange.importer.changes import notes_added

    assert notes_added("Prefers the steam room", "Tea") == "Prefers the steam room\nTea"
    assert notes_added("Prefers the steam room\nTea", "tea") is None
    assert notes_added("Tea", "Tea\nLate check-in") == "Tea\nLate check-in"
