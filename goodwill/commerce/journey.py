"""The journey rules: a person's stage from their facts, with the reason staff are shown.

No database access here: the services gather one person's facts (or a million people's, in one
pass, for the nightly run) and call :func:`stage_of`. The reason quotes dates, never "n days
ago", so it only changes when the facts or the stage do and the nightly run rewrites little.

Stages, first match wins:

* **lapsed**: bought before, and nothing for more than twice their own usual interval between
  purchases (the median gap between the days they bought), or 18 months after a single day's
  buying;
* **advocate**: referred someone who bought, or scored 9–10 when asked;
* **regular**: at least the business's number of purchases (default 4) within 12 months;
* **returning**: bought on two or more occasions;
* **first-time**: one purchase or stay;
* **prospect**: an inquiry, nothing bought.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

ONE_TIME_LAPSE_MONTHS = 18
PROMOTER_SCORE = 9


@dataclass
class Facts:
    """What the stage rests on, for one person: when they bought (purchases and stays, any
    order), whether they asked, whom they referred who bought, and their best score."""

    bought: list[dt.datetime] = field(default_factory=list)
    inquired_at: dt.datetime | None = None
    referred_buyers: list[str] = field(default_factory=list)
    best_score: int | None = None
    best_score_at: dt.datetime | None = None


@dataclass(frozen=True)
class Stage:
    """A computed stage and what is stored with it."""

    stage: str
    reason: str
    purchases: int
    first_purchase_at: dt.datetime | None
    last_purchase_at: dt.datetime | None
    usual_interval_days: int | None

    def values(self) -> tuple[Any, ...]:
        """The stored columns in order (a plain tuple: ``dataclasses.astuple`` deep-copies)."""
        return (
            self.stage,
            self.reason,
            self.purchases,
            self.first_purchase_at,
            self.last_purchase_at,
            self.usual_interval_days,
        )


def _day(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return moment.astimezone(zone).date()


def _shown(day: dt.date) -> str:
    return _shown_in(day, get_language())


@lru_cache(maxsize=4096)
def _shown_in(day: dt.date, language: str | None) -> str:
    return date_format(day, "j M Y")


def usual_interval(days: list[dt.date]) -> int | None:
    """The median number of days between consecutive distinct buying days; None below two."""
    distinct = sorted(set(days))
    if len(distinct) < 2:
        return None
    return round(median((b - a).days for a, b in zip(distinct, distinct[1:], strict=False)))


def _months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _advocate_reason(facts: Facts) -> str | None:
    if facts.referred_buyers:
        names = ", ".join(facts.referred_buyers[:3])
        return _("Referred %(names)s, who bought.") % {"names": names}
    if facts.best_score is not None and facts.best_score >= PROMOTER_SCORE:
        when = f" ({_shown(facts.best_score_at.date())})" if facts.best_score_at else ""
        return _("Scored %(score)d of 10 when asked%(when)s.") % {
            "score": facts.best_score,
            "when": when,
        }
    return None


def _lapsed_reason(days: list[dt.date], interval: int | None, today: dt.date) -> str | None:
    last = max(days)
    idle = (today - last).days
    if interval is None:
        if today > _months_after(last, ONE_TIME_LAPSE_MONTHS):
            return _("Bought only on %(day)s, and nothing in the 18 months since.") % {
                "day": _shown(last)
            }
        return None
    if idle > 2 * max(interval, 1):
        return ngettext(
            "Nothing since %(day)s; usually buys every %(n)d day.",
            "Nothing since %(day)s; usually buys every %(n)d days.",
            interval,
        ) % {"day": _shown(last), "n": interval}
    return None


def stage_of(facts: Facts, *, today: dt.date, regular_from: int, zone: dt.tzinfo) -> Stage | None:
    """The stage ``facts`` put a person in on ``today`` (business dates in ``zone``), or None
    when there is nothing to go on (no purchase, inquiry, referral or score)."""
    bought = sorted(facts.bought)
    days = [_day(b, zone) for b in bought]
    interval = usual_interval(days)
    first = bought[0] if bought else None
    last = bought[-1] if bought else None
    count = len(bought)

    def made(stage: str, reason: str) -> Stage:
        return Stage(stage, reason[:300], count, first, last, interval)

    if days and (reason := _lapsed_reason(days, interval, today)):
        return made("lapsed", reason)
    if reason := _advocate_reason(facts):
        return made("advocate", reason)
    if not days:
        if facts.inquired_at is None:
            return None
        return made(
            "prospect",
            _("Asked on %(day)s; nothing bought yet.")
            % {"day": _shown(_day(facts.inquired_at, zone))},
        )
    recent = sum(1 for d in days if (today - d).days < 365)
    if recent >= regular_from:
        return made(
            "regular",
            _("%(n)d purchases in the last 12 months (a regular from %(from)d).")
            % {"n": recent, "from": regular_from},
        )
    if count >= 2:
        return made(
            "returning",
            _("%(n)d purchases; the last on %(day)s.") % {"n": count, "day": _shown(days[-1])},
        )
    return made("first_time", _("First bought on %(day)s.") % {"day": _shown(days[0])})
