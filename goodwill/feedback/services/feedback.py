"""Writes to feedback: staff note what a customer said; managers acknowledge it and say what
they did about it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.feedback.models import MAX_TEXT, Feedback
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

HANDLED_FIELDS = ["status", "handled_by", "handled_at", "action"]
SUMMARY_CHARS = 200


def _choice(name: str, value: object, choices: list[str]) -> str:
    """``value`` when it is one of ``choices``; Invalid naming ``name`` and the choices if not."""
    if not isinstance(value, str) or value not in choices:
        message = _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
        raise Invalid.field(name, message)
    return value


def _text(name: str, value: object, missing: str) -> str:
    """``value`` trimmed; Invalid naming ``name`` when empty or longer than MAX_TEXT."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise Invalid.field(name, missing)
    if len(text) > MAX_TEXT:
        raise Invalid.field(name, _("At most %(n)d characters.") % {"n": MAX_TEXT})
    return text


def _summary(text: str) -> str:
    """The timeline's one-line summary of a remark: its first 200 characters on one line."""
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1] + "…"


def _log_on_timeline(actor: User | None, feedback: Feedback, person: Person) -> None:
    """The remark as an inbound ``feedback`` touch on the person's timeline."""
    interaction_log(
        actor=actor,
        person=person,
        kind=Interaction.Kind.FEEDBACK,
        summary=_summary(feedback.text),
        direction=Interaction.Direction.INBOUND,
        channel=feedback.source,
        occurred_at=feedback.heard_at,
        body=feedback.text if len(feedback.text) > SUMMARY_CHARS else "",
    )


def feedback_heard_create(
    *,
    actor: User | None,
    text: str,
    category: str,
    sentiment: str,
    person: Person | None = None,
    source: str = Feedback.Source.COUNTER,
    heard_at: dt.datetime | None = None,
) -> Feedback:
    """Note what a customer told a member of staff (any active user); with a person it is also
    an inbound ``feedback`` touch on their timeline."""
    require_role(actor, User.Role.STAFF)
    sources = [Feedback.Source.COUNTER.value, Feedback.Source.PHONE.value]
    feedback = Feedback(
        source=_choice("source", source, sources),
        text=_text("text", text, _("Write down what they said.")),
        category=_choice("category", category, list(Feedback.Category.values)),
        sentiment=_choice("sentiment", sentiment, list(Feedback.Sentiment.values)),
        person=person,
        heard_by=actor,
        heard_at=heard_at or timezone.now(),
    )
    if timezone.is_naive(feedback.heard_at):
        raise Invalid.field("heard_at", _("Give the time with its time zone."))
    if feedback.heard_at > timezone.now() + dt.timedelta(days=1):
        raise Invalid.field("heard_at", _("This is in the future."))
    with transaction.atomic():
        feedback.save()
        audit_record(
            actor=actor,
            action="feedback.create",
            target=feedback,
            person_id=person.pk if person is not None else None,
            changes={
                "source": [None, feedback.source],
                "category": [None, feedback.category],
                "sentiment": [None, feedback.sentiment],
                "text": [None, feedback.text],
            },
        )
        if person is not None:
            _log_on_timeline(actor, feedback, person)
    return feedback


def _handle(
    actor: User | None, feedback: Feedback, action_name: str, changes: dict[str, object]
) -> Feedback:
    """Apply ``changes`` with who handled it and when, and audit what changed."""
    before = snapshot(feedback, HANDLED_FIELDS)
    for name, value in changes.items():
        setattr(feedback, name, value)
    feedback.handled_by = actor
    feedback.handled_at = timezone.now()
    with transaction.atomic():
        feedback.save(update_fields=[*HANDLED_FIELDS])
        audit_record(
            actor=actor,
            action=action_name,
            target=feedback,
            person_id=feedback.person_id,
            changes=diff(before, snapshot(feedback, HANDLED_FIELDS)),
        )
    return feedback


def feedback_acknowledge(*, actor: User | None, feedback: Feedback) -> Feedback:
    """Mark new feedback as seen (managers and owners); feedback already seen or acted on is
    left as it is."""
    require_role(actor, User.Role.MANAGER)
    if feedback.status != Feedback.Status.NEW:
        return feedback
    return _handle(
        actor, feedback, "feedback.acknowledge", {"status": Feedback.Status.ACKNOWLEDGED}
    )


def feedback_act(*, actor: User | None, feedback: Feedback, action: str) -> Feedback:
    """Record what was done about the feedback (managers and owners); saying it again replaces
    the earlier note."""
    require_role(actor, User.Role.MANAGER)
    done = _text("action", action, _("Say in a few words what you did."))
    return _handle(
        actor, feedback, "feedback.act", {"status": Feedback.Status.ACTED_ON, "action": done}
    )
