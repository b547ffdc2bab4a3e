"""The purchases list filtered by a person who is not there answers 404 naming the person id,
as a person's other endpoints do, not an empty list."""

from __future__ import annotations

import pytest

from goodwill.commerce.tests.factories import buy
from goodwill.people.services import person_archive, person_delete
from goodwill.people.tests.api_helpers import call
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_an_unknown_person_id_is_a_404_naming_it(tokens: dict[str, str | None]) -> None:
    buy(make_person(given_name="Anne", family_name="Lee"))

    response = call("get", "/api/v1/purchases?person_id=999999", tokens["bob"])

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "message": "person_id: No such person: 999999.",
            "fields": {"person_id": ["No such person: 999999."]},
        }
    }


def test_a_person_deleted_meanwhile_is_a_404(tokens: dict[str, str | None]) -> None:
    gone = make_person(given_name="Gone", family_name="Soon")
    gone_pk = gone.pk
    person_delete(actor=None, person=gone)

    response = call("get", f"/api/v1/purchases?person_id={gone_pk}", tokens["maria"])

    assert response.status_code == 404
    assert response.json()["error"]["fields"] == {"person_id": [f"No such person: {gone_pk}."]}


def test_staff_filtering_by_an_archived_person_get_a_404_managers_their_purchases(
    tokens: dict[str, str | None],
) -> None:
    zed = make_person(given_name="Zed", family_name="Old")
    purchase = buy(zed)
    person_archive(actor=None, person=zed)

    staff = call("get", f"/api/v1/purchases?person_id={zed.pk}", tokens["bob"])
    manager = call("get", f"/api/v1/purchases?person_id={zed.pk}", tokens["maria"])

    assert staff.status_code == 404
    assert manager.status_code == 200
    assert [p["id"] for p in manager.json()["items"]] == [purchase.pk]


def test_a_known_person_without_purchases_is_an_empty_list(tokens: dict[str, str | None]) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")

    response = call("get", f"/api/v1/purchases?person_id={anne.pk}", tokens["bob"])

    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


def test_without_a_person_everyones_purchases_are_listed(tokens: dict[str, str | None]) -> None:
    purchase = buy(make_person(given_name="Anne", family_name="Lee"))

    response = call("get", "/api/v1/purchases", tokens["bob"])

    assert [p["id"] for p in response.json()["items"]] == [purchase.pk]
