"""The right of access holds the household a person lives in: its shared address and its dates
(marked shared, like a couple's wedding), in the JSON and on the page (escaped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.exchange.services.access import person_access_export
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.memory import occasion_mark_done
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Household, Person
from goodwill.people.services import household_create, relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@dataclass
class Home:
    hanna: Person  # the person asking for their data
    household: Household
    moved_in: Occasion


def make_home() -> Home:
    """Hanna lives in the Mill house (with Ivo), which has an address and a "Moved in"
    anniversary with a year's memory; Hanna and Ivo are a couple with a wedding; a household
    she is not in has its own anniversary."""
    hanna = make_person(given_name="Hanna", family_name="Berg")
    ivo = make_person(given_name="Ivo", family_name="Berg")
    household = household_create(
        actor=None,
        name="The Mill <house>",
        member_ids=[hanna.pk, ivo.pk],
        street="1 <b>Mill</b> Lane",
        locality="Lunenburg",
        postal_code="B0J 2C0",
        country="ca",
    )
    moved_in = occasion_create(
        actor=None,
        kind="anniversary",
        label="Moved in",
        month=3,
        day=14,
        year=2018,
        household=household,
        note="Hanna's move",
    )
    occasion_mark_done(actor=None, occasion=moved_in, year=2025, note="Sent a plant")
    couple = relationship_create(actor=None, person=hanna, other=ivo, kind="spouse")
    occasion_create(
        actor=None, kind="wedding_anniversary", month=6, day=20, year=2015, relationship=couple
    )
    neighbours = household_create(actor=None, name="Next door", street="3 Mill Lane")
    occasion_create(
        actor=None, kind="anniversary", label="Housewarming", month=4, day=1, household=neighbours
    )
    return Home(hanna=hanna, household=household, moved_in=moved_in)


def occasion_rows(data: dict[str, Any]) -> list[tuple[str, str, str, bool, str]]:
    return [(o["kind"], o["label"], o["date"], o["shared"], o["note"]) for o in data["occasions"]]


def test_the_export_holds_the_households_dates_marked_shared(maria: User) -> None:
    home = make_home()
    data = person_access_export(actor=maria, person=home.hanna)
    assert occasion_rows(data) == [
        ("anniversary", "Moved in", "2018-03-14", True, "Hanna's move"),
        ("wedding_anniversary", "", "2015-06-20", True, ""),
    ]
    [year] = data["occasions"][0]["years"]
    assert (year["year"], year["note"], year["done_at"] is not None) == (2025, "Sent a plant", True)


def test_the_export_holds_the_households_address(maria: User) -> None:
    home = make_home()
    data = person_access_export(actor=maria, person=home.hanna)
    assert data["household"] == {
        "id": home.household.pk,
        "uid": home.household.uid,
        "name": "The Mill <house>",
        "address": {
            "street": "1 <b>Mill</b> Lane",
            "locality": "Lunenburg",
            "region": "",
            "postal_code": "B0J 2C0",
            "country": "CA",
        },
    }


def test_someone_without_a_household_has_none_and_no_household_dates(maria: User) -> None:
    make_home()
    loner = make_person(given_name="Lone", family_name="Wolf")
    data = person_access_export(actor=maria, person=loner)
    assert (data["household"], data["occasions"]) == (None, [])


def section(page: str, name: str) -> str:
    return page.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]


def test_the_page_shows_the_household_address_and_dates_escaped(maria_client: Client) -> None:
    home = make_home()
    response = maria_client.get(reverse("exchange:person_access", args=[home.hanna.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    facts, occasions = section(page, "facts"), section(page, "occasions")
    assert (
        "<dd>The Mill &lt;house&gt;, 1 &lt;b&gt;Mill&lt;/b&gt; Lane, Lunenburg, B0J 2C0, CA</dd>"
        in facts
    )
    assert "anniversary (Moved in): 2018-03-14 (shared) — told us — Hanna&#x27;s move" in occasions
    assert "2025: done" in occasions
    assert "Sent a plant" in occasions
    assert "wedding anniversary: 2015-06-20 (shared)" in occasions
    assert "Housewarming" not in page
    assert "3 Mill Lane" not in page
    assert "<b>Mill</b>" not in page


def test_staff_may_not_see_the_household_data(bob_client: Client) -> None:
    home = make_home()
    response = bob_client.get(reverse("exchange:person_access", args=[home.hanna.pk]))
    assert response.status_code == 403
    assert "Hanna&#x27;s move" not in response.content.decode()
