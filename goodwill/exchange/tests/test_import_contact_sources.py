"""Every email, phone and organisation an import brings records its source: "imported", with the
file and batch, on the person's page, in the API, in the right-of-access export and after a
merge. What a colleague typed stays "told us"."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.test import Client
from django.urls import reverse

from goodwill.exchange.export.access import person_access_data
from goodwill.exchange.importer import import_run
from goodwill.exchange.services.merge import person_merge
from goodwill.people.models import Membership, Person, PersonEmail, PersonPhone
from goodwill.people.services.persons import person_create, person_update
from goodwill.people.tests.api_helpers import token_for

HEADER = "First Name,Last Name,Email,Phone,Company\n"
migration = import_module("goodwill.people.migrations.0009_contact_sources")


def _csv(tmp_path, *rows: str):
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _origins(person: Person) -> dict[str, tuple[str, str]]:
    found = {
        e.email: (e.source, e.source_detail) for e in PersonEmail.objects.filter(person=person)
    }
    found |= {
        p.e164: (p.source, p.source_detail) for p in PersonPhone.objects.filter(person=person)
    }
    for m in Membership.objects.filter(person=person).select_related("organisation"):
        found[m.organisation.name] = (m.source, m.source_detail)
    return found


def test_a_new_persons_contacts_name_the_file_and_batch(tmp_path, maria, maria_client):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,+1 902 555 0101,Harbour Inn")
    batch = import_run(actor=maria, path=path)
    where = f"guests.csv, import {batch.pk}"
    ann = Person.objects.get(given_name="Ann")
    imported = ("imported", where)
    assert _origins(ann) == {
        "ann@example.com": imported,
        "+19025550101": imported,
        "Harbour Inn": imported,
    }
    page = maria_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert page.count(f"(imported: {where})") == 3

    token = token_for(maria)
    data = Client().get(f"/api/v1/people/{ann.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert data["contacts"] == [
        {
            "kind": "email",
            "value": "ann@example.com",
            "label": "",
            "is_primary": True,
            "source": "imported",
            "source_detail": where,
        },
        {
            "kind": "phone",
            "value": "+19025550101",
            "label": "",
            "is_primary": True,
            "source": "imported",
            "source_detail": where,
        },
    ]
    assert data["organisations"][0]["source_detail"] == where
    access = person_access_data(ann)
    assert access["emails"][0]["source_detail"] == where
    assert access["phones"][0]["source"] == "imported"
    assert access["organisations"][0]["source_detail"] == where


def test_an_update_marks_only_what_the_file_added(tmp_path, maria, maria_client):
    ben = person_create(
        actor=maria, given_name="Ben", family_name="Okafor", emails=["ben@example.com"]
    ).person
    path = _csv(tmp_path, "Ben,Okafor,ben@example.com,+1 902 555 0102,Okafor Ltd")
    batch = import_run(actor=maria, path=path)
    assert batch.updated == 1
    where = f"guests.csv, import {batch.pk}"
    assert _origins(ben) == {
        "ben@example.com": ("told_us", ""),
        "+19025550102": ("imported", where),
        "Okafor Ltd": ("imported", where),
    }
    page = maria_client.get(reverse("people:person_detail", args=[ben.pk])).content.decode()
    assert page.count(f"(imported: {where})") == 2
    assert "(told us" not in page  # what a colleague typed needs no note


def test_what_a_colleague_adds_to_an_imported_person_is_told_us(tmp_path, maria, maria_client):
    batch = import_run(actor=maria, path=_csv(tmp_path, "Cy,Hart,cy@example.com,,"))
    cy = Person.objects.get(given_name="Cy")
    url = reverse("people:person_edit", args=[cy.pk])
    form = maria_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"emails": "cy@example.com\ncy@work.example", "phones": "+1 902 555 0103"}
    assert data["source"] == "imported"  # the form sends the person's source back
    assert maria_client.post(url, data).status_code == 302
    assert _origins(cy) == {
        "cy@example.com": ("imported", f"guests.csv, import {batch.pk}"),
        "cy@work.example": ("told_us", ""),
        "+19025550103": ("told_us", ""),
    }
    person_update(actor=maria, person=cy, phones=["+19025550104"], via_source="form")
    assert _origins(cy)["+19025550104"] == ("form", "")


def test_a_merge_keeps_where_each_contact_came_from(tmp_path, maria):
    path = _csv(tmp_path, "Di,Ross,di@example.com,+1 902 555 0104,")
    batch = import_run(actor=maria, path=path)
    imported = Person.objects.get(given_name="Di")
    typed = person_create(actor=maria, given_name="Di", family_name="Ross").person
    person_merge(actor=maria, survivor=typed, other=imported)
    assert _origins(typed) == {
        "di@example.com": ("imported", f"guests.csv, import {batch.pk}"),
        "+19025550104": ("imported", f"guests.csv, import {batch.pk}"),
    }


def test_the_migration_gives_stored_contacts_their_persons_source(tmp_path, maria):
    batch = import_run(actor=maria, path=_csv(tmp_path, "Eve,Hart,eve@example.com,,Hart & Co"))
    eve = Person.objects.get(given_name="Eve")
    fay = person_create(actor=maria, given_name="Fay", emails=["fay@example.com"]).person
    for model in (PersonEmail, PersonPhone, Membership):  # as they were before it
        model.objects.update(source="told_us", source_detail="")

    migration.from_their_person(apps, None)

    where = f"guests.csv, import {batch.pk}"
    assert _origins(eve) == {
        "eve@example.com": ("imported", where),
        "Hart & Co": ("imported", where),
    }
    assert _origins(fay) == {"fay@example.com": ("told_us", "")}
