"""The right of access lists the warnings imports kept about the person: the values left out of
their imported row (line, column, why), with the import's file name and date."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.access import person_access_export
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
ROW = "Dorothy,Kingsley,dot.kingsley@example.org,call-me-after-6pm,1950-02-30\n"


@pytest.fixture
def dorothy(alice: User, tmp_path: Path) -> Person:
    path = tmp_path / "guests.csv"
    path.write_text("First Name,Last Name,E-mail Address,Phone,Birthday\n" + ROW, encoding="utf-8")
    batch = import_run(actor=alice, path=path)
    assert (batch.created, len(batch.warnings)) == (1, 2)
    return Person.objects.get(given_name="Dorothy")


def test_the_json_export_lists_the_values_left_out_of_her_row(maria: User, dorothy: Person) -> None:
    batch = ImportBatch.objects.get()
    at = batch.created_at.isoformat()
    assert person_access_export(actor=maria, person=dorothy)["import_warnings"] == [
        {
            "kind": "warning",
            "line": 2,
            "column": "Phone",
            "message": "call-me-after-6pm is not a valid phone number; imported without it.",
            "file_name": "guests.csv",
            "imported_at": at,
        },
        {
            "kind": "warning",
            "line": 2,
            "column": "Birthday",
            "message": "'1950-02-30' is not a valid date: February has at most 29 days; "
            "imported without it.",
            "file_name": "guests.csv",
            "imported_at": at,
        },
    ]


def test_the_page_shows_them_escaped(maria_client: Client, dorothy: Person) -> None:
    page = maria_client.get(reverse("exchange:person_access", args=[dorothy.pk])).content.decode()
    section = page.split('id="import-warnings"', 1)[1].split("</section>", 1)[0]
    assert "guests.csv" in section
    assert "line 2" in section
    assert escape("'1950-02-30' is not a valid date") in section
    assert "call-me-after-6pm is not a valid phone number" in section


def test_someone_never_imported_has_no_import_warnings(maria: User, alice: User) -> None:
    ann = make_person(actor=alice, given_name="Ann", family_name="Lee")
    assert person_access_export(actor=maria, person=ann)["import_warnings"] == []


def test_another_persons_warnings_are_not_in_her_export(
    maria: User, alice: User, dorothy: Person
) -> None:
    ann = make_person(actor=alice, given_name="Ann", family_name="Lee")
    assert person_access_export(actor=maria, person=ann)["import_warnings"] == []
