"""Reads of surveys: the survey behind a raw token, for its public page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.core.errors import NotFound
from goodwill.feedback.models import Survey
from goodwill.feedback.services.surveys import token_hash

MAX_TOKEN = 100


def survey_link_invalid() -> NotFound:
    """The one error for every unusable link (unknown, tampered, expired): the page it becomes
    must not tell them apart."""
    return NotFound(_("This survey link is no longer valid."))


def survey_get_by_token(*, token: str, now: dt.datetime | None = None) -> Survey:
    """The survey whose token this is, with its person and purchase, answered or not; found by
    the token's hash (unique), never by the token. NotFound when unknown or expired."""
    if not token or len(token) > MAX_TOKEN:
        raise survey_link_invalid()
    found = Survey.objects.select_related("person", "purchase").filter(token_hash=token_hash(token))
    # The hash is unique: a plain LIMIT 1 (``first()`` would add an ORDER BY to build).
    survey = next(iter(found[:1]), None)
    if survey is None or survey.expires_at <= (now or timezone.now()):
        raise survey_link_invalid()
    return survey
