"""Opening the merge screen of a person with themself is refused as the merge itself is."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.core.tests.matrix import db_state
from goodwill.exchange.tests.merge_world import make_merge_world
from goodwill.people.tests import api_helpers
from goodwill.people.tests.api_helpers import call

pytestmark = pytest.mark.django_db

MESSAGE = "A person cannot be merged with themself."


def _url(pk: int, query: str = "") -> str:
    return reverse("exchange:person_merge", args=[pk]) + query


def test_opening_the_merge_of_someone_with_themself_is_refused(maria_client: Client) -> None:
    w = make_merge_world()
    before = db_state()

    response = maria_client.get(_url(w.ann.pk, f"?other={w.ann.pk}"))

    assert response.status_code == 422
    content = response.content.decode()
    assert MESSAGE in content
    assert "other_id" not in content
    assert 'type="hidden" name="other"' not in content  # not the side-by-side merge form
    assert db_state() == before


def test_merging_someone_with_themself_says_the_same_on_the_picker(maria_client: Client) -> None:
    w = make_merge_world()
    before = db_state()

    response = maria_client.post(_url(w.ann.pk), {"other": w.ann.pk, "given_name": "other"})

    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    assert db_state() == before


def test_a_staff_member_still_cannot_open_it(bob_client: Client) -> None:
    w = make_merge_world()

    response = bob_client.get(_url(w.ann.pk, f"?other={w.ann.pk}"))

    assert response.status_code == 403


def test_the_api_preview_of_themself_names_the_problem(tokens: dict[str, str | None]) -> None:
    w = make_merge_world()
    before = api_helpers.db_state()

    response = call("get", f"/api/v1/people/{w.ann.pk}/merge?other_id={w.ann.pk}", tokens["maria"])

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"other_id": [MESSAGE]}
    assert api_helpers.db_state() == before
