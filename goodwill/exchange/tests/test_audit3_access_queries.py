"""The right of access reads a person's data in a fixed number of queries: the page, its JSON
download and the API cost the same for a person with one occasion as for one with many, each
with several years of memory and touches."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.occasions.services.memory import occasion_mark_done, occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services import household_create, relationship_create
from goodwill.people.tests.api_helpers import call, token_for
from goodwill.people.tests.factories import make_person
from goodwill.timeline.services import interaction_log

pytestmark = pytest.mark.django_db
# The most queries one read may take, whoever it is about (sessions and tokens included).
ACCESS_QUERIES = 80


def _remembered(bob: User, person: Person, occasions: int, years: int, touches: int) -> None:
    """``occasions`` custom dates of ``person``, each done ``years`` years with ``touches``
    touches a year."""
    for i in range(occasions):
        occasion = occasion_create(
            actor=bob, kind="custom", month=1 + i % 12, day=1 + i, person=person, label=f"Day {i}"
        )
        for year in range(2020, 2020 + years):
            occasion_mark_done(actor=bob, occasion=occasion, year=year, note=f"year {year}")
            for n in range(touches):
                occasion_touch_log(
                    actor=bob,
                    occasion=occasion,
                    year=year,
                    kind="greeting",
                    summary=f"Card {i}/{year}/{n}",
                    occurred_at=dt.datetime(year, 1 + i % 12, 1 + i, 9 + n, tzinfo=dt.UTC),
                )


def _person(bob: User, size: int) -> Person:
    """Someone with ``size`` dates of their own, a spouse's wedding day and a household's
    date (shared occasions), and ``size`` interactions."""
    zoe = make_person(given_name="Zoe", family_name=f"Marsh{size}", emails=["zoe@example.com"])
    sam = make_person(given_name="Sam", family_name=f"Marsh{size}")
    couple = relationship_create(actor=bob, person=sam, other=zoe, kind="spouse")
    home = household_create(actor=None, name="Marsh house", member_ids=[zoe.pk, sam.pk])
    wedding = occasion_create(
        actor=bob, kind="wedding_anniversary", month=6, day=20, relationship=couple
    )
    occasion_mark_done(actor=bob, occasion=wedding, year=2024)
    occasion_create(actor=bob, kind="custom", month=3, day=3, household=home, label="Moved in")
    _remembered(bob, zoe, occasions=size, years=2 if size > 1 else 1, touches=2 if size > 1 else 1)
    for i in range(size):
        interaction_log(actor=bob, person=zoe, kind="call", summary=f"Call {i}")
    return zoe


def _read(how: str, person: Person, maria: User) -> dict[str, Any]:
    if how == "api":
        response = call("get", f"/api/v1/people/{person.pk}/export", token_for(maria))
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]
    client = Client()
    client.force_login(maria)
    url = reverse("exchange:person_access", args=[person.pk])
    response = client.get(url + ("?format=json" if how == "json" else ""))
    assert response.status_code == 200
    if how == "json":
        return json.loads(response.content)  # type: ignore[no-any-return]
    return {"page": response.content.decode()}


@pytest.mark.parametrize("how", ["page", "json", "api"])
@pytest.mark.parametrize("size", [1, 12])
def test_the_access_export_takes_as_many_queries_for_many_occasions_as_for_one(
    maria: User, bob: User, how: str, size: int, django_assert_max_num_queries: Any
) -> None:
    zoe = _person(bob, size)
    token_for(maria)  # made before counting: the API's token lookup is what is counted
    with django_assert_max_num_queries(ACCESS_QUERIES):
        data = _read(how, zoe, maria)
    if how == "page":
        section = data["page"].split('id="occasions"')[1].split("</section>")[0]
        assert section.count("<br>greeting sent: Card ") == (size * 4 if size > 1 else 1)
        return
    own = [o for o in data["occasions"] if o["kind"] == "custom" and not o["shared"]]
    assert len(data["occasions"]) == size + 2  # the wedding and the household's date too
    assert [len(o["years"]) for o in own] == [2 if size > 1 else 1] * size
    touches = [t["summary"] for t in own[-1]["years"][-1]["touches"]]
    last = 2020 + (1 if size > 1 else 0)
    assert touches == [f"Card {size - 1}/{last}/{n}" for n in range(2 if size > 1 else 1)]
    wedding = next(o for o in data["occasions"] if o["kind"] == "wedding_anniversary")
    assert (wedding["shared"], [y["year"] for y in wedding["years"]]) == (True, [2024])
