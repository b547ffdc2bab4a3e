"""Builders shared by the audience, campaign and response tests: a business whose footer is
complete, a topic, an offer about "storm chasing" and people who each fit it — or miss it for
exactly one reason. Everything goes through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from goodwill.accounts.services import business_update
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.offers import offer_create
from goodwill.people.models import Person
from goodwill.people.services import interest_get_or_create
from goodwill.people.tests.factories import give_interests, make_person

BODY = "Dear {{ preferred_name }},\n\nA storm-chasing weekend, just for you: {{ offer_code }}."


def complete_footer() -> None:
    business_update(
        actor=None,
        name="Harbour B&B",
        address="1 Quay Street\nLunenburg NS",
        contact_email="hello@harbour.example",
    )


def make_topic(name: str = "Offers") -> Topic:
    return topic_create(actor=None, name=name)


def make_offer(topic: Topic, **overrides: Any) -> Offer:
    fields: dict[str, Any] = {
        "name": "Storm weekend",
        "topic": topic,
        "interests": ["storm chasing"],
        "subject_template": "A stormy weekend for {{ preferred_name }}",
        "body_template": BODY,
        "code_prefix": "STORM",
    }
    fields.update(overrides)
    for name in fields["interests"]:
        interest_get_or_create(name=name)
    return offer_create(actor=None, **fields)


def opt_in(person: Person, topic: Topic | None, *, source: str = "form", **kw: Any) -> None:
    consent_record(
        actor=None,
        person=person,
        address=person.primary_email,
        topic=topic,
        basis="express",
        source=source,
        at=kw.pop("at", timezone.now() - dt.timedelta(days=30)),
        **kw,
    )


def fan(topic: Topic, given: str = "Nora", email: str = "", **overrides: Any) -> Person:
    """Someone who likes storm chasing and opted in to ``topic``."""
    address = email or f"{given.lower()}.fan@example.com"
    person = make_person(given_name=given, family_name="Lee", emails=[address], **overrides)
    give_interests(person, "Storm chasing")
    opt_in(person, topic)
    return person
