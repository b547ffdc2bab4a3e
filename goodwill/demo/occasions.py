"""The demo's occasions: wedding anniversaries from the couples' wedding dates, birthdays and
first-stay anniversaries (some a few days from the day the demo is loaded, so Today is never
empty), and what Harris Hall did for some of them last year."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo

from goodwill.accounts.models import User
from goodwill.demo import data
from goodwill.occasions.dates import celebrated_on
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.services.settings import agenda_preference_set
from goodwill.people.models import Household, Person, Relationship


def _date(when: int | str, year: int | None, today: dt.date) -> tuple[int, int, int | None]:
    """(month, day, year) from "MM-DD" or a number of days from today."""
    if isinstance(when, int):
        day = today + dt.timedelta(days=when)
        month, mday = day.month, day.day
    else:
        month, mday = (int(part) for part in when.split("-"))
    if year is not None and (month, mday) == (2, 29) and not calendar.isleap(year):
        year -= year % 4  # a leap-day birthday needs a leap year of birth
    return month, mday, year


def load_occasions(
    *,
    owner: User,
    today: dt.date,
    people: dict[str, Person],
    couples: dict[str, Relationship],
    households: dict[str, Household],
) -> int:
    """Create the demo's occasions and last year's memory, and opt the owner in to the morning
    digest; returns how many occasions."""
    agenda_preference_set(actor=owner, user=owner, digest_email=True)
    made: dict[tuple[str, str], Occasion] = {}
    for key, relationship in couples.items():
        if relationship.since is not None:
            made[(key, "wedding_anniversary")] = occasion_create(
                actor=owner,
                kind="wedding_anniversary",
                month=relationship.since.month,
                day=relationship.since.day,
                year=relationship.since.year,
                relationship=relationship,
            )
    for key, kind, when, year, label in data.OCCASIONS:
        month, day, year = _date(when, year, today)
        household = households.get(key.removeprefix("household:"))
        made[(key, kind)] = occasion_create(
            actor=owner,
            kind=kind,
            month=month,
            day=day,
            year=year,
            label=label,
            person=None if key.startswith("household:") else people[key],
            household=household if key.startswith("household:") else None,
        )
    zone = zoneinfo.ZoneInfo(data.BUSINESS["time_zone"])
    for key, kind, touch_kind, summary, channel, used in data.OCCASION_MEMORY:
        occasion = made[(key, kind)]
        last_time = celebrated_on(occasion.month, occasion.day, today.year - 1)
        occasion_touch_log(
            actor=owner,
            occasion=occasion,
            year=today.year - 1,
            occurred_at=dt.datetime.combine(last_time, dt.time(10), tzinfo=zone),
            kind=touch_kind,
            summary=summary,
            channel=channel,
            offer_used=used,
            timeline=False,
        )
    return len(made)
