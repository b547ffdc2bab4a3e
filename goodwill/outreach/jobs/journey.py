"""Journey stages as a scheduled job: at 02:30 business time every stage is recomputed, since
time alone moves people (to "lapsed", out of "regular")."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from goodwill.commerce.services import journey_recompute_all
from goodwill.occasions.selectors.settings import business_zone
from goodwill.outreach.schedule.registry import Job, daily_at, register

AT = dt.time(2, 30)


def run(now: dt.datetime) -> None:
    journey_recompute_all(now=now)


JOB = register(
    Job(
        name="commerce.journey",
        description=str(_("Recompute every person's journey stage (lapsed, regular…).")),
        run=run,
        next_after=daily_at(lambda: AT, business_zone),
    )
)
