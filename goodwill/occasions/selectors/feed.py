"""The iCal (RFC 5545) calendar of upcoming occasions behind a user's secret feed URL.

Which events:

* every occasion of the business (people and couples not archived; households), as all-day
  events celebrated within the next 13 months, nearest first. A day of the year with more than
  ``DAY_LIMIT`` occasions (a big customer base) is one event instead — "37 birthdays and
  anniversaries — see the agenda", linking to that day's agenda — so the whole 13 months always
  fit in a calendar. One grouped count over the (md, id) index finds those days; the occasions of
  the other days are read through the same index in chunks, their people in bulk per chunk, so
  the cost depends on the days, never on the size of the table. At most ``MAX_EVENTS`` events;
  when there would be more, the calendar's description (X-WR-CALDESC) says so.
* an occasion without a year never changes its title, so it is ONE recurring event:
  ``UID:occasion-<id>@<site domain>``, DTSTART its next celebrated date, ``RRULE:FREQ=YEARLY``.
  A 29 February without a year under the "feb28" rule recurs on the last day of February
  (``RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1``: 29 Feb in leap years, 28 Feb otherwise) —
  a plain yearly rule on 29 February would skip three years in four.
* an occasion with a year changes its title every year ("turns 40", then "turns 41"), and a
  29 February under the "mar1" rule falls on 29 Feb or 1 March, which no widely supported RRULE
  says; those are explicit single events, one per celebration inside the 13 months
  (``UID:occasion-<id>-<year>@<site domain>``). Calendar apps refetch feeds, so next year's
  event appears in time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, vText
from icalendar.parser import Contentline

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.occasions import dates
from goodwill.occasions.models import AgendaPreference, CalendarFeed, Occasion
from goodwill.occasions.selectors.settings import business_today, occasion_settings
from goodwill.people.models import Household, Person, Relationship

MAX_EVENTS = 5000
DAY_LIMIT = 10
HORIZON_MONTHS = 13
CHUNK = 1000
YEARLY = "FREQ=YEARLY"
YEARLY_ON_LAST_OF_FEBRUARY = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
OCCASION_FIELDS = (
    "id",
    "kind",
    "label",
    "month",
    "day",
    "year",
    "md",
    "person_id",
    "relationship_id",
    "household_id",
)


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT: an occasion's celebration on ``date``; ``rrule`` when it recurs yearly."""

    occasion_id: int
    date: dt.date
    summary: str
    uid: str
    rrule: str | None
    url: str = ""


