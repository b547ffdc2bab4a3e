"""Survey scores for managers: NPS (% promoters 9–10 minus % detractors 0–6) and satisfaction
(% thumbs up), by month, by the staff member who served the person and by what they bought.

One grouped query a month counts the survey answers per (staff member, category) from an
index that holds all it needs (months cut at midnight where the business is), and the three
tables add up those few hundred groups, whatever the number of answers. Staff names are one
more small query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.feedback.models import Feedback
from goodwill.occasions.selectors.settings import business_zone

PROMOTER_FROM = 9
DETRACTOR_UPTO = 6
MAX_MONTHS = 24
UNKNOWN = "—"
COMMENTS = 10
AGGREGATES: dict[str, Any] = {
    "answers": Count("id"),
    "scored": Count("score"),
    "promoters": Count("id", filter=Q(score__gte=PROMOTER_FROM)),
    "detractors": Count("id", filter=Q(score__lte=DETRACTOR_UPTO)),
    "thumbs": Count("thumbs_up"),
    "ups": Count("id", filter=Q(thumbs_up=True)),
}


def _percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent, halves rounded away from zero; None of nothing."""
    if not whole:
        return None
    value = Decimal(100 * part) / Decimal(whole)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ScoreRow:
    """One group's survey answers: how many, how many gave a score (promoters, detractors) and
    how many a thumb (up)."""

    key: str
    label: str
    answers: int = 0
    scored: int = 0
    promoters: int = 0
    detractors: int = 0
    thumbs: int = 0
    ups: int = 0

    @property
    def nps(self) -> int | None:
        """Net promoter score, -100 to 100; None without scores."""
        if not self.scored:
            return None
        return _percent(self.promoters - self.detractors, self.scored)

    @property
    def satisfaction(self) -> int | None:
        """Percent of thumbs that were up; None without thumbs."""
        return _percent(self.ups, self.thumbs)

    @property
    def nps_from(self) -> int:
        """Where the NPS bar starts on a -100…100 axis (for the chart)."""
        return min(self.nps or 0, 0)

    @property
    def nps_size(self) -> int:
        """The NPS bar's length on a -100…100 axis (for the chart)."""
        return abs(self.nps or 0)


@dataclass(frozen=True)
class Scores:
    """NPS and satisfaction over ``months`` months from ``since``: in all, by month (oldest
    first), by staff member and by category (most answers first)."""

    months: int
    since: dt.datetime
    total: ScoreRow
    by_month: list[ScoreRow]
    by_staff: list[ScoreRow]
    by_category: list[ScoreRow]


def _row(key: str, label: str, values: dict[str, Any]) -> ScoreRow:
    return ScoreRow(key, label, **{name: int(values[name] or 0) for name in AGGREGATES})


def _month_starts(months: int, now: dt.datetime) -> list[dt.datetime]:
    """The first instants of the last ``months`` months where the business is, and of the
    next month (months + 1 values, oldest first)."""
    zone = business_zone()
    local = now.astimezone(zone)
    year, month = local.year, local.month
    starts = []
    for back in range(months - 1, -2, -1):
        index = year * 12 + month - 1 - back
        starts.append(dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=zone))
    return starts


def _grouped(starts: list[dt.datetime]) -> list[dict[str, Any]]:
    """The counts per (month, staff member, category) group, a few hundred rows at most: one
    grouped query a month, each reading only that month of the scores index (who served them
    and what they bought are copied onto the answer when it arrives)."""
    groups = []
    for month, (begin, end) in enumerate(zip(starts, starts[1:], strict=False)):
        rows = (
            Feedback.objects.filter(
                source=Feedback.Source.SURVEY, heard_at__gte=begin, heard_at__lt=end
            )
            .values(staff=F("served_by"), bought_in=F("bought"))
            .annotate(**AGGREGATES)
            .order_by()
        )
        groups += [row | {"month": month, "bought": row.pop("bought_in")} for row in rows]
    return groups


def _sum(groups: list[dict[str, Any]], key: str) -> dict[Any, dict[str, int]]:
    """The groups' counts added up by ``key``."""
    out: dict[Any, dict[str, int]] = {}
    for group in groups:
        sums = out.setdefault(group[key], dict.fromkeys(AGGREGATES, 0))
        for name in AGGREGATES:
            sums[name] += int(group[name] or 0)
    return out


def _by_month(groups: list[dict[str, Any]], starts: list[dt.datetime]) -> list[ScoreRow]:
    found = _sum(groups, "month")
    rows = []
    for i, start in enumerate(starts[:-1]):
        key = f"{start.year:04d}-{start.month:02d}"
        label = date_format(start.date(), "YEAR_MONTH_FORMAT")
        rows.append(_row(key, label, found[i]) if i in found else ScoreRow(key, label))
    return rows


def _ranked(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Most answers first, then by name; the unknown group last."""
    return sorted(rows, key=lambda r: (r.label == UNKNOWN, -r.answers, r.label.casefold()))


def _by_staff(groups: list[dict[str, Any]]) -> list[ScoreRow]:
    found = _sum(groups, "staff")
    ids = [pk for pk in found if pk is not None]
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=ids)}
    rows = [_row(str(pk or ""), names.get(pk, UNKNOWN), sums) for pk, sums in found.items()]
    return _ranked(rows)


def _by_category(groups: list[dict[str, Any]]) -> list[ScoreRow]:
    found = _sum(groups, "bought")
    return _ranked([_row(key, key or UNKNOWN, sums) for key, sums in found.items()])


def _total(rows: list[ScoreRow]) -> ScoreRow:
    sums = {name: sum(getattr(r, name) for r in rows) for name in AGGREGATES}
    return _row("all", _("All"), sums)


def feedback_scores(
    *, user: User | None, months: int = 12, now: dt.datetime | None = None
) -> Scores:
    """Survey NPS and satisfaction of the last ``months`` months (this one included, 1–24) for
    managers and owners: one grouped scan of the answers, and the staff members' names."""
    require_role(user, User.Role.MANAGER)
    if not 1 <= months <= MAX_MONTHS:
        raise Invalid.field("months", _("Between 1 and %(n)d.") % {"n": MAX_MONTHS})
    starts = _month_starts(months, now or timezone.now())
    groups = _grouped(starts)
    by_month = _by_month(groups, starts)
    return Scores(
        months=months,
        since=starts[0],
        total=_total(by_month),
        by_month=by_month,
        by_staff=_by_staff(groups),
        by_category=_by_category(groups),
    )


def survey_comments_latest(*, user: User | None, limit: int = COMMENTS) -> list[Feedback]:
    """The newest survey answers with a comment, with their person (managers and owners)."""
    require_role(user, User.Role.MANAGER)
    qs = Feedback.objects.filter(source=Feedback.Source.SURVEY).exclude(text="")
    return list(qs.select_related("person").order_by("-heard_at", "-id")[:limit])
