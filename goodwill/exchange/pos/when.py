"""Dates and times as tills and booking systems write them: ISO (``2024-03-05T14:30:00+01:00``,
``2024-03-05 14:30``), day first or month first with slashes (``05/03/2024 2:30 PM``, read as
the contacts import reads them, with the same ``day_first`` option) and dotted (``5.3.2024``,
always day first). A time without a zone is the business's local time; a date alone is noon.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from goodwill.exchange.parse.dates import parse_csv_date

_TIME = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?\s*(Z|[+-]\d{2}:?\d{2})?\Z"
)
_SPLIT = re.compile(r"(?<=\d)(?:[Tt]|\s+)(?=\d)")
NOON = dt.time(12, 0)


def parse_day(value: str, *, day_first: bool) -> dt.date:
    """The calendar date of a cell; ValueError with a reason the user can act on."""
    try:
        day = parse_csv_date(value, day_first=day_first)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date.") % {"value": value[:40]}) from None
    if day is None or day.year is None:
        raise ValueError(_("“%(value)s” is not a date with a year.") % {"value": value[:40]})
    return dt.date(day.year, day.month, day.day)


def time_part(value: str) -> str:
    """What follows the date in a date-time cell ("" when there is nothing)."""
    parts = _SPLIT.split(value.strip(), maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def parse_time(text: str) -> tuple[dt.time, dt.tzinfo | None]:
    """``14:30``, ``2:30 PM``, ``14:30:05Z``, ``14:30+01:00``; ValueError otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(_("“%(value)s” is not a time.") % {"value": text[:40]})
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise ValueError(_("“%(value)s” is not a time.") % {"value": text[:40]})
        hour = hour % 12 + (12 if match[4][0] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(_("“%(value)s” is not a time.") % {"value": text[:40]})
    zone: dt.tzinfo | None = None
    if match[5] == "Z":
        zone = dt.UTC
    elif match[5]:
        sign = -1 if match[5][0] == "-" else 1
        digits = match[5][1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        zone = dt.timezone(sign * offset)
    return dt.time(hour, minute, second), zone


def parse_when(
    value: str, *, time: str = "", day_first: bool, zone: dt.tzinfo
) -> tuple[dt.datetime, bool]:
    """The moment of a date or date-time cell (with ``time`` from a column of its own), and
    whether a time was given; ValueError naming what cannot be read."""
    day = parse_day(value, day_first=day_first)
    text = time.strip() or time_part(value)
    if not text:
        return dt.datetime.combine(day, NOON, tzinfo=zone), False
    clock, given_zone = parse_time(text)
    return dt.datetime.combine(day, clock, tzinfo=given_zone or zone), True
