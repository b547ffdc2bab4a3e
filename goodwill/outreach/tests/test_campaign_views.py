"""Campaign pages: who may see, start, send and answer what; the preview lists every recipient
with their reason and the people left out grouped by why; errors are shown, nothing is sent;
names are escaped; the list and the detail page keep a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.core.tests.matrix import ROLES, Route, check_route, effect
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    complete_footer()
    topic = make_topic()
    sam = fan(topic, "Sam")
    offer = make_offer(topic)
    sent = campaign_queue(
        actor=None, campaign=campaign_create(actor=None, offer=offer, name="Spring")
    )
    tia = fan(topic, "Tia")
    draft = campaign_create(actor=None, offer=offer, name="Autumn")
    code = CampaignRecipient.objects.get(campaign=sent).code
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "offer": offer,
        "sent": sent,
        "draft": draft,
        "sam": sam,
        "tia": tia,
        "code": code,
    }


def _url(name: str, *keys: str) -> Any:
    return lambda w: reverse(f"outreach:{name}", args=[w[k].pk for k in keys])


def _states(w: Any, _user: Any) -> list[str]:
    return list(Campaign.objects.order_by("pk").values_list("state", flat=True))


ROUTES = [
    Route("campaign_list", "get", _url("campaign_list"), (200, 200, 200)),
    Route("campaign_detail", "get", _url("campaign_detail", "sent"), (200, 200, 200)),
    Route("campaign_preview", "get", _url("campaign_preview", "draft"), (200, 200, 200)),
    Route(
        "campaign_create",
        "post",
        _url("campaign_create"),
        (403, 302, 302),
        lambda w: {"offer_id": str(w["offer"].pk), "name": "Winter"},
        audit="campaign.create",
        check=effect(lambda w, _u: Campaign.objects.count(), 3),
    ),
    Route(
        "campaign_send",
        "post",
        _url("campaign_send", "draft"),
        (403, 302, 302),
        lambda w: {"confirm": "on"},
        audit="campaign.send",
        check=effect(_states, ["queued", "sending"]),
    ),
    Route(
        "campaign_response",
        "post",
        lambda w: reverse("outreach:campaign_response", args=[w["sent"].pk, w["sam"].pk]),
        (302, 302, 302),
        lambda w: {"note": "Booked!"},
        audit="campaign.response",
        check=effect(
            lambda w, _u: CampaignRecipient.objects.get(campaign=w["sent"]).response_note,
            "Booked!",
        ),
    ),
    Route("redeem", "get", _url("redeem"), (200, 200, 200)),
    Route(
        "redeem",
        "post",
        _url("redeem"),
        (302, 302, 302),
        lambda w: {"code": w["code"]},
        audit="campaign.redeem",
        check=effect(
            lambda w, _u: CampaignRecipient.objects.filter(redeemed_at__isnull=False).count(), 1
        ),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_campaign_url_is_in_the_matrix() -> None:
    from goodwill.outreach.views.campaign_urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in ROUTES}


def test_the_preview_lists_reasons_and_groups_the_left_out(
    world: dict[str, Any], maria_client: Client
) -> None:
    make_person(given_name="Nick", family_name="<b>Bold</b>", emails=["nick@example.com"])
    response = maria_client.get(reverse("outreach:campaign_preview", args=[world["draft"].pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tia Lee" in page
    assert "Likes storm chasing" in page
    assert "Touched enough lately (touch budget): 1" in page
    assert "Sam Lee" in page
    assert "1 marketing touch in the last 14 days (limit 1)" in page
    assert "Nick &lt;b&gt;Bold&lt;/b&gt;" in page
    assert "<b>Bold</b>" not in page
    assert OutboxMessage.objects.count() == 1


def test_staff_see_the_preview_without_a_send_button(
    world: dict[str, Any], bob_client: Client
) -> None:
    response = bob_client.get(reverse("outreach:campaign_preview", args=[world["draft"].pk]))
    assert response.status_code == 200
    assert reverse("outreach:campaign_send", args=[world["draft"].pk]) not in (
        response.content.decode()
    )


def test_sending_an_empty_audience_says_why_and_sends_nothing(
    world: dict[str, Any], maria_client: Client
) -> None:
    campaign_queue(actor=None, campaign=world["draft"])
    again = campaign_create(actor=None, offer=world["offer"], name="Winter")
    response = maria_client.post(
        reverse("outreach:campaign_send", args=[again.pk]), {"confirm": "on"}, follow=True
    )
    assert "No one to send to: " in response.content.decode()
    again.refresh_from_db()
    assert again.state == "draft"
    assert OutboxMessage.objects.count() == 2


def test_a_wrong_code_is_shown_next_to_the_field(world: dict[str, Any], bob_client: Client) -> None:
    response = bob_client.post(reverse("outreach:redeem"), {"code": "STORM-NOPE"})
    assert response.status_code == 404
    assert "No offer has code STORM-NOPE." in response.content.decode()
    assert CampaignRecipient.objects.filter(redeemed_at__isnull=False).count() == 0


def test_the_offer_page_lists_its_campaigns(world: dict[str, Any], maria_client: Client) -> None:
    page = maria_client.get(reverse("outreach:offer_detail", args=[world["offer"].pk]))
    text = page.content.decode()
    assert "Spring" in text
    assert "Autumn" in text
    assert reverse("outreach:campaign_create") in text


def test_the_list_and_detail_pages_keep_their_query_count(
    world: dict[str, Any], maria_client: Client
) -> None:
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert maria_client.get(url).status_code == 200
        return len(queries)

    detail = reverse("outreach:campaign_detail", args=[world["sent"].pk])
    list_url = reverse("outreach:campaign_list")
    before = (count(list_url), count(detail))
    for name in ("Uma", "Vic", "Wes"):
        fan(world["offer"].topic, name)
    campaign_queue(actor=None, campaign=world["draft"])
    campaign_create(actor=None, offer=world["offer"], name="Winter")
    after = (count(list_url), count(reverse("outreach:campaign_detail", args=[world["draft"].pk])))
    assert after == before
