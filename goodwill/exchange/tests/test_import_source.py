"""Facts an import adds to people already stored name the import: the person's history, their
right-of-access export and the imported interests and dates say which file and batch."""

from __future__ import annotations

from django.urls import reverse

from goodwill.accounts.models import AuditEntry
from goodwill.exchange.export.access import person_access_data
from goodwill.exchange.importer import import_run
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person
from goodwill.people.services.persons import person_create, person_update

HEADER = "First Name,Last Name,Email,Phone,Street,City,Company,Birthday,Labels\n"


def _csv(tmp_path, *rows: str):
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _ben() -> Person:
    return person_create(
        actor=None, given_name="Ben", family_name="Okafor", emails=["ben@example.com"]
    ).person


def test_an_updated_persons_history_names_the_file_and_batch(tmp_path, maria, maria_client):
    ben = _ben()
    path = _csv(tmp_path, "Ben,Okafor,ben@example.com,+1 902 555 0101,1 Quay St,,,,")
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.updated) == (0, 1)
    where = f"guests.csv, import {batch.pk}"
    (entry,) = AuditEntry.objects.filter(person_id=ben.pk, action="person.update")
    assert entry.changes == {
        "via": [None, where],
        "street": ["", "1 Quay St"],
        "phones": [[], ["+19025550101"]],
    }
    page = maria_client.get(reverse("people:person_detail", args=[ben.pk]))
    assert page.status_code == 200
    assert f"Updated from {where}" in page.content.decode()
    audit = person_access_data(ben)["audit"]
    assert [a["changes"].get("via") for a in audit if a["action"] == "person.update"] == [
        [None, where]
    ]


def test_an_added_organisation_and_birthday_are_noted_with_the_batch(tmp_path, maria):
    ben = _ben()
    path = _csv(tmp_path, "Ben,Okafor,ben@example.com,,,,Okafor Ltd,1980-04-12,Tea")
    batch = import_run(actor=maria, path=path)
    where = f"guests.csv, import {batch.pk}"
    (entry,) = AuditEntry.objects.filter(person_id=ben.pk, action="person.import")
    assert entry.changes == {
        "via": [None, where],
        "organisation": [None, "Okafor Ltd"],
        "birthday": [None, "1980-04-12"],
    }
    assert not AuditEntry.objects.filter(person_id=ben.pk, action="person.update").exists()
    assert list(Occasion.objects.values_list("person", "note")) == [(ben.pk, where)]
    assert list(ben.interests.values_list("interest__name", "note")) == [("Tea", where)]


def test_people_an_import_creates_carry_the_batch(tmp_path, maria):
    batch = import_run(actor=maria, path=_csv(tmp_path, "Cy,Young,cy@example.com,,,,,,"))
    assert list(Person.objects.values_list("source", "source_detail")) == [
        ("imported", f"guests.csv, import {batch.pk}")
    ]


def test_a_change_made_by_hand_names_no_import(db):
    ben = _ben()
    person_update(actor=None, person=ben, locality="Truro")
    (entry,) = AuditEntry.objects.filter(person_id=ben.pk, action="person.update")
    assert entry.changes == {"locality": ["", "Truro"]}
