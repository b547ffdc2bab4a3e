"""A dry run counts what the real run then does when rows of later chunks share an email, a
phone or a name and another fact with people that earlier chunks would create or change: it
finds them as they would be stored (their own name, every fact they gained or lost), not as the
row that matched them said, and of several it finds the one a real run finds first."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person
from goodwill.people.services.organisations import membership_set, organisation_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,Email,Phone,Postal Code,Company\n"


def _counts(batch: ImportBatch) -> dict[str, int]:
    return {
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "possible_duplicates": batch.duplicates,
    }


def _both(
    tmp_path: Path, actor: User, rows: list[str], *, chunk: int, dedupe: str = "update-empty"
) -> tuple[dict[str, int], dict[str, int]]:
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    dry = import_run(actor=actor, path=path, dry_run=True, chunk=chunk, dedupe=dedupe)
    real = import_run(actor=actor, path=path, chunk=chunk, dedupe=dedupe)
    return _counts(dry), _counts(real)


def test_a_row_matched_by_email_leaves_the_person_their_own_name(
    tmp_path: Path, maria: User
) -> None:
    """Ann Smith's row finds Ann Lee by her address and keeps her name: a later Ann Smith with
    nothing else is a new person, not a possible duplicate."""
    rows = [
        "Ann,Lee,ann@example.com,,,",
        "Ann,Smith,ann@example.com,,,",
        "Ann,Smith,,,,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk=1)
    assert real == {"created": 2, "updated": 0, "unchanged": 1, "possible_duplicates": 0}
    assert dry == real
    assert sorted(Person.objects.values_list("family_name", flat=True)) == ["Lee", "Smith"]


def test_a_namesake_with_their_own_email_and_phone_is_another_person(
    tmp_path: Path, maria: User
) -> None:
    """Once an earlier chunk gave Ann her phone, a namesake with another email and another
    phone is someone else, even at the same postal code."""
    rows = [
        "Ann,Smith,ann@example.com,,B3H 1A1,",
        "Ann,Smith,ann@example.com,+1 902 555 0101,,",
        "Ann,Smith,other@example.com,+1 902 555 0199,B3H 1A1,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk=1)
    assert real == {"created": 2, "updated": 1, "unchanged": 0, "possible_duplicates": 0}
    assert dry == real


def test_of_two_namesakes_the_row_joins_the_first_as_a_real_run_does(
    tmp_path: Path, maria: User
) -> None:
    """Two Ann Lees come first (one at B3K 2B2, one at Acme and B3H 1A1); a row with B3K 2B2
    and Acme joins the first, who gains the organisation."""
    rows = [
        "Ann,Lee,,,B3K 2B2,",
        "Ann,Lee,ann@example.com,,B3H 1A1,Acme",
        "Ann,Lee,,,B3K 2B2,Acme",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk=1)
    assert real == {"created": 2, "updated": 1, "unchanged": 0, "possible_duplicates": 0}
    assert dry == real


def test_a_stored_person_is_judged_as_an_earlier_chunk_left_them(
    tmp_path: Path, maria: User
) -> None:
    """An earlier chunk moves stored Ann to another postal code (overwrite): a later Ann Smith
    with only the old one is no longer her, just a possible duplicate."""
    make_person(
        given_name="Ann", family_name="Smith", phones=["+19025550101"], postal_code="B3K 2B2"
    )
    rows = [
        "Ann,Smith,,+1 902 555 0101,B3H 1A1,",
        "Ann,Smith,,,B3K 2B2,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk=1, dedupe="overwrite")
    assert real == {"created": 0, "updated": 1, "unchanged": 0, "possible_duplicates": 1}
    assert dry == real


def test_a_stored_person_an_earlier_chunk_changed_is_updated_in_each_rows_turn(
    tmp_path: Path, maria: User
) -> None:
    """The first chunk gives stored Ann Smith a phone; in the next, her row changes nothing and
    then Ann Lee's row (found by that phone) renames her: a later Ann Smith is a new person."""
    ann = make_person(given_name="Ann", family_name="Smith")
    membership_set(
        actor=None, person=ann, organisation=organisation_create(actor=None, name="Acme")
    )
    rows = [
        "Ann,Smith,,+1 902 555 0101,,Acme",
        "Bob,Ray,bob@example.com,,,",
        "Ann,Smith,,,,Acme",
        "Ann,Lee,,+1 902 555 0101,,",
        "Ann,Smith,,,,",
    ]
    dry, real = _both(tmp_path, maria, rows, chunk=2, dedupe="overwrite")
    assert real == {"created": 2, "updated": 2, "unchanged": 1, "possible_duplicates": 0}
    assert dry == real
