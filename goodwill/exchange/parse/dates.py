"""Birthdays and anniversaries as written by address books, read into YearlyDate.

vCard: 1980-03-22, 19800322, --0322, --03-22, date-times (the time is dropped), and Apple's
placeholder year 1604 (with or without X-APPLE-OMIT-YEAR) meaning "no year".
CSV: ISO dates, --MM-DD, German D.M.YYYY (dots are always day first), slashes and dashes, read
as M/D/YYYY (US, as Google, Outlook and Yahoo write them) unless ``day_first`` is set from the
business's locale, and English month names ("Dec 31", "December 31, 1980", "31 Dec 1980").
Placeholders such as Outlook's 0.0.00 or 0/0/00 mean "no date".
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from goodwill.core.errors import Invalid
from goodwill.exchange.parse.records import YearlyDate
from goodwill.occasions.dates import validate

NO_YEAR = {1604, 0}
_ISO = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_NO_YEAR_FORM = re.compile(r"--(\d{2})-?(\d{2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?")
_YEAR_FIRST_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DASHED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
# English month names, whole or cut to three letters or more ("Sept"), and a day with or
# without its ordinal suffix: "Dec 31", "December 31st, 1980", "31 Dec 1980".
_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july"),
    *("august", "september", "october", "november", "december"),
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_FIRST = re.compile(rf"([a-z]{{3,9}})\.?\s+{_DAY},?(?:\s+(\d{{4}}))?", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"{_DAY}\s+([a-z]{{3,9}})\.?,?(?:\s+(\d{{4}}))?", re.IGNORECASE)


def parse_vcard_date(value: str, *, omit_year: str = "") -> YearlyDate:
    """A BDAY/ANNIVERSARY value as a YearlyDate; ValueError with the reason if it is not one."""
    text = value.strip().split("T", 1)[0]
    if match := _NO_YEAR_FORM.fullmatch(text):
        return checked(int(match[1]), int(match[2]), None, value)
    if match := _ISO.fullmatch(text):
        year = int(match[1])
        if year in NO_YEAR or (omit_year and match[1] == omit_year.strip()):
            return checked(int(match[2]), int(match[3]), None, value)
        return checked(int(match[2]), int(match[3]), year, value)
    raise ValueError(_("%(value)r is not a date.") % {"value": value})


def parse_csv_date(value: str, *, day_first: bool = False) -> YearlyDate | None:
    """A spreadsheet date cell as a YearlyDate, None when empty or a placeholder;
    ValueError with the reason otherwise."""
    text = value.strip().split(" ", 1)[0].split("T", 1)[0]
    if not text or not text.strip("0./-"):
        return None
    if match := _NO_YEAR_FORM.fullmatch(text):
        return checked(int(match[1]), int(match[2]), None, value)
    if match := _ISO.fullmatch(text) or _YEAR_FIRST_SLASHED.fullmatch(text):
        year = int(match[1])
        return checked(int(match[2]), int(match[3]), None if year in NO_YEAR else year, value)
    if match := _DOTTED.fullmatch(text):
        return checked(int(match[2]), int(match[1]), _year(match[3]), value)
    if match := _SLASHED.fullmatch(text) or _DASHED.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second and not day_first:
            raise ValueError(_day_first_hint(value))
        month, day = (second, first) if day_first else (first, second)
        return checked(month, day, _year(match[3]), value)
    if worded := _worded(value.strip()):
        return worded
    raise ValueError(_("%(value)r is not a date.") % {"value": value})


def _day_first_hint(value: str) -> str:
    """Why a month-first reading of ``value`` (31/12/1980) fails, and how to read it."""
    return _(
        "%(value)r looks written day first, but dates with slashes are read month first "
        '(12/31/1980): import the file again with --day-first, or on the web with "Dates are '
        'written day first (31/12/1980)" ticked.'
    ) % {"value": value}


def _worded(text: str) -> YearlyDate | None:
    """A date written with an English month name, None when ``text`` is none."""
    if match := _MONTH_FIRST.fullmatch(text):
        name, day, year = match[1], match[2], match[3]
    elif match := _DAY_FIRST.fullmatch(text):
        day, name, year = match[1], match[2], match[3]
    else:
        return None
    name = name.casefold()
    month = next((i for i, m in enumerate(_MONTHS, 1) if m.startswith(name)), 0)
    if not month:
        return None
    return checked(month, int(day), _year(year), text)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    if len(text) == 2:
        this = dt.date.today().year  # noqa: DTZ011 - a calendar year, no time zone matters
        year += 2000 if 2000 + year <= this else 1900
    return None if year in NO_YEAR else year


def checked(month: int, day: int, year: int | None, value: str) -> YearlyDate:
    """YearlyDate(month, day, year) if that date exists; ValueError naming what is wrong."""
    try:
        validate(month, day, year, today=dt.date.today())  # noqa: DTZ011
    except Invalid as exc:
        reason = next(iter(exc.fields.values()))[0]
        raise ValueError(
            _("%(value)r is not a valid date: %(reason)s") % {"value": value, "reason": reason}
        ) from exc
    return YearlyDate(month=month, day=day, year=year)
