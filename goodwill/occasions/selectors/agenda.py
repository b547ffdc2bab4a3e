"""The agenda of a day: occasions celebrated within their lead time (or within ``days``), ordered
by how soon, with who they are for, the age or number of years, and what we did last year.

The agenda never scans the table: it reads the days of the window through the ``(md, id)``
index in keyset batches, in calendar order (so in ``days_until`` order), until a page is full.
29 February is read apart (it is celebrated on 28 February or 1 March in common years), and
occasions whose own lead time reaches beyond the window are read through the ``lead_days`` index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.core.pagination import decode_cursor, encode_cursor, invalid_cursor
from goodwill.occasions import dates
from goodwill.occasions.models import Occasion, OccasionSettings, OccasionTouch, OccasionYear
from goodwill.occasions.selectors.occasions import call_names, occasion_people
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.people.models import Person
from goodwill.people.selectors.persons import clamp_limit

MAX_DAYS = 365
LAST_YEAR = 9000  # the agenda reaches a year ahead; dates stay far from datetime's end
LEAP_MD = dates.md_of(2, 29)


@dataclass
class AgendaEntry:
    """One occasion on the agenda of a day: when it is celebrated, who it is for, whether it is
    done this year, and what we did last year."""

    occasion: Occasion
    date: dt.date
    days_until: int
    turning: int | None
    turning_label: str
    people: list[Person]
    call_names: str
    done: bool
    done_at: dt.datetime | None
    done_by: User | None
    this_year: OccasionYear | None
    last_year: OccasionYear | None


@dataclass
class AgendaPage:
    """One page of the agenda of ``date``, ordered by days until, then occasion id."""

    date: dt.date
    entries: list[AgendaEntry] = field(default_factory=list)
    next_cursor: str | None = None

    @property
    def today(self) -> list[AgendaEntry]:
        return [e for e in self.entries if e.days_until == 0 and not e.done]

    @property
    def upcoming(self) -> list[AgendaEntry]:
        return [e for e in self.entries if e.days_until > 0 and not e.done]

    @property
    def done(self) -> list[AgendaEntry]:
        return [e for e in self.entries if e.done]


def occasion_next_date(occasion: Occasion, *, on_or_after: dt.date, rule: str) -> dt.date:
    """The next day (from ``on_or_after``) on which ``occasion`` is celebrated."""
    return dates.next_occurrence(occasion.month, occasion.day, on_or_after, rule)


def occasion_turning(occasion: Occasion, on: dt.date) -> tuple[int | None, str]:
    """The age or number of years reached on ``on`` and its label (“turns 40”, “10th
    anniversary”); (None, "") without a year."""
    if not occasion.year or on.year - occasion.year < 1:
        return None, ""
    n = on.year - occasion.year
    if occasion.kind == Occasion.Kind.BIRTHDAY:
        return n, _("turns %(n)d") % {"n": n}
    if occasion.kind == Occasion.Kind.CUSTOM:
        return n, ngettext("%(n)d year", "%(n)d years", n) % {"n": n}
    return n, _("%(nth)s anniversary") % {"nth": dates.ordinal(n)}


@dataclass
class _Found:
    occasion: Occasion
    date: dt.date
    days_until: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.days_until, self.occasion.pk)


def _base() -> QuerySet[Occasion]:
    """Occasions the agenda may show: nobody archived, a household with someone in it."""
    lived_in = Person.objects.filter(household_id=OuterRef("household_id"), archived_at=None)
    return (
        Occasion.objects.filter(
            Q(person__archived_at=None),
            Q(relationship__from_person__archived_at=None),
            Q(relationship__to_person__archived_at=None),
        )
        .filter(Q(household_id=None) | Exists(lived_in))
        .select_related(
            "person", "relationship__from_person", "relationship__to_person", "household"
        )
    )


def _rows(qs: QuerySet[Occasion], start: tuple[int, int] | None, batch: int) -> Iterator[Occasion]:
    """``qs`` in (md, id) order after ``start``, read in keyset batches."""
    key = start
    while True:
        page = qs if key is None else qs.filter(Q(md__gt=key[0]) | Q(md=key[0], id__gt=key[1]))
        rows = list(page.order_by("md", "id")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        key = (rows[-1].md, rows[-1].pk)


def _spans(start: dt.date, first: int, last: int) -> list[tuple[dt.date, dt.date]]:
    """The days ``start + first`` .. ``start + last`` as calendar spans cut at New Year."""
    lo, hi = start + dt.timedelta(days=first), start + dt.timedelta(days=last)
    if lo.year == hi.year:
        return [(lo, hi)]
    return [(lo, dt.date(lo.year, 12, 31)), (dt.date(hi.year, 1, 1), hi)]


class _Scan:
    """Reads the occasions on the agenda of ``start`` in (days_until, id) order after a cursor."""

    def __init__(
        self,
        start: dt.date,
        conf: OccasionSettings,
        days: int | None,
        after: tuple[int, int] | None,
        want: int,
    ) -> None:
        self.start, self.conf, self.days, self.after, self.want = start, conf, days, after, want
        self.rule = conf.feb29_rule
        self.leads = {kind: conf.lead_for(kind) for kind in Occasion.Kind.values}

    def _accept(self, occasion: Occasion, span: tuple[dt.date, dt.date]) -> _Found | None:
        when = occasion_next_date(occasion, on_or_after=self.start, rule=self.rule)
        if not span[0] <= when <= span[1]:
            return None
        until = (when - self.start).days
        lead = occasion.lead_days if occasion.lead_days is not None else self.leads[occasion.kind]
        if until > max(lead, -1 if self.days is None else self.days):
            return None
        if self.after is not None and (until, occasion.pk) <= self.after:
            return None
        return _Found(occasion, when, until)

    def _collect(
        self, rows: Iterator[Occasion], span: tuple[dt.date, dt.date], need: int
    ) -> list[_Found]:
        found: list[_Found] = []
        for occasion in rows:
            hit = self._accept(occasion, span)
            if hit is not None:
                found.append(hit)
                if len(found) >= need:
                    break
        return found

    def _start_key(self, span: tuple[dt.date, dt.date]) -> tuple[int, int] | None | bool:
        """Where a span's reading starts: None from its first day, False to skip it."""
        if self.after is None:
            return None
        at = self.start + dt.timedelta(days=self.after[0])
        if at > span[1]:
            return False
        if at < span[0]:
            return None
        return (dates.md_of(at.month, at.day), self.after[1])

    def segment(self, first: int, last: int, qs: QuerySet[Occasion], need: int) -> list[_Found]:
        """The first ``need`` occasions celebrated ``first`` .. ``last`` days from the start."""
        batch = min(max(need + 16, 32), 500)
        found: list[_Found] = []
        main = qs.exclude(md=LEAP_MD)
        for span in _spans(self.start, first, last):
            key = self._start_key(span)
            if key is False or len(found) >= need:
                continue
            ranged = main.filter(md__gte=dates.md_of(span[0].month, span[0].day)).filter(
                md__lte=dates.md_of(span[1].month, span[1].day)
            )
            rows = _rows(ranged, key if isinstance(key, tuple) else None, batch)
            found += self._collect(rows, span, need - len(found))
        leap = dates.next_occurrence(2, 29, self.start, self.rule)
        if first <= (leap - self.start).days <= last:
            key = self._start_key((leap, leap))
            if key is not False:
                start = (LEAP_MD, key[1]) if isinstance(key, tuple) else None
                rows = _rows(qs.filter(md=LEAP_MD), start, batch)
                found += self._collect(rows, (leap, leap), need)
        return sorted(found, key=lambda f: f.key)[:need]


