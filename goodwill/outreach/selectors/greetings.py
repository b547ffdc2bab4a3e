"""Reads for greetings: the greeting already queued for a year, and last year's greetings."""

from __future__ import annotations

from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.selectors.occasions import occasion_history
from goodwill.outreach.models import OutboxMessage


def greeting_key(occasion: Occasion, year: int) -> str:
    """The outbox idempotency key of the greeting for ``occasion`` in ``year``."""
    return f"greeting:{occasion.pk}:{year}"


def greeting_queued(*, occasion: Occasion, year: int) -> OutboxMessage | None:
    """The greeting already queued (or sent) for ``occasion`` in ``year``, if any."""
    return OutboxMessage.objects.filter(idempotency_key=greeting_key(occasion, year)).first()


def greeting_touches(*, occasion: Occasion, year: int) -> list[OccasionTouch]:
    """The greetings we logged for ``occasion`` in ``year`` (last year's, to do better)."""
    for record in occasion_history(occasion=occasion):
        if record.year == year:
            return [t for t in record.touches.all() if t.kind == OccasionTouch.Kind.GREETING]
    return []
