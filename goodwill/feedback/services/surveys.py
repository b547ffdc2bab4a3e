"""Survey links: made for a person (about a purchase or stay) with an unguessable single-use
token, of which only the SHA-256 is stored. Sending one by email is the outreach app's
(``outreach.services.surveys``); answering is the public survey page's."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Purchase
from goodwill.core.errors import Invalid
from goodwill.feedback.models import Survey
from goodwill.people.models import Person

VALID_DAYS = 30
TOKEN_BYTES = 32


def token_hash(raw: str) -> str:
    """The stored form of a survey token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def survey_url(raw: str) -> str:
    """The public address of a survey (the site URL, never the request's host)."""
    return settings.SITE_URL + reverse("feedback:survey", args=[raw])


def survey_create(
    *,
    actor: User | None,
    person: Person,
    purchase: Purchase | None = None,
    valid_days: int = VALID_DAYS,
) -> tuple[Survey, str]:
    """A new survey link for ``person`` (any staff member); returns it with its raw token, which
    is never stored and cannot be shown again."""
    require_role(actor, User.Role.STAFF)
    if purchase is not None and purchase.person_id != person.pk:
        raise Invalid.field("purchase", _("That purchase is not this person's."))
    if not 1 <= valid_days <= 365:
        raise Invalid.field("valid_days", _("Between 1 and 365 days."))
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        survey = Survey.objects.create(
            person=person,
            purchase=purchase,
            token_hash=token_hash(raw),
            created_by=actor,
            expires_at=timezone.now() + dt.timedelta(days=valid_days),
        )
        audit_record(
            actor=actor,
            action="survey.create",
            target=survey,
            person_id=person.pk,
            changes={"purchase": [None, purchase.pk if purchase else None]},
        )
    return survey, raw
