"""Someone in two organisations, exported and imported again: both come back, each with its own
job title, never the other one's (the CSV keeps the titles in the organisations' order, the
vCard groups each ORG with its TITLE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.exchange.importer.run import import_run
from goodwill.exchange.tests.export_world import export_text
from goodwill.people.models import Membership, Person
from goodwill.people.services import membership_set, organisation_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _two_of_them() -> None:
    acme = organisation_create(actor=None, name="Acme")
    beta = organisation_create(actor=None, name="Beta Org")
    ann = make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Roy", emails=["ben@example.com"])
    membership_set(actor=None, person=ann, organisation=acme)
    membership_set(actor=None, person=ann, organisation=beta, job_title="Chair")
    membership_set(actor=None, person=ben, organisation=acme, job_title="CEO")
    membership_set(actor=None, person=ben, organisation=beta)


def _titles() -> dict[str, list[tuple[str, str]]]:
    rows = Membership.objects.select_related("person", "organisation").order_by("id")
    titles: dict[str, list[tuple[str, str]]] = {}
    for m in rows:
        titles.setdefault(m.person.given_name, []).append((m.organisation.name, m.job_title))
    return titles


@pytest.mark.parametrize(("fmt", "name"), [("csv", "people.csv"), ("vcard", "people.vcf")])
def test_each_organisation_keeps_its_own_title(tmp_path: Path, fmt: str, name: str) -> None:
    _two_of_them()
    path = tmp_path / name
    path.write_text(export_text(fmt), "utf-8")
    Person.objects.all().delete()
    batch = import_run(actor=None, path=path)
    assert (batch.created, batch.error_count) == (2, 0)
    assert _titles() == {
        "Ann": [("Acme", ""), ("Beta Org", "Chair")],
        "Ben": [("Acme", "CEO"), ("Beta Org", "")],
    }


def test_the_vcard_groups_each_organisation_with_its_title() -> None:
    _two_of_them()
    card = export_text("vcard").split("END:VCARD")[0]
    assert "org1.ORG:Acme\r\norg2.ORG:Beta Org\r\norg2.TITLE:Chair\r\n" in card
