"""The right of access covers what outreach holds about a person: the campaigns they were chosen
for (with their code and what came back), every touch counted for them, their own contact limits
and the preference links sent to them (when, never the token)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.tests.test_access import strip_times
from goodwill.outreach.models_campaigns import CampaignRecipient, PreferenceLink
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.services.preferences import preference_link_create, preference_unsubscribe
from goodwill.outreach.services.responses import code_redeem, response_record
from goodwill.outreach.services.touch_policy import person_touch_policy_set, touch_policy_update
from goodwill.outreach.services.touches import touch_log
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.outreach.worker import run
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import call

pytestmark = pytest.mark.django_db
NORA = "nora@access.example"
REPLY = "<b>Nora</b> will come in March"


@dataclass
class OutreachWorld:
    nora: Person
    ottilie: Person
    code: str
    raw_token: str


@pytest.fixture
def world(maria: User, bob: User, settings: Any) -> OutreachWorld:
    """Nora: a phone call bob logged, a campaign sent to her (code redeemed, reply noted), her
    own limits with a note, and a preference link she used. Ottilie got the same campaign."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    complete_footer()
    touch_policy_update(actor=None, quiet_start="00:00", quiet_end="00:00")  # no quiet hours
    topic = make_topic("Offers")
    nora = fan(topic, "Nora", email=NORA)
    ottilie = fan(topic, "Ottilie", email="ottilie@access.example")
    touch_log(
        actor=bob,
        person=nora,
        channel="phone",
        intent="giving",
        summary="Called Nora about the storm season",
        at=timezone.now() - dt.timedelta(days=5),
    )
    campaign = campaign_create(actor=maria, offer=make_offer(topic), name="Autumn storms")
    campaign_queue(actor=maria, campaign=campaign)
    assert run(stop_when_idle=True, schedule=False) == {"sent": 2}
    mine = CampaignRecipient.objects.get(person=nora)
    code_redeem(actor=bob, code=mine.code)
    response_record(actor=bob, recipient=mine, note=REPLY)
    theirs = CampaignRecipient.objects.get(person=ottilie)
    response_record(actor=bob, recipient=theirs, note="Ottilie says no thanks")
    person_touch_policy_set(
        actor=maria, person=nora, short_max=1, short_days=30, note="Nora asked for one a month"
    )
    raw = preference_link_create(person=nora, address=NORA, topic=None)
    preference_unsubscribe(token=raw)
    return OutreachWorld(nora, ottilie, mine.code, raw)


def test_their_data_lists_the_campaigns_they_were_chosen_for(
    world: OutreachWorld, maria: User
) -> None:
    data = person_access_export(actor=maria, person=world.nora)
    [campaign] = data["campaigns"]
    times = ("queued_at", "sent_at", "redeemed_at", "replied_at")
    assert strip_times([campaign], *times) == [
        {
            "campaign": "Autumn storms",
            "offer": "Storm weekend",
            "address": NORA,
            "why": "Likes storm chasing",
            "code": world.code,
            "occasion": None,
            "reply": REPLY,
        }
    ]
    assert world.code.startswith("STORM")
    assert [campaign[t] is not None for t in times] == [True, True, True, True]
    assert dt.datetime.fromisoformat(campaign["sent_at"]) <= dt.datetime.fromisoformat(
        campaign["redeemed_at"]
    )


def test_their_data_lists_every_touch(world: OutreachWorld, maria: User, bob: User) -> None:
    data = person_access_export(actor=maria, person=world.nora)
    assert strip_times(data["touches"], "at") == [
        {
            "purpose": "one_to_one",
            "intent": "giving",
            "channel": "phone",
            "counts": False,
            "urgent": False,
            "topic": None,
            "summary": "Called Nora about the storm season",
            "campaign": None,
            "by": bob.email,
            "override_by": None,
        },
        {
            "purpose": "marketing",
            "intent": "giving",
            "channel": "email",
            "counts": True,
            "urgent": False,
            "topic": "Offers",
            "summary": "Storm weekend",
            "campaign": "Autumn storms",
            "by": maria.email,
            "override_by": None,
        },
    ]


def test_their_data_holds_their_own_contact_limits_and_why(
    world: OutreachWorld, maria: User
) -> None:
    data = person_access_export(actor=maria, person=world.nora)
    assert strip_times([data["touch_policy"]], "updated_at") == [
        {
            "short_max": 1,
            "short_days": 30,
            "long_max": None,
            "long_days": None,
            "min_gap_hours": None,
            "note": "Nora asked for one a month",
            "updated_by": maria.email,
        }
    ]
    assert data["touch_policy"]["updated_at"] is not None
    assert person_access_export(actor=maria, person=world.ottilie)["touch_policy"] is None


def test_their_data_lists_preference_links_but_never_a_token(
    world: OutreachWorld, maria: User
) -> None:
    data = person_access_export(actor=maria, person=world.nora)
    assert strip_times(data["preference_links"], "created_at", "expires_at", "used_at") == [
        {"address": NORA, "topic": "Offers"},
        {"address": NORA, "topic": None},
    ]
    assert [link["used_at"] is not None for link in data["preference_links"]] == [False, True]
    text = json.dumps(data)
    hashes = PreferenceLink.objects.values_list("token_hash", flat=True)
    assert [secret for secret in [world.raw_token, *hashes] if secret in text] == []
    assert "token" not in text


def test_the_export_holds_nothing_about_the_other_recipient(
    world: OutreachWorld, maria: User
) -> None:
    text = json.dumps(person_access_export(actor=maria, person=world.nora))
    assert [s for s in ["Ottilie", "ottilie@access.example", "no thanks"] if s in text] == []


def section(page: str, name: str) -> str:
    return page.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]


def test_the_page_shows_it_all_escaped(world: OutreachWorld, maria_client: Client) -> None:
    response = maria_client.get(reverse("exchange:person_access", args=[world.nora.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    campaigns, touches = section(page, "campaigns"), section(page, "touches")
    assert "Autumn storms · Storm weekend · nora@access.example" in campaigns
    assert f"code {world.code}" in campaigns
    assert ": &lt;b&gt;Nora&lt;/b&gt; will come in March" in campaigns
    assert "Called Nora about the storm season (bob@example.com)" in touches
    assert "Nora asked for one a month (maria@example.com, " in touches
    assert touches.count(" · nora@access.example · ") == 2
    assert REPLY not in page
    assert world.raw_token not in page


def test_the_api_export_holds_the_campaigns(
    world: OutreachWorld, tokens: dict[str, str | None]
) -> None:
    response = call("get", f"/api/v1/people/{world.nora.pk}/export", tokens["maria"])
    assert response.status_code == 200
    body = response.json()
    assert [c["reply"] for c in body["campaigns"]] == [REPLY]
    assert (len(body["touches"]), body["touch_policy"]["short_max"]) == (2, 1)
    assert len(body["preference_links"]) == 2


def test_erasing_them_counts_what_went_with_them(world: OutreachWorld, alice: User) -> None:
    person_erase(actor=alice, person=world.nora, confirm_name=world.nora.full_name)
    removed = AuditEntry.objects.get(action="person.erase").changes["removed"]
    for model in ("campaignrecipient", "touch", "persontouchpolicy", "preferencelink"):
        assert removed[f"outreach.{model}"] >= 1, model
