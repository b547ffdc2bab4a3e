"""A dry run counts what the real run then does, chunk by chunk: rows with anniversaries and
custom dates, a person the file gives a phone and then matches by it in the same chunk, a
stored person matched both directly and through an earlier chunk, a phone that stops
matching once its person has an email, and a phone a new and a stored person share."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.services.relationships import relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,Email,Phone,City,Anniversary\n"


def _counts(batch: ImportBatch) -> tuple[int, int, int]:
    return batch.created, batch.updated, batch.unchanged


def _both(tmp_path: Path, actor: User, rows: list[str], chunk: int) -> tuple[ImportBatch, ...]:
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    dry = import_run(actor=actor, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=actor, path=path, chunk=chunk)
    return dry, real


@pytest.mark.parametrize("chunk", [5000, 2, 1])
def test_anniversaries_and_a_married_stored_person(tmp_path: Path, maria: User, chunk: int):
    """A row's anniversary, and a stored person with a wedding and a custom date whom the file
    changes: the dry run keeps them all between chunks."""
    ann = make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Lee", emails=["ben@example.com"])
    couple = relationship_create(actor=None, person=ann, other=ben, kind="spouse")
    occasion_create(
        actor=None, kind="wedding_anniversary", month=6, day=2, year=2010, relationship=couple
    )
    occasion_create(actor=None, kind="custom", label="Name day", month=7, day=26, person=ann)
    rows = [
        "Ann,Lee,ann@example.com,,Halifax,2010-06-02",
        "Cy,Doe,cy@example.com,,,2015-09-14",
        "Ann,Lee,ann@example.com,+1 902 555 0101,,",
        "Cy,Doe,cy@example.com,,Truro,2015-09-14",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk)
    assert (dry.state, real.state) == ("dry-run", "done")
    assert _counts(real) == (1, 3, 0)
    assert _counts(dry) == _counts(real)


@pytest.mark.parametrize("chunk", [5000, 2])
def test_a_phone_an_earlier_chunk_gave_finds_them_later_in_the_chunk(
    tmp_path: Path, maria: User, chunk: int
):
    rows = [
        "Ann,Lee,ann@example.com,,,",
        "Ben,Roy,ben@example.com,,,",
        "Ann,Lee,ann@example.com,+1 902 555 0101,,",
        "Ann,Lee,,902 555 0101,,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk)
    assert _counts(real) == (2, 1, 1)
    assert _counts(dry) == _counts(real)


@pytest.mark.parametrize("chunk", [5000, 2])
def test_a_stored_person_found_both_ways_in_one_chunk(tmp_path: Path, maria: User, chunk: int):
    """The first chunk gives stored Eve a second address; the next finds her by it (through
    the dry run's memory) and by her own (in the database): one person, counted once each."""
    make_person(given_name="Eve", family_name="Moreau", emails=["eve@example.com"])
    rows = [
        "Eve,Moreau,eve@example.com ::: eve@desk.example,,,",
        "Ben,Roy,ben@example.com,,,",
        "Eve,Moreau,eve@desk.example,,Lunenburg,",
        "Eve,Moreau,eve@example.com,,Lunenburg,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk)
    assert _counts(real) == (1, 2, 1)
    assert _counts(dry) == _counts(real)


@pytest.mark.parametrize("chunk", [5000, 1])
def test_a_shared_phone_stops_matching_once_its_person_has_an_email(
    tmp_path: Path, maria: User, chunk: int
):
    rows = [
        "Bob,Ray,,+1 902 555 0102,,",
        "Bob,Ray,bob@example.com,+1 902 555 0102,,",
        "Cat,Ray,cat@example.com,+1 902 555 0102,,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk)
    assert _counts(real) == (2, 1, 0)
    assert _counts(dry) == _counts(real)


@pytest.mark.parametrize("chunk", [5000, 1])
def test_a_phone_given_to_a_stored_person_finds_them_first(tmp_path: Path, maria: User, chunk: int):
    """A new person and then a stored one share a phone: a later row found by that phone
    alone finds the one whose name it fits (not Nia Ode: "Sam" is Sam Stone), in the same
    chunk or a later one, and the dry run finds the same."""
    make_person(given_name="Sam", family_name="Stone", emails=["sam@example.com"])
    path = tmp_path / "guests.csv"
    path.write_text(
        "First Name,Last Name,Email,Phone,City\n"
        "Nia,Ode,,+1 902 555 0199,Halifax\n"
        "Sam,Stone,sam@example.com,+1 902 555 0199,\n"
        "Sam,,,+1 902 555 0199,Truro\n",  # Sam's phone: Nia's too, but not her name
        encoding="utf-8",
    )
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=maria, path=path, chunk=chunk)
    assert _counts(real) == (1, 2, 0)
    assert _counts(dry) == _counts(real)
