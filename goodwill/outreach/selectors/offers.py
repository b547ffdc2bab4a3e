"""Reading offers (any staff member) and previewing one with a real person: the subject and body
they would get, and whether the greeting would hold the message for review."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid, NotFound
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.occasions import occasion_people
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.salutation import greeting_problem, is_urgent, person_values
from goodwill.outreach.templating import render, render_html, render_subject
from goodwill.people.models import Person


def _offers() -> QuerySet[Offer]:
    return Offer.objects.select_related("topic").prefetch_related("interests")


def offer_list(*, user: User | None, include_archived: bool = False) -> list[Offer]:
    """The offers, newest first, with their topic and interests (archived ones only when
    asked). A business has dozens, not thousands, so this is one page."""
    require_role(user, User.Role.STAFF)
    offers = _offers()
    if not include_archived:
        offers = offers.filter(archived_at=None)
    return list(offers.order_by("-created_at", "-id"))


def offer_get(*, user: User | None, offer_id: int) -> Offer:
    """One offer, archived or not; NotFound when there is none."""
    require_role(user, User.Role.STAFF)
    offer = _offers().filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(_("No such offer."))
    return offer


def sample_code(offer: Offer) -> str:
    """What a redemption code looks like in a preview ('' when the offer has no codes)."""
    return f"{offer.code_prefix}-SAMPLE" if offer.code_prefix else ""


@dataclass(frozen=True)
class OfferPreview:
    """What ``person`` would receive: subject, body (text and HTML) and, when the message would
    be held for review instead of sent, why; ``urgent`` when the subject uses urgency words."""

    subject: str
    body: str
    body_html: str
    held_reason: str
    urgent: bool


def offer_preview(
    *,
    offer: Offer,
    person: Person,
    occasion: Occasion | None = None,
    year: int | None = None,
    code: str | None = None,
) -> OfferPreview:
    """Render ``offer`` for ``person`` (a sample code when none is given); a subject that
    would break (too long) is shown flattened and named as the held reason."""
    values = person_values(
        person,
        occasion=occasion,
        year=year,
        code=sample_code(offer) if code is None else code,
        offer=offer,
    )
    held = ""
    try:
        subject = render_subject(offer.subject_template, values)
    except Invalid as exc:
        subject = " ".join(render(offer.subject_template, values).split())
        held = next(iter(exc.fields.values()), [exc.message])[0]
    body = render(offer.body_template, values, field="body_template")
    people = [person] if occasion is None else (occasion_people(occasion) or [person])
    held = greeting_problem(rendered_body=body, person=people) or held
    return OfferPreview(
        subject=subject,
        body=body,
        body_html=render_html(offer.body_template, values),
        held_reason=held,
        urgent=is_urgent(subject),
    )
