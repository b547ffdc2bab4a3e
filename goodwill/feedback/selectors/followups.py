"""Reads of “did you ask them?”: the purchases and stays nobody has asked about yet, and the
follow-up rate (asked / due) per week and per staff member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    due = Purchase.objects.filter(followup_due_at__gte=start, followup_due_at__lte=now)
    asked = Count("id", filter=Q(followup__isnull=False))
    out: dict[str, list[Rate]] = {"weeks": [], "staff": []}
    for week in range(weeks - 1, -1, -1):
        begin = dt.datetime.combine(first + dt.timedelta(weeks=week), dt.time(0), tzinfo=zone)
        counts = due.filter(
            followup_due_at__gte=begin, followup_due_at__lt=begin + dt.timedelta(weeks=1)
        ).aggregate(due=Count("id"), asked=asked)
        out["weeks"].append(Rate(begin.date().isoformat(), counts["due"], counts["asked"]))
    per_staff = (
        due.values("created_by__email")
        .annotate(due=Count("id"), asked=asked)
        .order_by("-due", "created_by__email")
    )
    for row in per_staff:
        label = row["created_by__email"] or _("the command line or an import")
        out["staff"].append(Rate(label, row["due"], row["asked"]))
    return out
