"""A matched row's address is one whole: street, town, region, postal code and country are
never taken one by one from two addresses to make a third that does not exist. Overwrite puts
the file's address in place of the stored one; update-empty fills in an address only where it
agrees with the stored one, and lists a different one as left out. The same address again, in
any letter case, changes nothing; a dry run counts as the real run does."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run, report
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

HEADER = "First Name,Last Name,Email,Street,City,Postal Code,Country\n"
OLD = {"street": "12 Old Road", "locality": "Halifax", "postal_code": "B3H 1A1", "country": "CA"}


def _ann(**address: str) -> Person:
    return make_person(given_name="Ann", family_name="Mover", emails=["ann@example.com"], **address)


def _file(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + f"Ann,Mover,ann@example.com,{row}\n", encoding="utf-8")
    return path


def _address(person: Person) -> tuple[str, str, str, str, str]:
    person.refresh_from_db()
    return person.street, person.locality, person.region, person.postal_code, person.country


def _counts(maria: User, path: Path, dedupe: str, *, dry_run: bool = False) -> tuple[int, ...]:
    batch = import_run(actor=maria, path=path, dedupe=dedupe, dry_run=dry_run)
    return batch.created, batch.updated, batch.unchanged, batch.warning_count


def test_overwrite_replaces_the_whole_address(tmp_path: Path, maria: User) -> None:
    ann = _ann(**OLD)
    path = _file(tmp_path, ",Toronto,,CA")
    assert _counts(maria, path, "overwrite", dry_run=True) == (0, 1, 0, 0)
    assert _counts(maria, path, "overwrite") == (0, 1, 0, 0)
    assert _address(ann) == ("", "Toronto", "", "", "CA")
    assert _counts(maria, path, "overwrite", dry_run=True) == (0, 0, 1, 0)
    assert _counts(maria, path, "overwrite") == (0, 0, 1, 0)  # again: nothing changes
    assert _address(ann) == ("", "Toronto", "", "", "CA")


def test_update_empty_keeps_the_stored_town_and_lists_the_other_address(
    tmp_path: Path, maria: User
) -> None:
    ann = _ann(locality="Halifax")
    path = _file(tmp_path, "9 New St,Paris,75001,FR")
    warning = {
        "line": 2,
        "column": "address",
        "message": "The address 9 New St, Paris, 75001, FR differs from the stored one; "
        "kept the stored address.",
    }
    dry = import_run(actor=maria, path=path, dry_run=True)
    assert (dry.updated, dry.unchanged, dry.warning_count) == (0, 1, 1)
    assert report(dry)["warnings"] == [warning]
    batch = import_run(actor=maria, path=path)
    assert (batch.updated, batch.unchanged, batch.warning_count) == (0, 1, 1)
    assert report(batch)["warnings"] == [warning]
    assert _address(ann) == ("", "Halifax", "", "", "")


def test_update_empty_fills_in_the_rest_of_the_same_address(tmp_path: Path, maria: User) -> None:
    ann = _ann(locality="Halifax")
    path = _file(tmp_path, "12 Old Road,halifax,B3H 1A1,CA")
    assert _counts(maria, path, "update-empty") == (0, 1, 0, 0)
    assert _address(ann) == ("12 Old Road", "Halifax", "", "B3H 1A1", "CA")
    assert _counts(maria, path, "update-empty") == (0, 0, 1, 0)


@pytest.mark.parametrize("dedupe", ["update-empty", "overwrite"])
def test_the_same_address_written_otherwise_or_in_part_changes_nothing(
    tmp_path: Path, maria: User, dedupe: str
) -> None:
    ann = _ann(**OLD)
    for row in ("12  old road,HALIFAX,b3h 1a1,ca", ",Halifax,,CA"):
        assert _counts(maria, _file(tmp_path, row), dedupe) == (0, 0, 1, 0)
        assert _address(ann) == ("12 Old Road", "Halifax", "", "B3H 1A1", "CA")


def test_two_rows_of_a_new_person_never_make_a_third_address(tmp_path: Path, maria: User) -> None:
    path = tmp_path / "guests.csv"
    path.write_text(
        HEADER + "Bo,New,bo@example.com,,Halifax,,\n"
        "Bo,New,bo@example.com,9 New St,Paris,75001,FR\n"
        "Bo,New,bo@example.com,1 Main St,halifax,,CA\n",
        encoding="utf-8",
    )
    warning = {
        "line": 3,
        "column": "address",
        "message": "The address 9 New St, Paris, 75001, FR differs from the one on line 2; "
        "kept that one.",
    }
    for dry_run in (True, False):
        batch = import_run(actor=maria, path=path, dry_run=dry_run)
        assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 1)
        assert report(batch)["warnings"] == [warning]
    assert _address(Person.objects.get()) == ("1 Main St", "Halifax", "", "", "CA")
