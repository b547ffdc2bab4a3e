"""“Did you ask them?”: recording that someone asked how a purchase or stay was — in person or
by phone, with the answer when there was one — or sent a survey about it.

Asking is an asking touch: it goes on the person's timeline as one (outreach counts it in the
touch budget). A purchase is asked about once; asking again is a conflict.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Purchase
from goodwill.core.errors import Conflict, Invalid
from goodwill.feedback.models import Feedback, FollowUp, Survey
from goodwill.feedback.services.feedback import feedback_heard_create
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

ASKED_IN = {
    FollowUp.Method.IN_PERSON: (Interaction.Kind.VISIT, Feedback.Source.COUNTER),
    FollowUp.Method.PHONE: (Interaction.Kind.CALL, Feedback.Source.PHONE),
}


def _askable(purchase: Purchase) -> None:
    if not purchase.counts or purchase.followup_due_at is None:
        raise Invalid.field("purchase", _("Only a purchase or a stay is followed up."))
    if FollowUp.objects.filter(purchase=purchase).exists():
        raise Conflict(_("Someone has already asked about this one."))


def _about(purchase: Purchase) -> str:
    what = purchase.description or purchase.category or purchase.get_kind_display()
    return what[:120]


def _record(
    *,
    actor: User | None,
    purchase: Purchase,
    method: str,
    at: dt.datetime,
    answer: Feedback | None = None,
) -> FollowUp:
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(
                purchase=purchase,
                person_id=purchase.person_id,
                method=method,
                asked_by=actor,
                asked_at=at,
                due_at=purchase.followup_due_at or at,
                served_by_id=purchase.created_by_id,
                answer=answer,
            )
    except IntegrityError:
        raise Conflict(_("Someone has already asked about this one.")) from None
    audit_record(
        actor=actor,
        action="followup.asked",
        target=followup,
        person_id=purchase.person_id,
        changes={"method": [None, method], "purchase": [None, purchase.pk]},
    )
    return followup


def followup_mark_asked(
    *,
    actor: User | None,
    purchase: Purchase,
    method: str,
    answer: str = "",
    category: str = Feedback.Category.OTHER,
    sentiment: str = Feedback.Sentiment.NEUTRAL,
    at: dt.datetime | None = None,
) -> FollowUp:
    """Record that ``actor`` asked how ``purchase`` was, in person or by phone (any staff
    member); what the customer answered becomes feedback in the manager's inbox."""
    require_role(actor, User.Role.STAFF)
    if method not in ASKED_IN:
        raise Invalid.field(
            "method", _("Choose one of: %(m)s.") % {"m": ", ".join(m.value for m in ASKED_IN)}
        )
    at = at or timezone.now()
    _askable(purchase)
    kind, source = ASKED_IN[FollowUp.Method(method)]
    with transaction.atomic():
        interaction_log(
            actor=actor,
            person=purchase.person,
            kind=kind,
            summary=_("Asked how it was: %(what)s") % {"what": _about(purchase)},
            direction=Interaction.Direction.OUTBOUND
            if method == FollowUp.Method.PHONE
            else Interaction.Direction.IN_PERSON,
            intent=Interaction.Intent.ASKING,
            occurred_at=at,
        )
        feedback = None
        if answer.strip():
            feedback = feedback_heard_create(
                actor=actor,
                text=answer,
                category=category,
                sentiment=sentiment,
                person=purchase.person,
                source=source,
                heard_at=at,
            )
        return _record(actor=actor, purchase=purchase, method=method, at=at, answer=feedback)


def followup_record_survey(*, actor: User | None, purchase: Purchase, survey: Survey) -> FollowUp:
    """Record that a survey about ``purchase`` was sent (called by outreach when it queues the
    email); the answer arrives on the survey page."""
    require_role(actor, User.Role.STAFF)
    if survey.purchase_id != purchase.pk:
        raise Invalid.field("survey", _("That survey is about something else."))
    _askable(purchase)
    return _record(actor=actor, purchase=purchase, method=FollowUp.Method.SURVEY, at=timezone.now())