def _window(conf: OccasionSettings, days: int | None) -> int:
    leads = [conf.lead_for(kind) for kind in Occasion.Kind.values]
    return min(MAX_DAYS, max([*leads, days or 0]))


def _years(found: list[_Found]) -> dict[tuple[int, int], OccasionYear]:
    wanted = {f.date.year for f in found} | {f.date.year - 1 for f in found}
    touches = OccasionTouch.objects.order_by("occurred_at", "id")
    rows = (
        OccasionYear.objects.filter(occasion_id__in=[f.occasion.pk for f in found], year__in=wanted)
        .select_related("done_by")
        .prefetch_related(Prefetch("touches", queryset=touches))
    )
    return {(r.occasion_id, r.year): r for r in rows}


def _members(occasions: list[Occasion]) -> None:
    """Each household occasion's active members, in one query."""
    households = {o.household_id for o in occasions if o.household_id is not None}
    if not households:
        return
    by_household: dict[int, list[Person]] = {h: [] for h in households}
    members = Person.objects.filter(household_id__in=households, archived_at=None)
    for person in members.order_by("sort_key", "id"):
        if person.household_id is not None:
            by_household[person.household_id].append(person)
    for occasion in occasions:
        if occasion.household_id is not None:
            occasion.member_list = by_household[occasion.household_id]  # type: ignore[attr-defined]


