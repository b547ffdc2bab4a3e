"""The households API shows each household's UID, the one exports write and imports join."""

from __future__ import annotations

import pytest

from goodwill.people.models import Household
from goodwill.people.services import household_create
from goodwill.people.tests.api_helpers import call

pytestmark = pytest.mark.django_db


def test_it_lists_households_with_their_uid(tokens: dict[str, str | None]) -> None:
    home = household_create(actor=None, name="Harris household")

    data = call("get", "/api/v1/households", tokens["bob"]).json()

    assert [(h["id"], h["uid"]) for h in data["items"]] == [(home.pk, home.uid)]


def test_it_shows_one_household_with_its_uid(tokens: dict[str, str | None]) -> None:
    home = household_create(actor=None, name="Harris household")

    data = call("get", f"/api/v1/households/{home.pk}", tokens["bob"]).json()

    assert data["uid"] == home.uid


def test_a_new_household_answers_with_its_stored_uid(tokens: dict[str, str | None]) -> None:
    response = call("post", "/api/v1/households", tokens["bob"], {"name": "Lee household"})

    assert response.status_code == 201
    assert response.json()["uid"] == Household.objects.get().uid


def test_the_uid_cannot_be_set_through_the_api(tokens: dict[str, str | None]) -> None:
    home = household_create(actor=None, name="Harris household")

    response = call("patch", f"/api/v1/households/{home.pk}", tokens["bob"], {"uid": "mine"})

    assert response.status_code == 422
    assert Household.objects.get().uid == home.uid


def test_the_schema_documents_the_uid(tokens: dict[str, str | None]) -> None:
    schema = call("get", "/api/v1/openapi.json").json()

    household = schema["components"]["schemas"]["HouseholdOut"]
    assert household["properties"]["uid"]["type"] == "string"
    assert "uid" in household["required"]
