"""Personal greetings for an occasion: a draft in the people's own names, and sending it.

A greeting is a one-to-one message (kind ``transactional``), never marketing: it carries no offer;
it is recorded as a giving touch for each person it greets, outside their budget.
A couple or a household gets one message addressed to everyone, not one each. A person without a
given or preferred name is never greeted as "valued customer": the message is held for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.core.errors import Invalid
from goodwill.occasions.dates import ordinal
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.selectors.occasions import join_names, occasion_people
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.selectors.greetings import greeting_key
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.people.models import Person

SUBJECT_MAX = 300
SUMMARY_MAX = 200


@dataclass(frozen=True)
class GreetingDraft:
    """A prefilled greeting: who it goes to and the text, ready to edit.

    ``held_reason`` is set when someone has no usable name: the message would be held for
    review instead of going out with a generic salutation. ``missing_email`` names the people
    the message cannot reach.
    """

    subject: str
    body: str
    recipients: list[str]
    names: str
    held_reason: str = ""
    missing_email: list[str] = field(default_factory=list)


def usable_name(person: Person) -> str:
    """How to greet ``person``: their preferred name, else their given name, else nothing."""
    return (person.preferred_name or person.given_name).strip()


def _recipients(people: list[Person]) -> list[str]:
    seen: list[str] = []
    for person in people:
        if person.primary_email and person.primary_email not in seen:
            seen.append(person.primary_email)
    return seen


def _wish(occasion: Occasion, year: int) -> tuple[str, str]:
    """The subject's wish and the body's first line, in English first (marked for translation)."""
    years = year - occasion.year if occasion.year and year > occasion.year else None
    nth = ordinal(years) if years else ""
    label = occasion.label.strip()
    if occasion.kind == Occasion.Kind.BIRTHDAY:
        return _("Happy birthday"), _("happy birthday! We hope you have a wonderful day.")
    if occasion.kind in (Occasion.Kind.WEDDING, Occasion.Kind.ANNIVERSARY):
        if nth and label and occasion.kind == Occasion.Kind.ANNIVERSARY:
            line = _("happy %(nth)s anniversary of your %(label)s!") % {"nth": nth, "label": label}
        elif label and occasion.kind == Occasion.Kind.ANNIVERSARY:
            line = _("happy anniversary of your %(label)s!") % {"label": label}
        elif nth:
            line = _("happy %(nth)s anniversary!") % {"nth": nth}
        else:
            line = _("happy anniversary!")
        return _("Happy anniversary"), line
    if label:
        return _("Best wishes"), _("best wishes on your %(label)s!") % {"label": label}
    return _("Best wishes"), _("best wishes on your special day!")


def held_reason(people: list[Person], body: str) -> str:
    """Why a greeting must wait for review ('' when it may go): someone has no name of their
    own, or the first line does not greet each of them by it (a name like "Valued customer" or
    their email address is no name) — the salutation gate offers go through too."""
    # Imported here: the salutation gate itself imports ``usable_name`` from this module.
    from goodwill.outreach.salutation import greeting_problem

    if not people or not all(usable_name(p) for p in people):
        return _("Someone it is for has no given or preferred name; check the greeting first.")
    return greeting_problem(rendered_body=body, person=people)


def greeting_draft(*, occasion: Occasion, year: int) -> GreetingDraft:
    """The greeting for ``occasion`` in ``year``, prefilled with the people's own names and
    signed with the business's name; one draft for a couple, addressed to both."""
    people = occasion_people(occasion)
    names = [usable_name(p) for p in people]
    greeted = join_names([n for n in names if n])
    wish, line = _wish(occasion, year)
    business = business_get().name
    subject = f"{wish}, {greeted}!" if greeted else f"{wish}!"
    salutation = _("Dear %(names)s,") % {"names": greeted} if greeted else _("Hello,")
    body = "\n".join(
        [
            f"{salutation} {line}",
            "",
            _("Thank you for being part of our story."),
            "",
            _("Warm wishes,"),
            business,
        ]
    )
    held = held_reason(people, body)
    return GreetingDraft(
        subject=subject[:SUBJECT_MAX],
        body=body,
        recipients=_recipients(people),
        names=greeted,
        held_reason=held,
        missing_email=[p.full_name for p in people if not p.primary_email],
    )


def greeting_send(
    *, actor: User | None, occasion: Occasion, year: int, subject: str, body: str
) -> OutboxMessage:
    """Queue the (edited) greeting for ``occasion`` in ``year`` and remember it as this year's
    touch (staff). Sending it again for the same year returns the queued message: a double click
    sends once. No email address: Invalid naming ``to``, nothing queued."""
    require_role(actor, User.Role.STAFF)
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise Invalid.field("subject", _("Write a subject."))
    if len(subject) > SUBJECT_MAX:
        raise Invalid.field("subject", _("Keep the subject under 300 characters."))
    if not body:
        raise Invalid.field("body", _("Write a message."))
    draft = greeting_draft(occasion=occasion, year=year)
    if not draft.recipients:
        raise Invalid.field("to", _("No email address: add one on the person's page first."))
    key = greeting_key(occasion, year)
    with transaction.atomic():
        # Serialise two clicks on the same occasion, so only the first logs a touch.
        Occasion.objects.select_for_update().filter(pk=occasion.pk).first()
        existing = OutboxMessage.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        people = occasion_people(occasion)
        held = held_reason(people, body)
        message = message_enqueue(
            actor=actor,
            kind=OutboxMessage.Kind.TRANSACTIONAL,
            recipients=draft.recipients,
            subject=subject,
            body_text=body,
            idempotency_key=key,
            person=people[0] if len(people) == 1 else None,
            held_reason=held,
        )
        occasion_touch_log(
            actor=actor,
            occasion=occasion,
            year=year,
            kind=OccasionTouch.Kind.GREETING,
            summary=subject[:SUMMARY_MAX],
            channel="email",
            mark_done=not held,
        )
        # A greeting gives: it shows on each person's balance and never uses up their budget.
        touches_record(
            rows=[
                TouchRow(
                    person_id=person.pk,
                    at=message.created_at,
                    purpose=Touch.Purpose.ONE_TO_ONE,
                    intent=Touch.Intent.GIVING,
                    summary=subject[:SUMMARY_MAX],
                    message_id=message.pk,
                    created_by_id=actor.pk if actor is not None else None,
                )
                for person in people
            ]
        )
    return message
