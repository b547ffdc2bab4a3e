"""Queueing a campaign: one rendered message per recipient with their own name, code, links,
list headers and footer; held when the greeting misses their name; the touches, timeline and
occasion memory that go with it; and refusals that change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.core.testing import make_user
from goodwill.occasions.models import OccasionTouch
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient, PreferenceLink
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.selectors.campaigns import campaign_preview, campaign_stats
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.services.offers import offer_archive
from goodwill.outreach.services.outbox_bulk import BulkMessage, messages_enqueue_bulk
from goodwill.outreach.services.preferences import preference_unsubscribe
from goodwill.outreach.services.touch_policy import touch_policy_update
from goodwill.outreach.tests.campaign_helpers import (
    complete_footer,
    fan,
    make_offer,
    make_topic,
    opt_in,
)
from goodwill.people.services import relationship_create
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers() -> Topic:
    complete_footer()
    return make_topic()


@pytest.fixture
def maria() -> User:
    return make_user("maria@example.com", User.Role.MANAGER)


def new_campaign(topic: Topic, **offer: object) -> Campaign:
    return campaign_create(actor=None, offer=make_offer(topic, **offer), name="Autumn storms")


def test_it_queues_one_message_per_recipient_with_their_name(offers: Topic, maria: User) -> None:
    nora = fan(offers, "Nora")
    campaign = campaign_queue(actor=maria, campaign=new_campaign(offers))
    message = OutboxMessage.objects.get()
    recipient = CampaignRecipient.objects.get()
    assert (campaign.state, campaign.queued_count, campaign.held_count) == ("queued", 1, 0)
    assert message.recipients == ["nora.fan@example.com"]
    assert message.subject == "A stormy weekend for Nora"
    assert message.body_text.startswith(
        f"Dear Nora,\n\nA storm-chasing weekend, just for you: {recipient.code}."
    )
    assert "Harbour B&amp;B" in message.body_html
    assert (message.kind, message.state, message.person_id) == ("marketing", "queued", nora.pk)
    assert message.topic_id == offers.pk
    assert message.idempotency_key == f"campaign:{campaign.pk}:person:{nora.pk}"
    assert (recipient.person_id, recipient.reason) == (nora.pk, "Likes storm chasing")
    assert recipient.message_id == message.pk


def test_queued_messages_carry_the_list_headers_and_footer(offers: Topic) -> None:
    fan(offers)
    campaign_queue(actor=None, campaign=new_campaign(offers))
    message = OutboxMessage.objects.get()
    link = PreferenceLink.objects.get()
    assert sorted(message.headers) == ["List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"]
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.headers["List-Unsubscribe"].startswith("<http")
    assert "/u/" in message.headers["List-Unsubscribe"]
    assert "1 Quay Street" in message.body_text
    assert "Unsubscribe: http" in message.body_text
    assert (link.message_id, link.topic_id, link.address) == (
        message.pk,
        offers.pk,
        "nora.fan@example.com",
    )
    assert "GWTOKENMARK" not in message.body_text + message.body_html + str(message.headers)


def test_every_recipient_gets_their_own_code(offers: Topic) -> None:
    for name in ("Amy", "Bob", "Cy", "Dee"):
        fan(offers, name)
    campaign_queue(actor=None, campaign=new_campaign(offers))
    codes = list(CampaignRecipient.objects.values_list("code", flat=True))
    assert len(set(codes)) == 4
    assert all(c.startswith("STORM-") and len(c) == 14 for c in codes)


def test_a_greeting_without_their_own_name_is_held(offers: Topic) -> None:
    fan(offers, "Robert", preferred_name="Bob")
    body = "Dear {{ given_name }},\n\nStorms ahead."
    campaign = campaign_queue(actor=None, campaign=new_campaign(offers, body_template=body))
    message = OutboxMessage.objects.get()
    assert (message.state, message.held_reason) == (
        "held",
        "the greeting line does not say “Bob”",
    )
    assert (campaign.queued_count, campaign.held_count) == (0, 1)


def test_it_records_a_touch_and_a_timeline_entry(offers: Topic, maria: User) -> None:
    nora = fan(offers)
    campaign = campaign_queue(actor=maria, campaign=new_campaign(offers))
    touch = Touch.objects.get()
    interaction = Interaction.objects.get(person=nora, kind="offer")
    assert (touch.person_id, touch.purpose, touch.intent, touch.counts) == (
        nora.pk,
        "marketing",
        "giving",
        True,
    )
    assert (touch.campaign_id, touch.interaction_id) == (campaign.pk, interaction.pk)
    assert (interaction.direction, interaction.summary) == ("outbound", "Offer: Storm weekend")
    assert AuditEntry.objects.filter(action="campaign.queue").count() == 1


def test_a_couple_gets_one_message_to_both_names(offers: Topic) -> None:
    ann = make_person(given_name="Ann", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", emails=["ben@example.com"])
    opt_in(ann, offers)
    opt_in(ben, offers)
    couple = relationship_create(actor=None, person=ann, other=ben, kind="spouse")
    soon = timezone.localdate() + dt.timedelta(days=10)
    occasion_create(
        actor=None, kind="wedding_anniversary", month=soon.month, day=soon.day, relationship=couple
    )
    body = "Dear {{ names }},\n\nHappy {{ occasion }}!"
    campaign = new_campaign(
        offers, interests=[], occasion_kinds=["wedding_anniversary"], body_template=body
    )
    campaign_queue(actor=None, campaign=campaign)
    message = OutboxMessage.objects.get()
    assert (message.recipients, message.body_text.split("\n")[0]) == (
        ["ann@example.com"],
        "Dear Ann and Ben,",
    )
    assert sorted(Touch.objects.values_list("person_id", "message_id")) == [
        (ann.pk, message.pk),
        (ben.pk, message.pk),
    ]
    assert Interaction.objects.filter(kind="offer", person__in=[ann, ben]).count() == 2
    memory = OccasionTouch.objects.get()
    assert (memory.kind, memory.summary, memory.record.year) == (
        "offer",
        "Offer sent: Storm weekend",
        soon.year,
    )


def test_a_couples_greeting_is_held_when_the_partner_has_no_name_of_their_own(
    offers: Topic,
) -> None:
    ann = make_person(given_name="Ann", emails=["ann@example.com"])
    ben = make_person(given_name="Valued customer", emails=["ben@example.com"])
    opt_in(ann, offers)
    couple = relationship_create(actor=None, person=ann, other=ben, kind="spouse")
    soon = timezone.localdate() + dt.timedelta(days=10)
    occasion_create(
        actor=None, kind="wedding_anniversary", month=soon.month, day=soon.day, relationship=couple
    )
    body = "Dear {{ names }},\n\nHappy {{ occasion }}!"
    campaign = new_campaign(
        offers, interests=[], occasion_kinds=["wedding_anniversary"], body_template=body
    )
    campaign_queue(actor=None, campaign=campaign)
    message = OutboxMessage.objects.get()
    assert message.recipients == ["ann@example.com"]
    assert message.state == OutboxMessage.State.HELD
    assert message.held_reason


def test_queueing_twice_is_a_conflict_and_doubles_nothing(offers: Topic) -> None:
    fan(offers)
    campaign = campaign_queue(actor=None, campaign=new_campaign(offers))
    with pytest.raises(Conflict):
        campaign_queue(actor=None, campaign=campaign)
    assert OutboxMessage.objects.count() == 1
    assert Touch.objects.count() == 1
    assert CampaignRecipient.objects.count() == 1


def test_an_empty_audience_is_invalid_and_queues_nothing(offers: Topic) -> None:
    make_person(given_name="Nick", emails=["nick@example.com"])
    campaign = new_campaign(offers)
    with pytest.raises(Invalid) as caught:
        campaign_queue(actor=None, campaign=campaign)
    assert caught.value.fields == {
        "audience": ["No one to send to: 1 nothing in the offer matches what we know they like."]
    }
    campaign.refresh_from_db()
    assert campaign.state == "draft"
    assert OutboxMessage.objects.count() == 0
    assert Touch.objects.count() == 0


def test_without_the_business_address_nothing_is_queued() -> None:
    topic = make_topic()
    fan(topic)
    campaign = new_campaign(topic)
    with pytest.raises(Invalid) as caught:
        campaign_queue(actor=None, campaign=campaign)
    assert list(caught.value.fields) == ["business"]
    assert OutboxMessage.objects.count() == 0


def test_staff_cannot_queue_a_campaign(offers: Topic) -> None:
    fan(offers)
    campaign = new_campaign(offers)
    bob = make_user("bob@example.com", User.Role.STAFF)
    with pytest.raises(Forbidden):
        campaign_queue(actor=bob, campaign=campaign)
    with pytest.raises(Forbidden):
        campaign_create(actor=bob, offer=campaign.offer, name="Mine")
    campaign.refresh_from_db()
    assert campaign.state == "draft"
    assert OutboxMessage.objects.count() == 0
    assert Campaign.objects.count() == 1


def test_the_preview_queues_nothing(offers: Topic) -> None:
    fan(offers)
    campaign = new_campaign(offers)
    preview = campaign_preview(user=None, campaign=campaign)
    assert [r.reason for r in preview.items] == ["Likes storm chasing"]
    assert OutboxMessage.objects.count() == 0
    assert Touch.objects.count() == 0
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_a_message_queued_in_quiet_hours_waits_for_the_morning(offers: Topic) -> None:
    touch_policy_update(actor=None, quiet_start=dt.time(0, 0), quiet_end=dt.time(23, 59))
    fan(offers)
    campaign_queue(actor=None, campaign=new_campaign(offers))
    message = OutboxMessage.objects.get()
    assert message.next_attempt_at is not None
    assert message.next_attempt_at > timezone.now()


def test_the_stats_count_what_happened(offers: Topic) -> None:
    fan(offers, "Amy")
    fan(offers, "Bob")
    make_person(given_name="Nick", emails=["nick@example.com"])
    campaign = campaign_queue(actor=None, campaign=new_campaign(offers))
    OutboxMessage.objects.filter(person__given_name="Amy").update(state="sent")
    CampaignRecipient.objects.filter(person__given_name="Amy").update(redeemed_at=timezone.now())
    stats = campaign_stats(campaign=campaign)
    assert (stats.queued, stats.sent, stats.held, stats.failed) == (2, 1, 0, 0)
    assert stats.excluded["no_relevance"] == 1
    assert (stats.redemptions, stats.responses, stats.response_rate) == (1, 0, 100.0)


def test_an_unsubscribe_from_the_message_counts_on_the_campaign(offers: Topic) -> None:
    fan(offers)
    campaign = campaign_queue(actor=None, campaign=new_campaign(offers))
    header = OutboxMessage.objects.get().headers["List-Unsubscribe"]
    token = header.split("/u/", 1)[1].split("/", 1)[0]
    preference_unsubscribe(token=token)
    assert campaign_stats(campaign=campaign).unsubscribes == 1


def bulk(key: str, to: str = "ann@example.com", **overrides: object) -> BulkMessage:
    fields: dict[str, Any] = {
        "idempotency_key": key,
        "recipients": [to],
        "subject": "Hello",
        "body_text": "Dear Ann,\nHello.",
    }
    fields.update(overrides)
    return BulkMessage(**fields)


def test_bulk_queueing_the_same_keys_again_adds_nothing() -> None:
    first = messages_enqueue_bulk(actor=None, messages=[bulk("k1"), bulk("k2")])
    again = messages_enqueue_bulk(actor=None, messages=[bulk("k1"), bulk("k2"), bulk("k3")])
    assert sorted(first) == ["k1", "k2"]
    assert sorted(again) == ["k3"]
    assert OutboxMessage.objects.count() == 3
    assert len(set(OutboxMessage.objects.values_list("message_id", flat=True))) == 3


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"to": "not an address"}, "recipients"),
        ({"subject": "Two\nlines"}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"headers": {"X-Note": "a\r\nBcc: eve@example.com"}}, "headers"),
        ({"headers": {"Bad Name": "x"}}, "headers"),
    ],
)
def test_one_bad_row_refuses_the_chunk(bad: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as caught:
        messages_enqueue_bulk(actor=None, messages=[bulk("ok"), bulk("bad", **bad)])
    assert list(caught.value.fields) == [field]
    assert caught.value.message.startswith("row 1: ")
    assert OutboxMessage.objects.count() == 0


def test_an_archived_offer_cannot_start_a_campaign(offers: Topic) -> None:
    offer = offer_archive(actor=None, offer=make_offer(offers))
    with pytest.raises(Invalid) as caught:
        campaign_create(actor=None, offer=offer, name="Late")
    assert list(caught.value.fields) == ["offer_id"]
    assert Campaign.objects.count() == 0
