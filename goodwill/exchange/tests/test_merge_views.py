"""The merge screen: who may open it and merge, the picker, the side-by-side form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.exchange.tests.merge_world import Beas, birthday_of, make_beas, make_merge_world
from goodwill.people.models import Person
from goodwill.people.services import person_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    w = make_merge_world()
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "ann": w.ann.pk,
        "annie": w.annie.pk,
    }


def merge_url(world: Any, query: str = "") -> str:
    return reverse("exchange:person_merge", args=[world["ann"]]) + query


def merged(world: Any, user: Any) -> tuple[bool, str]:
    ann = Person.objects.get(pk=world["ann"])
    return Person.objects.filter(pk=world["annie"]).exists(), ann.given_name


ROUTES = [
    Route("picker", "get", merge_url, (403, 200, 200)),
    Route("picker search", "get", lambda w: merge_url(w, "?q=harris"), (403, 200, 200)),
    Route("side by side", "get", lambda w: merge_url(w, f"?other={w['annie']}"), (403, 200, 200)),
    Route("no such person", "get", lambda w: "/people/999999/merge/", (403, 404, 404)),
    Route(
        "merge",
        "post",
        merge_url,
        (403, 302, 302),
        data=lambda w: {"other": w["annie"], "given_name": "other", "notes": "both"},
        audit="person.merge",
        check=effect(merged, (False, "Annie")),
    ),
    Route("merge (PUT)", "put", merge_url, (403, 405, 405)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_merge_routes(route: Route, role: str, world: dict[str, Any]) -> None:
    if route.method == "put":
        client = Client()
        if role != "anonymous":
            client.force_login(world[role])
        before = db_state()
        response = client.put(route.url(world))
        if role in ("anonymous", "charlie"):
            assert response.status_code == 302
        else:
            assert response.status_code == 405
        assert db_state() == before
        return
    check_route(route, role, world)


def test_the_picker_lists_other_people_the_search_finds(
    maria_client: Client, world: dict[str, Any]
) -> None:
    response = maria_client.get(merge_url(world, "?q=harris"))
    content = response.content.decode()
    assert f"?other={world['annie']}" in content
    assert f"?other={world['ann']}" not in content
    assert "Annie Harris-Lee" in content


def test_the_side_by_side_screen_offers_a_choice_only_where_they_differ(
    maria_client: Client, world: dict[str, Any]
) -> None:
    response = maria_client.get(merge_url(world, f"?other={world['annie']}"))
    content = response.content.decode()
    for name in ("given_name", "family_name", "locality", "notes"):
        assert f'name="{name}" value="other"' in content
    assert 'name="notes" value="both"' in content
    assert 'name="preferred_name"' not in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "Interactions: 3" in content
    # A year-less birthday and a dated one on the same day: one birthday, no choice to make.
    assert 'name="birthday"' not in content
    assert "the same day: the date with the year is kept" in content
    assert "Occasions: 1" in content


def test_merging_someone_with_themself_is_refused_and_changes_nothing(
    maria_client: Client, world: dict[str, Any]
) -> None:
    before = db_state()
    response = maria_client.post(merge_url(world), {"other": world["ann"]})
    assert response.status_code == 422
    assert "cannot be merged with themself" in response.content.decode()
    assert db_state() == before


def test_the_person_page_links_managers_to_the_merge_screen(
    maria_client: Client, bob_client: Client, world: dict[str, Any]
) -> None:
    page = reverse("people:person_detail", args=[world["ann"]])
    assert merge_url(world) in maria_client.get(page).content.decode()
    assert merge_url(world) not in bob_client.get(page).content.decode()
    person_archive(actor=None, person=Person.objects.get(pk=world["ann"]))
    assert merge_url(world) not in maria_client.get(page).content.decode()


@pytest.fixture
def beas() -> Beas:
    return make_beas()


def beas_url(b: Beas, query: str = "") -> str:
    return reverse("exchange:person_merge", args=[b.one.pk]) + query


def test_differing_birthdays_are_a_choice_on_the_side_by_side_screen(
    maria_client: Client, beas: Beas
) -> None:
    content = maria_client.get(beas_url(beas, f"?other={beas.two.pk}")).content.decode()
    assert '<input type="radio" name="birthday" value="survivor" checked> 1980-05-05' in content
    assert '<input type="radio" name="birthday" value="other"> 1981-06-06' in content
    assert "Occasions: 0" in content


def test_the_survivors_birthday_is_kept_unless_the_others_is_taken(
    maria_client: Client, beas: Beas
) -> None:
    response = maria_client.post(beas_url(beas), {"other": beas.two.pk, "birthday": "other"})
    assert response.status_code == 302
    birthday = birthday_of(beas.one)
    assert (birthday.date_label, birthday.note) == ("1981-06-06", "Prefers a call")
    beas.offer.refresh_from_db()
    assert beas.offer.occasion_id == birthday.pk


def test_without_a_choice_the_survivors_birthday_stays(maria_client: Client, beas: Beas) -> None:
    response = maria_client.post(beas_url(beas), {"other": beas.two.pk})
    assert response.status_code == 302
    assert birthday_of(beas.one).date_label == "1980-05-05"


def test_staff_may_not_take_the_others_birthday_and_nothing_changes(
    bob_client: Client, beas: Beas
) -> None:
    before = db_state()
    response = bob_client.post(beas_url(beas), {"other": beas.two.pk, "birthday": "other"})
    assert response.status_code == 403
    assert db_state() == before
