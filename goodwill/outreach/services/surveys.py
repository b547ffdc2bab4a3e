"""Sending a “how was it?” survey link by email through the outbox: addressed by the person's
own name, about one purchase or stay, with a single-use link that expires. It is a
transactional message (about something they just did), recorded as the purchase's follow-up,
as an asking touch on their timeline and among the transactional messages on their page (it
uses none of their touch budget)."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.commerce.models import Purchase
from goodwill.core.errors import Invalid
from goodwill.feedback.models import FollowUp
from goodwill.feedback.services.followups import followup_record_survey
from goodwill.feedback.services.surveys import VALID_DAYS, survey_create, survey_url
from goodwill.occasions.selectors.settings import business_zone
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.services.greetings import usable_name
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log


def _what(purchase: Purchase) -> str:
    """“your stay of 3 May 2026”, “your Produce box of 3 May 2026”."""
    day = purchase.check_in or purchase.occurred_at.astimezone(business_zone()).date()
    shown = date_format(day, "j F Y")
    if purchase.kind == Purchase.Kind.STAY:
        return _("your stay of %(day)s") % {"day": shown}
    what = purchase.description or purchase.category
    if what:
        return _("your %(what)s of %(day)s") % {"what": what, "day": shown}
    return _("your visit of %(day)s") % {"day": shown}


def survey_send(*, actor: User | None, purchase: Purchase) -> FollowUp:
    """Email ``purchase``'s person a survey link (any staff member): queued in the outbox,
    recorded as the follow-up, and logged as an asking touch. A person without an email
    address or a name of their own is refused (no "Dear customer")."""
    require_role(actor, User.Role.STAFF)
    person = purchase.person
    if not person.primary_email:
        raise Invalid.field("email", _("%(name)s has no email address.") % {"name": person})
    name = usable_name(person)
    if not name:
        raise Invalid.field(
            "name", _("%(name)s has no given or preferred name.") % {"name": person}
        )
    business = business_get()
    with transaction.atomic():
        survey, raw = survey_create(actor=actor, person=person, purchase=purchase)
        followup = followup_record_survey(actor=actor, purchase=purchase, survey=survey)
        context = {
            "name": name,
            "what": _what(purchase),
            "url": survey_url(raw),
            "days": VALID_DAYS,
            "business": business,
        }
        subject = _("How was %(what)s, %(name)s?") % {"what": context["what"], "name": name}
        message = message_enqueue(
            actor=actor,
            kind=OutboxMessage.Kind.TRANSACTIONAL,
            recipients=[person.primary_email],
            subject=subject[:200],
            body_text=render_to_string("outreach/email/survey.txt", context),
            body_html=render_to_string("outreach/email/survey.html", context),
            idempotency_key=f"survey:{survey.pk}",
            person=person,
        )
        interaction = interaction_log(
            actor=actor,
            person=person,
            kind=Interaction.Kind.EMAIL,
            summary=_("Sent a survey: how was %(what)s?") % {"what": context["what"]},
            direction=Interaction.Direction.OUTBOUND,
            intent=Interaction.Intent.ASKING,
        )
        touches_record(
            rows=[
                TouchRow(
                    person_id=person.pk,
                    at=message.created_at,
                    purpose=Touch.Purpose.TRANSACTIONAL,
                    intent=Touch.Intent.ASKING,
                    summary=interaction.summary,
                    message_id=message.pk,
                    interaction_id=interaction.pk,
                    created_by_id=actor.pk if actor is not None else None,
                )
            ]
        )
    return followup
