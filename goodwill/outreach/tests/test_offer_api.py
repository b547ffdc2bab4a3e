"""The offer API: list, add, read, change, archive, and render for a person over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.services.consent import topic_create
from goodwill.outreach.services.offers import offer_create
from goodwill.people.tests.api_helpers import call, db_state, operation_ids, role_matrix_test
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db

BODY = "Dear {{ preferred_name }},\nYour code: {{ offer_code }}"


def _offer(topic: Any, name: str = "Storm season") -> Offer:
    return offer_create(
        actor=None,
        name=name,
        topic=topic,
        interests=["storm chasing"],
        subject_template="For you, {{ preferred_name }}",
        body_template=BODY,
        code_prefix="STORM",
    )


@pytest.fixture
def world() -> dict[str, int]:
    sam = make_person(given_name="Sam", family_name="Reed", emails=["sam@example.com"])
    give_interests(sam, "Storm chasing")
    topic = topic_create(actor=None, name="Offers")
    offer = _offer(topic)
    return {"sam": sam.pk, "topic": topic.pk, "offer": offer.pk}


ALL = (200, 200, 200)
MANAGERS = (403, 200, 200)
NEW = {
    "name": "Winter",
    "topic_id": "{topic}",
    "interests": ["storm chasing"],
    "subject_template": "Winter, {{ given_name }}",
    "body_template": BODY,
}
MATRIX = [
    ("offer_list", "get", "/api/v1/offers", None, ALL),
    ("offer_create", "post", "/api/v1/offers", NEW, (403, 201, 201)),
    ("offer_get", "get", "/api/v1/offers/{offer}", None, ALL),
    ("offer_update", "patch", "/api/v1/offers/{offer}", {"name": "Storms"}, MANAGERS),
    ("offer_archive", "delete", "/api/v1/offers/{offer}", None, MANAGERS),
    ("offer_render", "post", "/api/v1/offers/{offer}/render", {"person_id": "{sam}"}, ALL),
]

test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_offer_operation_is_in_the_matrix() -> None:
    assert operation_ids("offers") == {m[0] for m in MATRIX}


def test_it_creates_reads_and_lists_an_offer(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {**NEW, "topic_id": world["topic"], "code_prefix": "win", "categories": [" Tea "]}
    created = call("post", "/api/v1/offers", tokens["maria"], body)
    assert created.status_code == 201, created.content
    data = call("get", f"/api/v1/offers/{created.json()['id']}", tokens["bob"]).json()
    assert {k: data[k] for k in ("name", "topic_id", "code_prefix", "categories", "intent")} == {
        "name": "Winter",
        "topic_id": world["topic"],
        "code_prefix": "WIN",
        "categories": ["Tea"],
        "intent": "giving",
    }
    assert [i["name"] for i in data["interests"]] == ["Storm chasing"]
    listed = call("get", "/api/v1/offers", tokens["bob"]).json()
    assert [o["name"] for o in listed["items"]] == ["Winter", "Storm season"]


def test_a_bad_offer_names_every_field_and_changes_nothing(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    body = {**NEW, "topic_id": None, "subject_template": "Hi {{ name|upper }}", "interests": []}
    response = call("post", "/api/v1/offers", tokens["maria"], body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert sorted(fields) == ["interests", "subject_template", "topic_id"]
    assert fields["topic_id"] == ["Choose a topic; every offer belongs to one."]
    assert fields["subject_template"][0].startswith("line 1, column 4: filters are not allowed")
    assert db_state() == before


def test_patch_changes_only_the_fields_sent(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/offers/{world['offer']}"
    response = call("patch", path, tokens["maria"], {"valid_until": "2026-12-31"})
    assert response.status_code == 200, response.content
    assert (response.json()["valid_until"], response.json()["name"]) == (
        "2026-12-31",
        "Storm season",
    )


def test_an_archived_offer_answers_409_to_a_change(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/offers/{world['offer']}"
    assert call("delete", path, tokens["maria"]).json()["archived_at"] is not None
    assert call("patch", path, tokens["maria"], {"name": "Again"}).status_code == 409
    assert call("get", "/api/v1/offers", tokens["bob"]).json()["items"] == []
    listed = call("get", "/api/v1/offers?archived=true", tokens["bob"]).json()
    assert [o["id"] for o in listed["items"]] == [world["offer"]]


def test_render_shows_what_a_person_would_get(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/offers/{world['offer']}/render"
    response = call("post", path, tokens["bob"], {"person_id": world["sam"], "code": "STORM-7"})
    assert response.json() == {
        "subject": "For you, Sam",
        "body": "Dear Sam,\nYour code: STORM-7",
        "body_html": "<p>Dear Sam,<br>Your code: STORM-7</p>",
        "held_reason": "",
        "urgent": False,
    }


def test_render_says_why_it_would_be_held(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    customer = make_person(given_name="customer", family_name="Lee")
    path = f"/api/v1/offers/{world['offer']}/render"
    response = call("post", path, tokens["bob"], {"person_id": customer.pk})
    assert response.json()["held_reason"] == "“customer” is not a name"


def test_the_list_costs_the_same_for_one_offer_or_five(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    topic = Offer.objects.get().topic
    call("get", "/api/v1/offers", tokens["bob"])  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        call("get", "/api/v1/offers", tokens["bob"])
    for n in range(4):
        _offer(topic, f"Offer {n}")
    with CaptureQueriesContext(connection) as five:
        response = call("get", "/api/v1/offers", tokens["bob"])
    assert len(response.json()["items"]) == 5
    assert len(five) == len(one)


def test_patch_with_null_interests_clears_them_when_an_occasion_remains(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/offers/{world['offer']}"
    body = {"interests": None, "occasion_kinds": ["wedding_anniversary"]}
    response = call("patch", path, tokens["maria"], body)
    assert response.status_code == 200, response.content
    assert (response.json()["interests"], response.json()["occasion_kinds"]) == (
        [],
        ["wedding_anniversary"],
    )
    refused = call("patch", path, tokens["maria"], {"occasion_kinds": None})
    assert refused.json()["error"]["fields"] == {
        "interests": ["Say who this offer is for: interests, occasions or purchase categories."]
    }
