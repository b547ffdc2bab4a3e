"""An email or phone several people hold (a couple's address, a household's phone): a row
finds the one it names, else the one whose first email or phone it is, never simply the
oldest holder. A dry run counts the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann_and_bo() -> tuple[Person, Person]:
    """Ann holds Bo's address too (a second one of hers), and they share a phone."""
    ann = make_person(
        given_name="Ann",
        family_name="Lee",
        emails=["ann@example.com", "bo@example.com"],
        phones=["+14155550100"],
    )
    bo = make_person(
        given_name="Bo", family_name="Ray", emails=["bo@example.com"], phones=["+14155550100"]
    )
    return ann, bo


def _run(tmp_path: Path, actor: User, text: str, **options: object) -> ImportBatch:
    path = tmp_path / "guests.csv"
    path.write_text("First Name,Last Name,Email,Phone,City\n" + text, encoding="utf-8")
    dry = import_run(actor=actor, path=path, dry_run=True, **options)  # type: ignore[arg-type]
    real = import_run(actor=actor, path=path, **options)  # type: ignore[arg-type]
    assert (dry.created, dry.updated, dry.unchanged) == (real.created, real.updated, real.unchanged)
    return real


def _names_and_cities() -> list[tuple[str, str, str]]:
    return list(Person.objects.order_by("id").values_list("given_name", "family_name", "locality"))


def test_a_shared_email_finds_the_person_the_row_names(
    tmp_path: Path, maria: User, ann_and_bo: tuple[Person, Person]
) -> None:
    batch = _run(tmp_path, maria, "Bo,Ray,bo@example.com,,Leeds\n", dedupe="overwrite")
    assert (batch.created, batch.updated) == (0, 1)
    assert _names_and_cities() == [("Ann", "Lee", ""), ("Bo", "Ray", "Leeds")]


def test_else_the_one_whose_first_email_it_is(
    tmp_path: Path, maria: User, ann_and_bo: tuple[Person, Person]
) -> None:
    _run(tmp_path, maria, "Robert,Ray,bo@example.com,,Leeds\n")
    assert _names_and_cities() == [("Ann", "Lee", ""), ("Bo", "Ray", "Leeds")]


def test_a_shared_phone_finds_the_person_the_row_names(
    tmp_path: Path, maria: User, ann_and_bo: tuple[Person, Person]
) -> None:
    _run(tmp_path, maria, "Bo,Ray,,+1 415 555 0100,York\n")
    assert _names_and_cities() == [("Ann", "Lee", ""), ("Bo", "Ray", "York")]
