"""The right-of-access page is for the person to read: dates as the site shows them, history in
words, keys by their labels, and nothing about the other people an import wrote with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.services.access import person_access_export
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services import person_interest_add, relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def dorothy(alice: User, tmp_path: Path) -> Person:
    path = tmp_path / "guests.csv"
    path.write_text(
        "First Name,Last Name,E-mail Address\n"
        "Dorothy,Kingsley,dot@example.org\n"
        "Walter,Brennan,walter@example.org\n",
        encoding="utf-8",
    )
    batch = import_run(actor=alice, path=path)
    assert batch.created == 2
    return Person.objects.get(given_name="Dorothy")


def _page(client: Client, person: Person) -> str:
    return client.get(reverse("exchange:person_access", args=[person.pk])).content.decode()


def test_the_history_is_in_words_without_other_peoples_ids(
    maria_client: Client, dorothy: Person
) -> None:
    page = _page(maria_client, dorothy)
    history = page.split('id="audit"', 1)[1].split("</section>", 1)[0]
    assert "Imported from guests.csv" in history
    assert "person.bulk_create" not in history
    assert "{" not in history
    assert "ids" not in history
    assert "→" not in history
    assert "Walter" not in page
    assert "walter@example.org" not in page


def test_dates_are_shown_as_the_site_shows_them(maria_client: Client, dorothy: Person) -> None:
    page = _page(maria_client, dorothy)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page)
    assert "+00:00" not in page


def test_keys_are_shown_by_their_labels(maria: User, maria_client: Client, dorothy: Person) -> None:
    jack = Person.objects.get(given_name="Walter")
    couple = relationship_create(actor=maria, person=dorothy, other=jack, kind="spouse")
    occasion_create(actor=maria, relationship=couple, kind="wedding_anniversary", month=6, day=1)
    person_interest_add(actor=maria, person=dorothy, name="Sailing", source="staff_observed")
    page = _page(maria_client, dorothy)
    assert "wedding anniversary" in page
    assert "staff observed" in page
    for raw in ("wedding_anniversary", "staff_observed", "told_us", "occasion.create"):
        assert raw not in page


def test_the_json_keeps_its_keys_but_not_other_peoples_ids(maria: User, dorothy: Person) -> None:
    audit = person_access_export(actor=maria, person=dorothy)["audit"]
    bulk = [a for a in audit if a["action"] == "person.bulk_create"]
    assert len(bulk) == 1
    assert set(bulk[0]) == {"action", "at", "by", "what", "changes"}
    assert bulk[0]["changes"] == {"people": [None, 2], "organisations": [None, 0]}


def test_the_source_of_each_fact_is_shown_by_its_label(maria: User, maria_client: Client) -> None:
    ann = make_person(maria, given_name="Ann", family_name="Harris", emails=["ann@example.org"])
    page = _page(maria_client, ann)
    facts = page.split('id="facts"', 1)[1].split("</section>", 1)[0]
    assert "ann@example.org · source: told us" in facts
    assert "told_us" not in page
