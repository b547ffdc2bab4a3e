"""Calendar arithmetic of yearly dates: validation, Feb 29 in common years, next occurrence,
and the (month × 100 + day) windows the agenda reads. Pure functions, no database."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid

FEB28 = "feb28"
MAR1 = "mar1"
MIN_YEAR = 1850


def md_of(month: int, day: int) -> int:
    """The sortable key of a month and day: 4 April → 404."""
    return month * 100 + day


def validate(month: object, day: object, year: object | None, *, today: dt.date) -> None:
    """Refuse a date that does not exist, naming the field: month 13, February 30, a 29
    February in a year that is not a leap year, a year in the future."""
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise Invalid.field("month", _("Give a month from 1 to 12."))
    if not isinstance(day, int) or isinstance(day, bool) or day < 1:
        raise Invalid.field("day", _("Give a day of the month from 1."))
    longest = 29 if month == 2 else calendar.monthrange(2000, month)[1]
    if day > longest:
        raise Invalid.field(
            "day",
            _("%(month)s has at most %(n)d days.")
            % {"month": calendar.month_name[month], "n": longest},
        )
    if year is None:
        return
    if not isinstance(year, int) or isinstance(year, bool):
        raise Invalid.field("year", _("Give the year as a number, or leave it out."))
    if not MIN_YEAR <= year <= today.year:
        raise Invalid.field(
            "year", _("Give a year from %(lo)d to %(hi)d.") % {"lo": MIN_YEAR, "hi": today.year}
        )
    if month == 2 and day == 29 and not calendar.isleap(year):
        raise Invalid.field("day", _("%(y)d was not a leap year.") % {"y": year})


def celebrated_on(month: int, day: int, year: int, rule: str = FEB28) -> dt.date:
    """The day in ``year`` on which (month, day) is celebrated: 29 February falls on 28 February
    or 1 March (``rule``) in common years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1) if rule == MAR1 else dt.date(year, 2, 28)
    return dt.date(year, month, day)


def next_occurrence(month: int, day: int, on_or_after: dt.date, rule: str = FEB28) -> dt.date:
    """The first day on or after ``on_or_after`` on which (month, day) is celebrated."""
    this_year = celebrated_on(month, day, on_or_after.year, rule)
    if this_year >= on_or_after:
        return this_year
    return celebrated_on(month, day, on_or_after.year + 1, rule)


def md_ranges(start: dt.date, days: int) -> list[tuple[int, int]]:
    """The (low, high) ``md`` ranges, inclusive, covering ``start`` .. ``start + days``; two
    ranges when the window crosses New Year, in calendar order. A 29 February is added to the
    window when the window holds the day it is celebrated on in a common year (the caller
    filters the exact rule), so a window is never narrower than its days."""
    days = max(0, min(days, 366))
    end = start + dt.timedelta(days=days)
    if days >= 365:
        return [(md_of(1, 1), md_of(12, 31))]
    if end.year == start.year:
        ranges = [(md_of(start.month, start.day), md_of(end.month, end.day))]
    else:
        ranges = [
            (md_of(start.month, start.day), md_of(12, 31)),
            (md_of(1, 1), md_of(end.month, end.day)),
        ]
    return [_with_leap_day(lo, hi) for lo, hi in ranges]


def _with_leap_day(lo: int, hi: int) -> tuple[int, int]:
    # A window starting on 1 March or ending on 28 February may owe a 29 February celebration.
    if lo == md_of(3, 1):
        lo = md_of(2, 29)
    if hi == md_of(2, 28):
        hi = md_of(2, 29)
    return lo, hi


def ordinal(n: int) -> str:
    """1 → “1st”, 2 → “2nd”, 11 → “11th”, 22 → “22nd” (English ordinals)."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
