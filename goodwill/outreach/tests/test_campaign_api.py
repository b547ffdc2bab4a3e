"""The campaign API: start, preview (reasons, exclusions by reason, pages), send once, reply,
and redeem codes over HTTP, with who may do what and errors that name the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goodwill.outreach.jobs.campaigns import run as run_campaigns
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import CampaignRecipient, Offer
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.people.tests.api_helpers import call, db_state, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    complete_footer()
    topic = make_topic()
    sam = fan(topic, "Sam")
    offer = make_offer(topic)
    sent = campaign_queue(
        actor=None, campaign=campaign_create(actor=None, offer=offer, name="Spring")
    )
    fan(topic, "Tia")
    draft = campaign_create(actor=None, offer=offer, name="Autumn")
    recipient = CampaignRecipient.objects.get(campaign=sent)
    return {
        "offer": offer.pk,
        "sent": sent.pk,
        "draft": draft.pk,
        "sam": sam.pk,
        "code": recipient.code,  # type: ignore[dict-item]
    }


ALL = (200, 200, 200)
MATRIX = [
    ("campaign_list", "get", "/api/v1/campaigns", None, ALL),
    (
        "campaign_create",
        "post",
        "/api/v1/campaigns",
        {"offer_id": "{offer}", "name": "Winter"},
        (403, 201, 201),
    ),
    ("campaign_get", "get", "/api/v1/campaigns/{sent}", None, ALL),
    ("campaign_preview", "get", "/api/v1/campaigns/{draft}/preview", None, ALL),
    ("campaign_send", "post", "/api/v1/campaigns/{draft}/send", None, (403, 202, 202)),
    (
        "campaign_reply",
        "post",
        "/api/v1/campaigns/{sent}/recipients/{sam}/response",
        {"note": "Booked"},
        ALL,
    ),
    ("redemption_create", "post", "/api/v1/redemptions", {"code": "{code}"}, (201, 201, 201)),
]

test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_campaign_operation_is_in_the_matrix() -> None:
    assert operation_ids("campaigns") == {m[0] for m in MATRIX}


def test_the_preview_gives_reasons_and_exclusions(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    make_person(given_name="Nick", emails=["nick@example.com"])
    response = call("get", f"/api/v1/campaigns/{world['draft']}/preview", tokens["bob"])
    body = response.json()
    assert response.status_code == 200
    assert [(i["name"], i["reason"]) for i in body["items"]] == [("Tia Lee", "Likes storm chasing")]
    assert (body["total"], body["next_cursor"], body["urgent"]) == (1, None, False)
    assert body["excluded"]["budget"] == 1
    assert body["excluded"]["no_relevance"] == 1
    assert body["samples"]["budget"] == [
        {
            "person_id": world["sam"],
            "name": "Sam Lee",
            "detail": "1 marketing touch in the last 14 days (limit 1)",
        }
    ]
    assert OutboxMessage.objects.count() == 1


def test_the_preview_pages_through_the_recipients(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    topic = CampaignRecipient.objects.get(campaign_id=world["sent"]).campaign.offer.topic
    for name in ("Uma", "Vic"):
        fan(topic, name)
    path = f"/api/v1/campaigns/{world['draft']}/preview?limit=2"
    first = call("get", path, tokens["bob"]).json()
    second = call("get", f"{path}&cursor={first['next_cursor']}", tokens["bob"]).json()
    names = [i["name"] for i in first["items"] + second["items"]]
    assert names == ["Tia Lee", "Uma Lee", "Vic Lee"]
    assert second["next_cursor"] is None


def test_sending_queues_once_then_conflicts(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/campaigns/{world['draft']}/send"
    first = call("post", path, tokens["maria"])
    assert first.status_code == 202
    assert (first.json()["state"], first.json()["send_total"]) == ("sending", 1)
    assert OutboxMessage.objects.count() == 1  # only the earlier campaign's
    while_sending = call("post", path, tokens["maria"])
    assert while_sending.status_code == 409
    run_campaigns(timezone.now())
    got = call("get", f"/api/v1/campaigns/{world['draft']}", tokens["maria"]).json()
    assert (got["state"], got["queued_count"], got["send_done"]) == ("queued", 1, 1)
    assert OutboxMessage.objects.count() == 2
    before = db_state()
    again = call("post", path, tokens["maria"])
    assert again.status_code == 409
    assert db_state() == before


def test_an_empty_audience_is_a_422_naming_why(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    call("post", f"/api/v1/campaigns/{world['draft']}/send", tokens["maria"])
    run_campaigns(timezone.now())
    winter = call(
        "post", "/api/v1/campaigns", tokens["maria"], {"offer_id": world["offer"], "name": "W"}
    ).json()
    before = db_state()
    response = call("post", f"/api/v1/campaigns/{winter['id']}/send", tokens["maria"])
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["audience"]
    assert response.json()["error"]["message"].startswith("audience: No one to send to: ")
    assert db_state() == before


def test_a_campaign_shows_what_came_of_it(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    call("post", "/api/v1/redemptions", tokens["bob"], {"code": world["code"]})
    body = call("get", f"/api/v1/campaigns/{world['sent']}", tokens["bob"]).json()
    assert body["state"] == "queued"
    assert {k: body["stats"][k] for k in ("queued", "sent", "held", "redemptions")} == {
        "queued": 1,
        "sent": 0,
        "held": 0,
        "redemptions": 1,
    }


def test_a_used_code_is_a_conflict_and_an_unknown_one_not_found(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    first = call("post", "/api/v1/redemptions", tokens["bob"], {"code": world["code"]})
    assert first.status_code == 201
    again = call("post", "/api/v1/redemptions", tokens["bob"], {"code": world["code"]})
    unknown = call("post", "/api/v1/redemptions", tokens["bob"], {"code": "STORM-NONE"})
    assert again.status_code == 409
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "No offer has code STORM-NONE."


def test_a_campaign_name_is_required(tokens: dict[str, str | None], world: dict[str, int]) -> None:
    response = call(
        "post", "/api/v1/campaigns", tokens["maria"], {"offer_id": world["offer"], "name": " "}
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["name"]


def test_the_campaign_list_is_paginated(
    tokens: dict[str, str | None], world: dict[str, Any]
) -> None:
    first = call("get", "/api/v1/campaigns?limit=1", tokens["bob"]).json()
    second = call(
        "get", f"/api/v1/campaigns?limit=1&cursor={first['next_cursor']}", tokens["bob"]
    ).json()
    assert [c["name"] for c in first["items"] + second["items"]] == ["Autumn", "Spring"]


def test_the_campaign_list_keeps_its_query_count(
    tokens: dict[str, str | None], world: dict[str, Any]
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert call("get", "/api/v1/campaigns", tokens["bob"]).status_code == 200
        return len(queries)

    count()  # the token's first use is recorded once
    before = count()
    offer = Offer.objects.get(pk=world["offer"])
    for name in ("Winter", "Summer", "Easter"):
        campaign_create(actor=None, offer=offer, name=name)
    assert count() == before
