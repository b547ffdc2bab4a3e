"""Writes to the touch ledger: recording the touches campaigns, greetings and one-to-one emails
make (in bulk), and staff logging a call, visit, letter or text as giving or asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid, one_of
from goodwill.outreach.models_touch import Touch
from goodwill.people.models import Person
from goodwill.people.services.bulk_sql import db_value, insert_rows
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

LOGGED_INTENTS = [Touch.Intent.GIVING.value, Touch.Intent.ASKING.value]
KIND_OF_CHANNEL = {
    Touch.Channel.PHONE: Interaction.Kind.CALL,
    Touch.Channel.IN_PERSON: Interaction.Kind.VISIT,
    Touch.Channel.LETTER: Interaction.Kind.MESSAGE,
    Touch.Channel.TEXT: Interaction.Kind.MESSAGE,
    Touch.Channel.EMAIL: Interaction.Kind.EMAIL,
}


@dataclass(frozen=True)
class TouchRow:
    """One touch to record; ``counts`` is derived from purpose and intent."""

    person_id: int
    at: dt.datetime
    purpose: str
    intent: str
    channel: str = Touch.Channel.EMAIL
    urgent: bool = False
    topic_id: int | None = None
    summary: str = ""
    message_id: int | None = None
    campaign_id: int | None = None
    interaction_id: int | None = None
    created_by_id: int | None = None
    override_by_id: int | None = None


def counts(purpose: str, intent: str) -> bool:
    """Whether a touch uses up the budget: marketing, or one-to-one asking."""
    return purpose == Touch.Purpose.MARKETING or (
        purpose == Touch.Purpose.ONE_TO_ONE and intent == Touch.Intent.ASKING
    )


TOUCH_FIELDS = (
    "person_id",
    "at",
    "purpose",
    "intent",
    "channel",
    "counts",
    "urgent",
    "topic_id",
    "summary",
    "message_id",
    "campaign_id",
    "interaction_id",
    "created_by_id",
    "override_by_id",
)


def touches_record(*, rows: list[TouchRow]) -> None:
    """Record ``rows`` as plain multi-row inserts (a campaign records 100,000 at once); no
    permission check (callers made one)."""
    times: dict[dt.datetime, Any] = {}
    values = []
    for row in rows:
        if row.at not in times:
            times[row.at] = db_value(Touch, "at", row.at)
        values.append(
            (
                row.person_id,
                times[row.at],
                row.purpose,
                row.intent,
                row.channel,
                counts(row.purpose, row.intent),
                row.urgent,
                row.topic_id,
                row.summary[:200],
                row.message_id,
                row.campaign_id,
                row.interaction_id,
                row.created_by_id,
                row.override_by_id,
            )
        )
    insert_rows(Touch, TOUCH_FIELDS, values)


def touch_log(
    *,
    actor: User | None,
    person: Person,
    channel: str,
    intent: str,
    summary: str,
    at: dt.datetime | None = None,
) -> Touch:
    """Staff log a call, visit, letter, text or email they made as giving or asking: it shows on
    the timeline and, when asking, counts against the person's budget."""
    require_role(actor, User.Role.STAFF)
    one_of("channel", channel, list(Touch.Channel.values))
    one_of("intent", intent, LOGGED_INTENTS)
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise Invalid.field("at", _("Give the time with its time zone."))
    if at > timezone.now() + dt.timedelta(days=1):
        raise Invalid.field("at", _("This is in the future."))
    with transaction.atomic():
        interaction = interaction_log(
            actor=actor,
            person=person,
            kind=KIND_OF_CHANNEL[Touch.Channel(channel)],
            summary=summary,
            direction=Interaction.Direction.OUTBOUND,
            intent=intent,
            channel=channel,
            occurred_at=at,
        )
        touch = Touch.objects.create(
            person=person,
            at=at,
            purpose=Touch.Purpose.ONE_TO_ONE,
            intent=intent,
            channel=channel,
            counts=counts(Touch.Purpose.ONE_TO_ONE, intent),
            summary=interaction.summary,
            interaction=interaction,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="touch.log",
            target=touch,
            person_id=person.pk,
            changes={"channel": [None, channel], "intent": [None, intent]},
        )
    return touch
