"""Erasing someone who was referred: whoever referred them no longer shows them in their
journey ("Referred Samuel Osei, who bought."), on their page or in their data, at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.commerce.models import Journey
from goodwill.commerce.tests.factories import buy
from goodwill.exchange.services.erase import person_erase
from goodwill.people.models import Person
from goodwill.people.services import relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def jack(db: None) -> Person:
    """Jack bought once, and referred Samuel, who bought too: Jack is an advocate."""
    jack = make_person(given_name="Jack", family_name="Whitman")
    buy(jack, days=20)
    samuel = make_person(given_name="Samuel", family_name="Osei")
    relationship_create(actor=None, person=samuel, other=jack, kind="referred_by")
    buy(samuel)
    journey = Journey.objects.get(person=jack)
    assert (journey.stage, journey.reason) == ("advocate", "Referred Samuel Osei, who bought.")
    return jack


def _erase_samuel(alice: User) -> None:
    samuel = Person.objects.get(given_name="Samuel")
    person_erase(actor=alice, person=samuel, confirm_name="Samuel Osei")


def test_erasing_samuel_recomputes_jacks_journey_at_once(alice: User, jack: Person) -> None:
    _erase_samuel(alice)
    journey = Journey.objects.get(person=jack)
    assert journey.stage == "first_time"
    assert "Osei" not in journey.reason


def test_jacks_page_and_data_no_longer_name_samuel(
    alice: User, alice_client: Client, jack: Person
) -> None:
    _erase_samuel(alice)
    page = alice_client.get(reverse("people:person_detail", args=[jack.pk]))
    export = alice_client.get(reverse("exchange:person_access", args=[jack.pk]) + "?format=json")
    assert page.status_code == export.status_code == 200
    assert "Osei" not in page.content.decode()
    assert "Osei" not in export.content.decode()
    assert export.json()["journey"]["stage"] == "first_time"