def _entries(found: list[_Found]) -> list[AgendaEntry]:
    """Everything a page shows, in a fixed number of queries whatever its length."""
    if not found:
        return []
    years = _years(found)
    _members([f.occasion for f in found])
    entries = []
    for f in found:
        this_year = years.get((f.occasion.pk, f.date.year))
        people = occasion_people(f.occasion)
        turning, label = occasion_turning(f.occasion, f.date)
        done = this_year is not None and this_year.done_at is not None
        entries.append(
            AgendaEntry(
                occasion=f.occasion,
                date=f.date,
                days_until=f.days_until,
                turning=turning,
                turning_label=label,
                people=people,
                call_names=call_names(people),
                done=done,
                done_at=this_year.done_at if this_year is not None else None,
                done_by=this_year.done_by if this_year is not None else None,
                this_year=this_year,
                last_year=years.get((f.occasion.pk, f.date.year - 1)),
            )
        )
    return entries


def agenda(
    *,
    user: User | None,
    date: dt.date,
    days: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> AgendaPage:
    """The occasions celebrated from ``date`` within their lead time, or within ``days`` when
    given, soonest first (then by id); archived people's occasions are left out."""
    require_role(user, User.Role.STAFF)
    if days is not None and (isinstance(days, bool) or not 0 <= days <= MAX_DAYS):
        raise Invalid.field("days", _("Give a number of days from 0 to %(n)d.") % {"n": MAX_DAYS})
    if not dates.MIN_YEAR <= date.year <= LAST_YEAR:
        raise Invalid.field(
            "date",
            _("Give a date from %(lo)d to %(hi)d.") % {"lo": dates.MIN_YEAR, "hi": LAST_YEAR},
        )
    limit = clamp_limit(limit)
    key = decode_cursor(cursor, types=(int, int))
    if key is not None and not (0 <= key[0] <= MAX_DAYS and key[1] >= 0):
        raise invalid_cursor()
    after = (key[0], key[1]) if key is not None else None
    conf = occasion_settings()
    scan = _Scan(date, conf, days, after, limit + 1)
    window = _window(conf, days)
    found = scan.segment(0, window, _base(), limit + 1)
    if len(found) <= limit and window < MAX_DAYS:
        beyond = _base().filter(lead_days__gt=window)
        longest = Occasion.objects.filter(lead_days__gt=window).aggregate(m=Max("lead_days"))["m"]
        if longest:
            found += scan.segment(window + 1, longest, beyond, limit + 1 - len(found))
    next_cursor = None
    if len(found) > limit:
        found = found[:limit]
        next_cursor = encode_cursor(list(found[-1].key))
    return AgendaPage(date=date, entries=_entries(found), next_cursor=next_cursor)


@dataclass
class Congratulated:
    """An occasion marked done this year, with the people it is for."""

    record: OccasionYear
    people: list[Person]
    call_names: str


def congratulated_this_year(
    *, user: User | None, date: dt.date, limit: int = 20
) -> list[Congratulated]:
    """Occasions marked done for ``date``'s year, most recently first (the agenda shows the ones
    of its own window; these are everyone congratulated this year); archived people left out."""
    require_role(user, User.Role.STAFF)
    visible = _base().filter(pk=OuterRef("occasion_id"))
    records = (
        OccasionYear.objects.filter(year=date.year, done_at__isnull=False)
        .filter(Exists(visible))
        .select_related(
            "done_by",
            "occasion__person",
            "occasion__relationship__from_person",
            "occasion__relationship__to_person",
            "occasion__household",
        )
        .order_by("-done_at", "-id")[: clamp_limit(limit)]
    )
    _members([record.occasion for record in records])
    out = []
    for record in records:
        people = occasion_people(record.occasion)
        out.append(Congratulated(record=record, people=people, call_names=call_names(people)))
    return out
