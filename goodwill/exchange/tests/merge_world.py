"""Two records of the same woman (Ann and Annie) and the people around them, for merge tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from goodwill.accounts.models import User
from goodwill.commerce.services import purchase_log
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.memory import occasion_mark_done, occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient, Offer
from goodwill.outreach.services.consent import topic_create
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.people.models import Person
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_create,
    person_interest_add,
    person_link_user,
    relationship_create,
)
from goodwill.people.tests.factories import make_person
from goodwill.timeline.services import interaction_log


@dataclass
class MergeWorld:
    ann: Person  # the survivor
    annie: Person  # the duplicate, merged into ann
    ben: Person  # Annie's husband
    cleo: Person  # Annie is Cleo's parent
    dan: Person  # a friend of both


def make_merge_world() -> MergeWorld:
    """Ann and Annie share an email, an organisation, an interest, a friend and a birthday."""
    ann = make_person(
        given_name="Ann",
        family_name="Harris",
        emails=["ann@example.com", "shared@example.com"],
        phones=["+1 902 555 0101"],
        roles=["guest"],
        locality="Halifax",
        notes="Likes the sea view.",
    )
    annie = make_person(
        given_name="Annie",
        family_name="Harris-Lee",
        preferred_name="Nan",
        emails=["annie@work.example", "shared@example.com"],
        phones=["+1 902 555 0199"],
        roles=["guest", "partner"],
        locality="Dartmouth",
        region="NS",
        notes="Allergic to nuts.",
        language="fr",
    )
    ben = make_person(given_name="Ben", family_name="Lee")
    cleo = make_person(given_name="Cleo", family_name="Lee")
    dan = make_person(given_name="Dan", family_name="Roy")
    household = household_create(actor=None, name="The Lees", member_ids=[annie.pk, ben.pk])
    annie.refresh_from_db()
    acme = organisation_create(actor=None, name="Acme")
    shop = organisation_create(actor=None, name="Corner Shop")
    membership_set(actor=None, person=ann, organisation=acme, job_title="Buyer")
    membership_set(actor=None, person=annie, organisation=acme, job_title="Chief buyer")
    membership_set(actor=None, person=annie, organisation=shop, job_title="Owner")
    person_interest_add(actor=None, person=ann, name="Sailing", source="told_us")
    person_interest_add(actor=None, person=annie, name="Sailing", source="form", note="Dinghies")
    person_interest_add(actor=None, person=annie, name="Jazz", source="told_us")
    relationship_create(actor=None, person=annie, other=ben, kind="spouse")
    relationship_create(actor=None, person=annie, other=cleo, kind="parent")
    relationship_create(actor=None, person=dan, other=annie, kind="referred")
    relationship_create(actor=None, person=ann, other=dan, kind="friend")
    relationship_create(actor=None, person=annie, other=dan, kind="friend")
    relationship_create(actor=None, person=ann, other=annie, kind="sibling")
    mine = occasion_create(actor=None, kind="birthday", month=4, day=12, person=ann)
    theirs = occasion_create(actor=None, kind="birthday", month=4, day=12, year=1980, person=annie)
    occasion_mark_done(actor=None, occasion=mine, year=2024)
    occasion_touch_log(actor=None, occasion=theirs, year=2024, kind="gift", summary="Flowers")
    occasion_touch_log(actor=None, occasion=theirs, year=2025, kind="call", summary="Called")
    occasion_create(
        actor=None, kind="anniversary", month=6, day=1, label="First stay", person=annie
    )
    interaction_log(
        actor=None,
        person=annie,
        kind="stay",
        summary="Two nights",
        occurred_at=dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC),
    )
    message_enqueue(
        actor=None,
        kind="transactional",
        recipients=["annie@work.example"],
        subject="Happy birthday",
        body_text="Happy birthday, Nan!",
        idempotency_key="merge-test-1",
        person=annie,
    )
    assert household.pk
    return MergeWorld(ann=ann, annie=annie, ben=ben, cleo=cleo, dan=dan)


def birthday_of(person: Person) -> Occasion:
    return Occasion.objects.get(person=person, kind="birthday")


def login_for(user: User, person: Person) -> None:
    person_link_user(actor=None, person=person, user=user)


@dataclass
class Beas:
    one: Person  # the survivor, born 1980-05-05
    two: Person  # the duplicate, born 1981-06-06
    offer: CampaignRecipient  # the birthday offer Bea Two got


def make_beas() -> Beas:
    """Two people with different birthdays, each with its note, lead time and history: a touch
    each in 2025, and for Bea Two's a purchase and a campaign offer made for it."""
    one = make_person(given_name="Bea", family_name="One", emails=["bea.one@example.com"])
    two = make_person(given_name="Bea", family_name="Two", emails=["bea.two@example.com"])
    mine = occasion_create(
        actor=None,
        kind="birthday",
        month=5,
        day=5,
        year=1980,
        person=one,
        note="Chocolate cake",
        lead_days=3,
    )
    theirs = occasion_create(
        actor=None,
        kind="birthday",
        month=6,
        day=6,
        year=1981,
        person=two,
        note="Prefers a call",
        lead_days=10,
    )
    occasion_touch_log(actor=None, occasion=mine, year=2025, kind="call", summary="Sang")
    occasion_touch_log(actor=None, occasion=theirs, year=2025, kind="gift", summary="Roses")
    occasion_touch_log(actor=None, occasion=theirs, year=2024, kind="offer", summary="10% off")
    purchase_log(actor=None, person=two, description="Birthday cake", occasion=theirs)
    topic = topic_create(actor=None, name="Birthday offers")
    offer = Offer.objects.create(
        name="Birthday", topic=topic, subject_template="Hi", body_template="Dear {{ given_name }},"
    )
    campaign = Campaign.objects.create(offer=offer, name="Birthdays 2025")
    recipient = CampaignRecipient.objects.create(
        campaign=campaign,
        person=two,
        address="bea.two@example.com",
        reason="birthday",
        code="BDAY-B",
        occasion=theirs,
    )
    return Beas(one=one, two=two, offer=recipient)
