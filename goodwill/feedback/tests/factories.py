"""Builders for feedback tests; everything goes through the services, like production code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from goodwill.accounts.models import User
from goodwill.feedback.models import Feedback
from goodwill.feedback.services.feedback import feedback_heard_create

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def heard(actor: User | None = None, **overrides: Any) -> Feedback:
    """Feedback noted through the service: "Best produce prices in town", price, positive."""
    fields: dict[str, Any] = {
        "text": "Best produce prices in town",
        "category": "price",
        "sentiment": "positive",
    }
    fields.update(overrides)
    return feedback_heard_create(actor=actor, **fields)


def at(days_ago: float, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=days_ago)