def feed_url(raw: str) -> str:
    """The full secret URL of a feed token, on the configured site URL (never the request's
    host: the link is copied into other programs)."""
    return settings.SITE_URL + reverse("occasions:calendar_feed", args=[raw])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` months ahead, on the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _scan_start(today: dt.date, rule: str) -> int:
    # On 1 March of a common year under the "mar1" rule, 29 February is celebrated today.
    if rule == dates.MAR1 and (today.month, today.day) == (3, 1):
        return dates.md_of(2, 29)
    return dates.md_of(today.month, today.day)


def _day_counts() -> dict[int, int]:
    """How many occasions each day of the year (md) has: one index-only grouped count."""
    counts = Occasion.objects.order_by().values("md").annotate(n=Count("id"))
    return {row["md"]: row["n"] for row in counts}


def _occasion_rows(order: list[int], counts: dict[int, int]) -> Iterator[dict[str, Any]]:
    """Every occasion of the days ``order`` lists (in that order), read about ``CHUNK`` at a time
    through the (md, id) index."""
    position = {md: i for i, md in enumerate(order)}
    rows = Occasion.objects.values(*OCCASION_FIELDS)
    group: list[int] = []
    size = 0
    for md in [*order, None]:
        if md is not None and (size + counts[md] <= CHUNK or not group):
            group.append(md)
            size += counts[md]
            continue
        chunk = list(rows.filter(md__in=group))
        chunk.sort(key=lambda r: (position[r["md"]], r["id"]))
        yield from chunk
        group, size = ([md], counts[md]) if md is not None else ([], 0)


Name = tuple[str, str]  # given name, family name


def _full_name(name: Name) -> str:
    return " ".join(part for part in name if part)


def _couple_names(first: Name, second: Name) -> str:
    """“Jack & Ann Whitman” when they share a family name, else “Jack Whitman & Ann Harris”."""
    if first[1] and first[1] == second[1] and first[0] and second[0]:
        return f"{first[0]} & {second[0]} {first[1]}"
    return f"{_full_name(first)} & {_full_name(second)}"


class _Owners:
    """The names of the people and households of a chunk of occasions, in three queries."""

    def __init__(self, chunk: list[dict[str, Any]]) -> None:
        rel_ids = {r["relationship_id"] for r in chunk if r["relationship_id"]}
        self.couples = {
            pk: (a, b)
            for pk, a, b in Relationship.objects.filter(pk__in=rel_ids).values_list(
                "id", "from_person_id", "to_person_id"
            )
        }
        person_ids = {r["person_id"] for r in chunk if r["person_id"]}
        for pair in self.couples.values():
            person_ids.update(pair)
        self.people = {
            pk: (given, family)
            for pk, given, family in Person.objects.filter(
                pk__in=person_ids, archived_at=None
            ).values_list("id", "given_name", "family_name")
        }
        household_ids = {r["household_id"] for r in chunk if r["household_id"]}
        self.households = dict(
            Household.objects.filter(pk__in=household_ids).values_list("id", "name")
        )

    def names(self, row: dict[str, Any]) -> str | None:
        """Who the occasion is for, or None when they are archived or gone."""
        if row["person_id"]:
            person = self.people.get(row["person_id"])
            return _full_name(person) if person else None
        if row["relationship_id"]:
            pair = self.couples.get(row["relationship_id"])
            if pair is None:
                return None
            first, second = self.people.get(pair[0]), self.people.get(pair[1])
            if first is None or second is None:
                return None
            return _couple_names(first, second)
        return self.households.get(row["household_id"])


def _what(row: dict[str, Any], on: dt.date) -> str:
    """“birthday (turns 40)”, “17th wedding anniversary”, “first stay (3rd anniversary)”."""
    n = on.year - row["year"] if row["year"] else 0
    kind = row["kind"]
    if kind == Occasion.Kind.BIRTHDAY:
        return _("birthday (turns %(n)d)") % {"n": n} if n > 0 else _("birthday")
    if kind == Occasion.Kind.WEDDING:
        if n > 0:
            return _("%(nth)s wedding anniversary") % {"nth": dates.ordinal(n)}
        return _("wedding anniversary")
    label = row["label"] or (_("anniversary") if kind == Occasion.Kind.ANNIVERSARY else "")
    if n > 0 and kind == Occasion.Kind.ANNIVERSARY:
        return _("%(label)s (%(nth)s anniversary)") % {"label": label, "nth": dates.ordinal(n)}
    if n > 0:
        return _("%(label)s (%(n)d years)") % {"label": label, "n": n}
    return str(label)


def _events_of(
    row: dict[str, Any], names: str, today: dt.date, end: dt.date, rule: str, domain: str
) -> list[FeedEvent]:
    """The events of one occasion in [today, end): one recurring event, or one per year."""
    month, day, oid = row["month"], row["day"], row["id"]
    first = dates.next_occurrence(month, day, today, rule)
    leap_day = (month, day) == (2, 29)
    if row["year"] is None and not (leap_day and rule == dates.MAR1):
        rrule = YEARLY_ON_LAST_OF_FEBRUARY if leap_day else YEARLY
        summary = f"{names} — {_what(row, first)}"
        return [FeedEvent(oid, first, summary, f"occasion-{oid}@{domain}", rrule)]
    events = []
    on = first
    while on < end:
        summary = f"{names} — {_what(row, on)}"
        uid = f"occasion-{oid}-{on.year}@{domain}"
        events.append(FeedEvent(oid, on, summary, uid, None))
        on = dates.celebrated_on(month, day, on.year + 1, rule)
    return events


@dataclass(frozen=True)
class Feed:
    """The chosen events, nearest first, and whether some occasions were left out."""

    events: list[FeedEvent]
    truncated: bool
    crowded: bool = False


def _day_events(
    md: int, n: int, today: dt.date, end: dt.date, rule: str, domain: str
) -> list[FeedEvent]:
    """One event per celebration of a crowded day, linking to that day's agenda."""
    month, day = divmod(md, 100)
    summary = ngettext(
        "%(n)d birthday or anniversary — see the agenda",
        "%(n)d birthdays and anniversaries — see the agenda",
        n,
    ) % {"n": n}
    events = []
    on = dates.next_occurrence(month, day, today, rule)
    while on < end:
        url = f"{_agenda_url()}?date={on.isoformat()}"
        events.append(FeedEvent(0, on, summary, f"day-{md}-{on.year}@{domain}", None, url))
        on = dates.celebrated_on(month, day, on.year + 1, rule)
    return events


def feed_events(today: dt.date | None = None, limit: int = MAX_EVENTS) -> Feed:
    """The celebrations within 13 months of ``today`` (business date), nearest first: each
    occasion, or one event for a day crowded with more than ``DAY_LIMIT``; at most ``limit``."""
    today = today or business_today()
    rule = occasion_settings().feb29_rule
    end = add_months(today, HORIZON_MONTHS)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    counts = _day_counts()
    start = _scan_start(today, rule)
    order = sorted(md for md in counts if md >= start) + sorted(md for md in counts if md < start)
    crowded = [md for md in order if counts[md] > DAY_LIMIT]
    events = [e for md in crowded for e in _day_events(md, counts[md], today, end, rule, domain)]
    occasions = len(crowded)
    truncated = False
    rows = _occasion_rows([md for md in order if counts[md] <= DAY_LIMIT], counts)
    while not truncated and (chunk := _take(rows, CHUNK)):
        owners = _Owners(chunk)
        for row in chunk:
            names = owners.names(row)
            if names is None:
                continue
            if occasions >= limit:
                truncated = True
                break
            occasions += 1
            events.extend(_events_of(row, names, today, end, rule, domain))
    events.sort(key=lambda e: (e.date, e.occasion_id, e.uid))
    if len(events) > limit:
        truncated = True
    return Feed(events=events[:limit], truncated=truncated, crowded=bool(crowded))


def _take(rows: Iterator[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == n:
            break
    return chunk


def _agenda_url() -> str:
    return settings.SITE_URL + reverse("occasions:today")


def _line(text: str) -> str:
    """One content line, folded at 75 octets by icalendar."""
    folded: bytes = Contentline(text).to_ical()  # type: ignore[no-untyped-call]
    return folded.decode()


def _vevent(item: FeedEvent, stamp: str) -> str:
    """One VEVENT's lines; the summary (user text) is escaped and folded by icalendar."""
    end = item.date + dt.timedelta(days=1)
    escaped = vText(item.summary).to_ical().decode()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{item.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{item.date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        *([f"RRULE:{item.rrule}"] if item.rrule else []),
        _line(f"SUMMARY:{escaped}"),
        *([_line(f"URL:{item.url}")] if item.url else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "",
    ]
    return "\r\n".join(lines)


def feed_ical(today: dt.date | None = None, limit: int = MAX_EVENTS) -> bytes:
    """The whole VCALENDAR as bytes. The calendar's own properties go through icalendar; each
    event is written line by line (thousands of them: a Component per event costs ten times as
    much), its only user text escaped and folded by icalendar's own functions."""
    feed = feed_events(today, limit)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    cal = Calendar()
    cal.add("prodid", "-//goodwill//occasions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("%(name)s — occasions") % {"name": business_get().name})
    if feed.truncated:
        note = _(
            "Only the %(n)d nearest celebrations are listed here; more are left out. "
            "See every occasion on the agenda: %(url)s"
        ) % {"n": limit, "url": _agenda_url()}
        cal.add("x-wr-caldesc", note)
    elif feed.crowded:
        note = _(
            "Days with more than %(n)d occasions are one event linking to that day's agenda."
        ) % {"n": DAY_LIMIT}
        cal.add("x-wr-caldesc", note)
    end = "END:VCALENDAR\r\n"
    head = str(cal.to_ical().decode()).removesuffix(end)
    events = "".join(_vevent(item, stamp) for item in feed.events)
    return (head + events + end).encode()


def calendar_feed_for(*, user: User) -> CalendarFeed | None:
    """``user``'s feed (its prefix and dates; the token itself is never stored)."""
    return CalendarFeed.objects.filter(user=user).first()


def agenda_preference_for(*, user: User) -> bool:
    """Whether ``user`` asked for the morning digest email."""
    pref = AgendaPreference.objects.filter(user=user).values_list("digest_email", flat=True)
    return bool(pref.first())
