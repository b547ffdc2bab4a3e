"""A phone a shop, a switchboard or a family shares does not make two people one: a row found
by a phone alone is that person only when their names do not tell them apart (found by the
web audit: "Sam Cooper" with Ruth Baker's shop phone was folded into Ruth, his email and tags
given to her; "Quentin Zyx" with Ann Whitman's phone vanished as "already up to date")."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.people.models import Person, PersonEmail
from goodwill.people.services import person_create

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Labels\n"


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [True, False])
def test_another_name_with_the_shops_phone_is_someone_new(
    tmp_path: Path, maria: User, dry_run: bool
) -> None:
    ruth = person_create(
        actor=None, given_name="Ruth", family_name="Baker", phones=["+19025550142"]
    ).person
    path = _file(tmp_path, "Sam,Cooper,sam@example.com,902 555 0142,Regulars")
    batch = import_run(actor=maria, path=path, dry_run=dry_run)
    assert (batch.created, batch.updated, batch.unchanged) == (1, 0, 0)
    if dry_run:
        return
    assert not PersonEmail.objects.filter(person=ruth).exists()  # Ruth keeps what she had
    sam = Person.objects.get(given_name="Sam", family_name="Cooper")
    assert list(sam.emails.values_list("email", flat=True)) == ["sam@example.com"]
    assert list(sam.phones.values_list("e164", flat=True)) == ["+19025550142"]


def test_a_row_without_email_and_another_name_is_not_lost(tmp_path: Path, maria: User) -> None:
    person_create(actor=None, given_name="Ann", family_name="Whitman", phones=["+19025550150"])
    batch = import_run(actor=maria, path=_file(tmp_path, "Quentin,Zyx,,902 555 0150,"))
    assert (batch.created, batch.updated, batch.unchanged) == (1, 0, 0)
    assert Person.objects.filter(given_name="Quentin", family_name="Zyx").exists()


def test_two_rows_of_a_file_sharing_a_switchboard_are_two_people(
    tmp_path: Path, maria: User
) -> None:
    path = _file(tmp_path, "Ruth,Baker,,902 555 0100,", "Sam,Cooper,,902 555 0100,")
    batch = import_run(actor=maria, path=path)
    assert batch.created == 2
    again = import_run(actor=maria, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(
    ("stored", "row"),
    [
        (("Cy", ""), "Cy,Young,,902 555 0199,"),  # the stored name's start
        (("Ann", "Smith"), "Ann,Lee,,902 555 0199,"),  # the same given name: a new surname
        (("Guest30", "Lee"), "G.,Lee,,902 555 0199,"),  # an initial
    ],
)
def test_a_phone_still_finds_the_same_person_by_another_spelling(
    tmp_path: Path, maria: User, stored: tuple[str, str], row: str
) -> None:
    given, family = stored
    person_create(actor=None, given_name=given, family_name=family, phones=["+19025550199"])
    batch = import_run(actor=maria, path=_file(tmp_path, row))
    assert batch.created == 0
    assert batch.updated + batch.unchanged == 1
    assert Person.objects.count() == 1


def test_family_members_sharing_a_landline_stay_two_people(tmp_path: Path, maria: User) -> None:
    """Found in review: "Sam Baker" with Ruth Baker's home phone was folded into Ruth."""
    ruth = person_create(
        actor=None, given_name="Ruth", family_name="Baker", phones=["+19025550177"]
    ).person
    path = _file(tmp_path, "Sam,Baker,sam@example.com,902 555 0177,", "Lia,Baker,,902 555 0177,")
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.updated, batch.unchanged) == (2, 0, 0)
    assert not PersonEmail.objects.filter(person=ruth).exists()


def test_a_dot_is_no_given_name_that_fits_everyone(tmp_path: Path, maria: User) -> None:
    person_create(actor=None, given_name="Ruth", family_name="Baker", phones=["+19025550177"])
    batch = import_run(actor=maria, path=_file(tmp_path, ".,Cooper,,902 555 0177,"))
    assert batch.created == 1
