"""Builders for commerce tests, through the services like production code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from goodwill.commerce.models import Purchase
from goodwill.commerce.services import purchase_log
from goodwill.people.models import Person


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def buy(person: Person, days: int = 1, **fields: Any) -> Purchase:
    """A purchase by ``person`` ``days`` days ago."""
    values: dict[str, Any] = {"amount": "20.00", "description": "Produce box"}
    values.update(fields)
    return purchase_log(actor=None, person=person, occurred_at=days_ago(days), **values)
