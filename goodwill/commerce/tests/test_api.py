"""The purchases API: log, list, get and remove purchases over HTTP, and a person's journey."""

from __future__ import annotations

import pytest

from goodwill.commerce.models import Purchase
from goodwill.commerce.tests.factories import buy
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import call, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    anne = make_person(given_name="Anne", family_name="Lee")
    zed = make_person(given_name="Zed", family_name="Old")
    zed_purchase = buy(zed)
    person_archive(actor=None, person=zed)
    return {"anne": anne.pk, "purchase": buy(anne).pk, "zed_purchase": zed_purchase.pk}


ALL = (200, 200, 200)
MATRIX = [
    ("purchase_list", "get", "/api/v1/purchases?person_id={anne}", None, ALL),
    (
        "purchase_create",
        "post",
        "/api/v1/purchases",
        {"person_id": "{anne}", "amount": "12,50 €", "description": "Produce box"},
        (201, 201, 201),
    ),
    ("purchase_get", "get", "/api/v1/purchases/{purchase}", None, ALL),
    ("purchase_get", "get", "/api/v1/purchases/{zed_purchase}", None, (404, 200, 200)),
    ("purchase_delete", "delete", "/api/v1/purchases/{purchase}", None, (403, 204, 204)),
    ("journey_get", "get", "/api/v1/people/{anne}/journey", None, ALL),
]

test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_purchase_operation_is_in_the_matrix() -> None:
    assert operation_ids("purchases") == {m[0] for m in MATRIX}


def test_it_logs_a_stay_and_answers_the_stored_purchase(tokens: dict[str, str | None]) -> None:
    anne = make_person()
    body = {
        "person_id": anne.pk,
        "kind": "stay",
        "check_in": "2026-05-01",
        "check_out": "2026-05-03",
        "amount": "EUR 240",
        "description": "Anniversary stay",
        "channel": "phone",
    }

    response = call("post", "/api/v1/purchases", tokens["bob"], body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert {k: data[k] for k in ("kind", "amount", "currency", "source", "check_out")} == {
        "kind": "stay",
        "amount": "240.00",
        "currency": "EUR",
        "source": "api",
        "check_out": "2026-05-03",
    }
    assert data["followup_due_at"].startswith("2026-05-04T12:00:00")
    journey = call("get", f"/api/v1/people/{anne.pk}/journey", tokens["bob"]).json()
    assert (journey["stage"], journey["purchases"]) == ("first_time", 1)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"amount": "-5"},
            "amount",
            "A negative amount: log a refund instead, with a positive amount.",
        ),
        (
            {"kind": "stay", "check_in": "2026-05-03", "check_out": "2026-05-01"},
            "check_out",
            "Check-out is before check-in.",
        ),
        ({"amount": "12,50 €", "colour": "red"}, "colour", None),
    ],
)
def test_bad_input_gets_a_422_naming_the_field_and_stores_nothing(
    tokens: dict[str, str | None], body: dict[str, str], field: str, message: str | None
) -> None:
    anne = make_person()

    response = call("post", "/api/v1/purchases", tokens["bob"], {"person_id": anne.pk} | body)

    assert response.status_code == 422, response.content
    fields = response.json()["error"]["fields"]
    assert field in fields
    if message is not None:
        assert fields[field] == [message]
    assert Purchase.objects.count() == 0


def test_a_refund_of_someone_elses_purchase_is_refused(tokens: dict[str, str | None]) -> None:
    anne, ben = make_person(given_name="Anne"), make_person(given_name="Ben")
    bens = buy(ben)
    body = {"person_id": anne.pk, "kind": "refund", "amount": "5", "refund_of_id": bens.pk}

    response = call("post", "/api/v1/purchases", tokens["bob"], body)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "refund_of_id": ["Refund one of this person's own purchases or stays."]
    }


def test_the_list_pages_newest_first(tokens: dict[str, str | None]) -> None:
    anne = make_person()
    old, mid, new = buy(anne, days=30), buy(anne, days=20), buy(anne, days=10)

    first = call("get", f"/api/v1/purchases?person_id={anne.pk}&limit=2", tokens["bob"]).json()
    cursor = first["next_cursor"]
    second = call(
        "get", f"/api/v1/purchases?person_id={anne.pk}&limit=2&cursor={cursor}", tokens["bob"]
    ).json()

    assert [p["id"] for p in first["items"]] == [new.pk, mid.pk]
    assert [p["id"] for p in second["items"]] == [old.pk]
    assert second["next_cursor"] is None
