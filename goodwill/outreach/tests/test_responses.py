"""What comes back from a campaign: a redeemed code and a reply, each on the person's timeline
and, for an occasion offer, on the occasion's memory of the year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.core.errors import Conflict, Forbidden, Invalid, NotFound
from goodwill.core.testing import make_user
from goodwill.occasions.models import OccasionTouch
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models_campaigns import CampaignRecipient
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.services.responses import code_redeem, response_record
from goodwill.outreach.tests.campaign_helpers import complete_footer, fan, make_offer, make_topic
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers() -> Topic:
    complete_footer()
    return make_topic()


@pytest.fixture
def bob() -> User:
    return make_user("bob@example.com", User.Role.STAFF)


def queued(topic: Topic, **offer: object) -> CampaignRecipient:
    campaign = campaign_create(actor=None, offer=make_offer(topic, **offer), name="Storms")
    campaign_queue(actor=None, campaign=campaign)
    return CampaignRecipient.objects.get()


def test_staff_redeem_a_code_and_it_shows_on_the_timeline(offers: Topic, bob: User) -> None:
    nora = fan(offers)
    recipient = queued(offers)
    code_redeem(actor=bob, code=f"  {recipient.code.lower()} ")
    recipient.refresh_from_db()
    assert recipient.redeemed_at is not None
    entry = Interaction.objects.filter(person=nora).order_by("-id").first()
    assert entry is not None
    assert entry.summary == f"Redeemed {recipient.code}: Storm weekend"


def test_a_code_redeemed_twice_is_a_conflict_naming_when(offers: Topic, bob: User) -> None:
    fan(offers)
    recipient = queued(offers)
    code_redeem(actor=bob, code=recipient.code)
    before = Interaction.objects.count()
    with pytest.raises(Conflict) as caught:
        code_redeem(actor=bob, code=recipient.code)
    assert caught.value.message.startswith(f"Code {recipient.code} was already redeemed on ")
    assert Interaction.objects.count() == before


def test_an_unknown_code_is_not_found(offers: Topic, bob: User) -> None:
    with pytest.raises(NotFound) as caught:
        code_redeem(actor=bob, code="STORM-NOPE")
    assert caught.value.message == "No offer has code STORM-NOPE."


def test_someone_without_a_role_cannot_redeem(offers: Topic) -> None:
    fan(offers)
    recipient = queued(offers)
    charlie = make_user("charlie@example.com", User.Role.STAFF, active=False)
    with pytest.raises(Forbidden):
        code_redeem(actor=charlie, code=recipient.code)
    recipient.refresh_from_db()
    assert recipient.redeemed_at is None


def test_redeeming_an_occasion_offer_marks_it_used_on_the_memory(offers: Topic, bob: User) -> None:
    nora = fan(offers)
    soon = timezone.localdate() + dt.timedelta(days=5)
    occasion_create(actor=None, kind="birthday", month=soon.month, day=soon.day, person=nora)
    body = "Dear {{ preferred_name }},\n\nHappy {{ occasion }}: {{ offer_code }}"
    recipient = queued(offers, interests=[], occasion_kinds=["birthday"], body_template=body)
    code_redeem(actor=bob, code=recipient.code)
    memory = OccasionTouch.objects.get(kind="offer")
    assert memory.offer_used is True


def test_a_reply_is_noted_on_the_row_the_timeline_and_the_memory(offers: Topic, bob: User) -> None:
    nora = fan(offers)
    soon = timezone.localdate() + dt.timedelta(days=5)
    occasion_create(actor=None, kind="birthday", month=soon.month, day=soon.day, person=nora)
    recipient = queued(offers, interests=[], occasion_kinds=["birthday"])
    response_record(actor=bob, recipient=recipient, note="  Booked for   the 12th! ")
    recipient.refresh_from_db()
    assert recipient.response_note == "Booked for the 12th!"
    entry = Interaction.objects.get(person=nora, direction="inbound")
    assert entry.summary == "Replied to Storms: Booked for the 12th!"
    assert list(OccasionTouch.objects.values_list("kind", flat=True).order_by("id")) == [
        "offer",
        "note",
    ]


def test_an_empty_reply_is_refused(offers: Topic, bob: User) -> None:
    fan(offers)
    recipient = queued(offers)
    with pytest.raises(Invalid) as caught:
        response_record(actor=bob, recipient=recipient, note="   ")
    assert list(caught.value.fields) == ["note"]
    recipient.refresh_from_db()
    assert recipient.responded_at is None
