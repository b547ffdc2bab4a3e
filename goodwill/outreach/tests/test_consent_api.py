"""The consent API: topics, and a person's ledger and status over HTTP."""

from __future__ import annotations

import pytest

from goodwill.outreach.models_consent import Consent
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.people.models import Person
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import call, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    anne = make_person(given_name="Anne", family_name="Lee", emails=["anne@example.com"])
    zed = make_person(given_name="Zed", family_name="Old", emails=["zed@example.com"])
    person_archive(actor=None, person=zed)
    news = topic_create(actor=None, name="Newsletter")
    return {"anne": anne.pk, "zed": zed.pk, "news": news.pk}


ALL = (200, 200, 200)
GIVE = {"address": "anne@example.com", "topic_id": "{news}", "basis": "express", "evidence": "Yes"}
MATRIX = [
    ("topic_list", "get", "/api/v1/topics", None, ALL),
    ("topic_create", "post", "/api/v1/topics", {"name": "Offers"}, (403, 201, 201)),
    ("consent_list", "get", "/api/v1/people/{anne}/consents", None, ALL),
    ("consent_list", "get", "/api/v1/people/{zed}/consents", None, (404, 200, 200)),
    ("consent_create", "post", "/api/v1/people/{anne}/consents", GIVE, (201, 201, 201)),
]

test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_consent_operation_is_in_the_matrix() -> None:
    assert operation_ids("consent") == {m[0] for m in MATRIX}


def test_it_records_an_api_opt_in_and_answers_the_status(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {"address": "ANNE@example.com", "topic_id": world["news"], "basis": "express"}
    response = call("post", f"/api/v1/people/{world['anne']}/consents", tokens["bob"], body)
    assert response.status_code == 201, response.content
    assert {k: response.json()[k] for k in ("address", "source", "basis", "topic_id")} == {
        "address": "anne@example.com",
        "source": "api",
        "basis": "express",
        "topic_id": world["news"],
    }
    data = call("get", f"/api/v1/people/{world['anne']}/consents", tokens["bob"]).json()
    assert len(data["history"]) == 1
    assert [(s["topic_id"], s["valid"], s["basis"]) for s in data["statuses"]] == [
        (None, False, "none"),
        (world["news"], True, "express"),
    ]


def test_an_api_opt_in_after_an_unsubscribe_is_kept_but_does_not_count(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    anne = world["anne"]
    consent_record(
        actor=None,
        person=Person.objects.get(pk=anne),
        address="anne@example.com",
        basis="withdrawn",
        source="unsubscribe",
    )
    body = {"address": "anne@example.com", "topic_id": None, "basis": "express"}
    assert call("post", f"/api/v1/people/{anne}/consents", tokens["bob"], body).status_code == 201
    data = call("get", f"/api/v1/people/{anne}/consents", tokens["bob"]).json()
    assert len(data["history"]) == 2
    assert {s["valid"] for s in data["statuses"]} == {False}


def test_it_refuses_someone_elses_address_and_changes_nothing(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {"address": "zed@example.com", "basis": "express"}
    response = call("post", f"/api/v1/people/{world['anne']}/consents", tokens["bob"], body)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["address"]
    assert Consent.objects.count() == 0


def test_a_duplicate_topic_conflicts(tokens: dict[str, str | None], world: dict[str, int]) -> None:
    response = call("post", "/api/v1/topics", tokens["maria"], {"name": "newsletter"})
    assert response.status_code == 409
    assert list(response.json()["error"]["fields"]) == ["name"]
