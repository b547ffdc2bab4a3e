"""The demo's outreach: topics, the opt-ins guests gave, and two offers (a storm-watching weekend
for storm chasers, an anniversary stay for couples) each with a draft campaign ready to preview
— all through the services; nothing is sent."""

from __future__ import annotations

import datetime as dt

from goodwill.accounts.models import User
from goodwill.demo import data
from goodwill.outreach.services.campaigns import campaign_create
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.offers import offer_create
from goodwill.people.models import Person


def _staff(key: str, people: dict[str, Person], owner: User) -> User:
    person = people[key]
    return person.user if person.user is not None else owner


def load_outreach(*, owner: User, today: dt.date, people: dict[str, Person]) -> int:
    """Add the demo's topics, opt-ins, offers and draft campaigns; returns the offers added."""
    topics = {
        name: topic_create(actor=owner, name=name, description=description)
        for name, description in data.TOPICS
    }
    for key, topic, staff, said in data.CONSENTS:
        person = people[key]
        consent_record(
            actor=_staff(staff, people, owner),
            person=person,
            address=person.primary_email,
            topic=topics[topic] if topic else None,
            basis="express",
            source="staff",
            evidence=said,
        )
    for spec in data.OFFERS:
        offer = offer_create(
            actor=owner,
            name=spec["name"],
            topic=topics[spec["topic"]],
            subject_template=spec["subject"],
            body_template=spec["body"],
            interests=spec["interests"],
            occasion_kinds=spec["occasion_kinds"],
            valid_from=today,
            valid_until=today + dt.timedelta(days=spec["valid_days"]),
            code_prefix=spec["code_prefix"],
        )
        campaign_create(actor=owner, offer=offer, name=spec["campaign"])
    return len(data.OFFERS)
