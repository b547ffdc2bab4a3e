"""Reads of “did you ask them?”: the purchases and stays nobody has asked about yet, and the
follow-up rate (asked / due) per week and per staff member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Purchase
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.feedback.models import FollowUp
from goodwill.occasions.selectors.settings import business_zone
from goodwill.people.selectors import Page
from goodwill.people.selectors.persons import clamp_limit

_SECOND = dt.timedelta(seconds=1)
WINDOW_DAYS = 60  # older un-asked purchases are too late to ask about
MAX_WEEKS = 52


def _unasked(now: dt.datetime) -> Q:
    return Q(
        followup_due_at__lte=now,
        followup_due_at__gt=now - dt.timedelta(days=WINDOW_DAYS),
        person__archived_at=None,
    )


def followup_unasked(
    *,
    user: User | None,
    now: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Purchase]:
    """Purchases and stays whose follow-up is due (in the last 60 days) and nobody has asked
    about, the most recently due first (anyone on staff)."""
    require_role(user, User.Role.STAFF)
    now = now or timezone.now()
    limit = clamp_limit(limit)
    qs = (
        Purchase.objects.filter(_unasked(now))
        .filter(~Exists(FollowUp.objects.filter(purchase=OuterRef("pk"))))
        .select_related("person", "created_by")
    )
    key = decode_cursor(cursor, types=(str, int))
    if key is not None:
        due = dt.datetime.fromisoformat(key[0])
        qs = qs.filter(Q(followup_due_at__lt=due) | Q(followup_due_at=due, id__lt=key[1]))
    rows = list(qs.order_by("-followup_due_at", "-id")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        due = last.followup_due_at or now  # never None here: the filter requires one
        next_cursor = encode_cursor([due.isoformat(), last.pk])
    return Page(items=rows, next_cursor=next_cursor)


def followup_purchase_get(*, user: User | None, id: int) -> Purchase:
    """A purchase or stay to ask about (people archived are out of reach of staff)."""
    require_role(user, User.Role.STAFF)
    purchase = (
        Purchase.objects.select_related("person").filter(pk=id, person__archived_at=None).first()
    )
    if purchase is None:
        raise NotFound(_("No such purchase."))
    return purchase


@dataclass(frozen=True)
class Rate:
    """Asked / due for one week or one staff member."""

    label: str
    due: int
    asked: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.asked / self.due) if self.due else None


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly(
    manager: Any, field: str, staff: str, starts: list[dt.datetime], now: dt.datetime
) -> dict[int | None, list[int]]:
    """Rows of ``manager`` with ``field`` from ``starts[0]`` to ``now``, counted per ``staff``
    value and per week (``starts`` are the weeks' first instants): one grouped query a week,
    each reading only its week of the (``field``, ``staff``) index."""
    out: dict[int | None, list[int]] = {}
    ends = [*starts[1:], now + _SECOND]
    for w, (begin, end) in enumerate(zip(starts, ends, strict=True)):
        rows = (
            manager.filter(**{f"{field}__gte": begin, f"{field}__lt": min(end, now + _SECOND)})
            .values_list(staff)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for value, n in rows:
            out.setdefault(value, [0] * len(starts))[w] = n
    return out


def followup_rates(
    *, user: User | None, weeks: int = 8, now: dt.datetime | None = None
) -> dict[str, list[Rate]]:
    """The follow-up rate over the last ``weeks`` weeks (managers and owners): ``weeks``, one
    row per week by due date, newest first; ``staff``, one row per staff member who logged the
    purchases, by most due. A purchase counts as due in the week its follow-up fell due."""
    require_role(user, User.Role.MANAGER)
    if not 1 <= weeks <= MAX_WEEKS:
        raise Invalid.field("weeks", _("Between 1 and %(n)d weeks.") % {"n": MAX_WEEKS})
    now = now or timezone.now()
    zone = business_zone()
    first = _week_start(now.astimezone(zone).date()) - dt.timedelta(weeks=weeks - 1)
    starts = [
        dt.datetime.combine(first + dt.timedelta(weeks=w), dt.time(0), tzinfo=zone)
        for w in range(weeks)
    ]
    # Per staff member, each week's due purchases and those asked about: two grouped queries,
    # each answered from one index ((due date, staff member) on purchases and on follow-ups).
    due = _weekly(Purchase.objects, "followup_due_at", "created_by_id", starts, now)
    asked = _weekly(FollowUp.objects, "due_at", "served_by_id", starts, now)
    none = [0] * weeks
    emails = dict(User.objects.filter(pk__in=[s for s in due if s]).values_list("pk", "email"))
    out: dict[str, list[Rate]] = {"weeks": [], "staff": []}
    for w in range(weeks - 1, -1, -1):
        week_due = sum(counts[w] for counts in due.values())
        week_asked = sum(asked.get(staff, none)[w] for staff in due)
        out["weeks"].append(Rate(starts[w].date().isoformat(), week_due, week_asked))
    for staff, counts in due.items():
        label = emails.get(staff) if staff else None
        asked_sum = sum(asked.get(staff, none))
        out["staff"].append(
            Rate(label or _("the command line or an import"), sum(counts), asked_sum)
        )
    out["staff"].sort(key=lambda r: (-r.due, r.label))
    return out
