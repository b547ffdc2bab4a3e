"""The demo's purchases, stays and an inquiry (guests in every journey stage), what frontline
staff heard, and one "how was it?" already asked — all through the services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from goodwill.accounts.models import User
from goodwill.commerce.models import Purchase
from goodwill.commerce.services import purchase_log
from goodwill.demo import data
from goodwill.feedback.services.feedback import feedback_heard_create
from goodwill.feedback.services.followups import followup_mark_asked
from goodwill.people.models import Person


def _user(key: str, people: dict[str, Person], owner: User) -> User:
    person = people[key]
    return person.user if person.user is not None else owner


def load_commerce(*, owner: User, today: dt.date, people: dict[str, Person]) -> int:
    """Log the demo's purchases, frontline notes and follow-ups; returns the purchases logged."""
    zone = zoneinfo.ZoneInfo(data.BUSINESS["time_zone"])
    latest: dict[str, Purchase] = {}
    for key, kind, days, nights, amount, what, category, channel, staff in data.PURCHASES:
        day = today - dt.timedelta(days=days)
        check_out = day + dt.timedelta(days=nights) if nights else None
        when = None if nights else dt.datetime.combine(day, dt.time(11), tzinfo=zone)
        latest[key] = purchase_log(
            actor=_user(staff, people, owner),
            person=people[key],
            kind=kind,
            occurred_at=when,
            amount=amount,
            description=what,
            category=category,
            channel=channel,
            check_in=day if nights else None,
            check_out=check_out,
        )
    for key, days, staff, category, sentiment, text in data.HEARD:
        feedback_heard_create(
            actor=_user(staff, people, owner),
            text=text,
            category=category,
            sentiment=sentiment,
            person=people[key] if key else None,
            heard_at=dt.datetime.combine(today - dt.timedelta(days=days), dt.time(10), tzinfo=zone),
        )
    for key, staff, method, answer, category, sentiment in data.FOLLOWUPS:
        followup_mark_asked(
            actor=_user(staff, people, owner),
            purchase=latest[key],
            method=method,
            answer=answer,
            category=category,
            sentiment=sentiment,
        )
    return len(data.PURCHASES)
