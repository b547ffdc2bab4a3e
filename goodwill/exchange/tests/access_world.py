"""A person with every kind of fact (and a spouse who must stay untouched), for the right of
access and erasure tests; everything is made through the services, like production data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from goodwill.accounts.models import User
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.memory import occasion_mark_done, occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.people.models import Household, Person
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_create,
    person_interest_add,
    person_update,
    relationship_create,
)
from goodwill.people.tests.factories import make_person
from goodwill.timeline.services import interaction_log

NAME = "Zelda Quixfeather"
EMAILS = ["zelda@erase.example", "zq.work@erase.example"]
SECRETS = ["Zelda", "Quixfeather", "+19025550199", "7 Lighthouse Lane", "allergic to lupins"]


@dataclass
class AccessWorld:
    zelda: Person
    ben: Person
    household: Household
    birthday: Occasion
    wedding: Occasion
    bens_message: OutboxMessage


def make_access_world(maria: User, bob: User) -> AccessWorld:
    """Zelda: names, two emails, a phone, an address, roles, an organisation, a household,
    interests noted by staff, a spouse (Ben), a birthday with a year's memory, a wedding
    anniversary, interactions, messages (one linked, one only addressed), audit entries."""
    zelda = make_person(
        actor=maria,
        given_name="Zelda",
        family_name="Quixfeather",
        preferred_name="Zed",
        emails=EMAILS,
        phones=["+1 902 555 0199"],
        roles=["guest", "lead"],
        street="7 Lighthouse Lane",
        locality="Lunenburg",
        country="CA",
        notes="Zelda is allergic to lupins",
    )
    person_update(actor=bob, person=zelda, language="fr")
    person_interest_add(actor=bob, person=zelda, name="Kite surfing", source="staff_observed")
    person_interest_add(
        actor=maria, person=zelda, name="Lupins", attitude="dislikes", source="told_us"
    )
    inn = organisation_create(actor=None, name="Harbour Inn")
    membership_set(actor=None, person=zelda, organisation=inn, job_title="Chef")
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    household = household_create(actor=None, name="Lighthouse house", member_ids=[zelda.pk, ben.pk])
    couple = relationship_create(
        actor=bob, person=ben, other=zelda, kind="spouse", notes="met 2010"
    )
    birthday = occasion_create(actor=bob, kind="birthday", year=1980, month=4, day=12, person=zelda)
    wedding = occasion_create(
        actor=None, kind="wedding_anniversary", year=2015, month=6, day=20, relationship=couple
    )
    occasion_mark_done(actor=bob, occasion=birthday, year=2025, note="Zelda loved the cake")
    occasion_touch_log(
        actor=bob,
        occasion=birthday,
        year=2025,
        kind="greeting",
        summary="Card for Zelda Quixfeather",
        occurred_at=dt.datetime(2025, 4, 12, 10, tzinfo=dt.UTC),
    )
    interaction_log(actor=bob, person=zelda, kind="call", summary="Zelda asked about rooms")
    message_enqueue(
        actor=bob,
        kind="transactional",
        recipients=[EMAILS[0]],
        subject="Happy birthday, Zed",
        body_text="Dear Zelda Quixfeather",
        idempotency_key="zelda-1",
        person=zelda,
    )
    message_enqueue(
        actor=bob,
        kind="transactional",
        recipients=[EMAILS[1]],
        subject="Your stay",
        body_text="Dear Zed",
        idempotency_key="zelda-2",
    )
    bens_message = message_enqueue(
        actor=bob,
        kind="transactional",
        recipients=["ben@example.com"],
        subject="Hello Ben",
        body_text="Dear Ben",
        idempotency_key="ben-1",
        person=ben,
    )
    return AccessWorld(zelda, ben, household, birthday, wedding, bens_message)
