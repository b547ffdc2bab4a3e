"""Reads behind the public unsubscribe and preference pages: the link a token opens, and the
person's status for every topic at the link's address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.core.errors import NotFound
from goodwill.core.tokens import token_hash
from goodwill.outreach.models_campaigns import PreferenceLink
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import (
    ConsentStatus,
    applicable,
    purchase_facts,
    status_from,
    topic_list,
)

MAX_TOKEN = 100


def preference_link_invalid() -> NotFound:
    """The one error for every unusable link (unknown, tampered, expired): the page it becomes
    must not tell them apart."""
    return NotFound(_("This link does not work any more."))


def preference_link_get(*, token: str, now: dt.datetime | None = None) -> PreferenceLink:
    """The link whose token this is, with its person and topic, found by the token's hash (never
    by the token). NotFound when unknown, tampered or expired; a used link still works."""
    if not token or len(token) > MAX_TOKEN:
        raise preference_link_invalid()
    link = (
        PreferenceLink.objects.select_related("person", "topic")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None or link.expires_at <= (now or timezone.now()):
        raise preference_link_invalid()
    return link


@dataclass(frozen=True)
class TopicChoice:
    """A topic on the preference page and whether we may write about it now, and why."""

    topic: Topic
    status: ConsentStatus


@dataclass(frozen=True)
class Preferences:
    """Everything the preference page shows: the address, each topic's status, and whether the
    person's last word about every topic together was to unsubscribe from everything."""

    address: str
    choices: list[TopicChoice]
    unsubscribed_all: bool


def preferences_for_link(*, link: PreferenceLink) -> Preferences:
    """The status of the link's address for every topic (three queries, however many topics)."""
    now = timezone.now()
    rows = list(
        Consent.objects.filter(person=link.person, address=link.address, recorded_at__lte=now)
    )
    facts = purchase_facts(person=link.person, at=now)

    def status(topic: Topic | None) -> ConsentStatus:
        mine = applicable(rows, link.address, topic)
        return status_from(rows=mine, topic=topic, facts=facts, at=now)

    everything = applicable(rows, link.address, None)
    return Preferences(
        address=link.address,
        choices=[TopicChoice(topic=topic, status=status(topic)) for topic in topic_list()],
        unsubscribed_all=bool(everything) and everything[-1].self_withdrawal,
    )
