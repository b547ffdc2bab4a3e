"""Reads of commerce: a person's purchases and journey, one purchase, lists, the rules and the
monthly history the person page charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.commerce.models import CommerceSettings, Journey, Purchase
from goodwill.core.errors import NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.occasions.selectors.settings import business_zone
from goodwill.people.models import Person
from goodwill.people.selectors import Page
from goodwill.people.selectors.persons import clamp_limit


def commerce_settings() -> CommerceSettings:
    """The journey and follow-up rules (one row), created with the defaults on first use."""
    row, _created = CommerceSettings.objects.get_or_create(pk=1)
    return row


def _visible(user: User | None) -> QuerySet[Purchase]:
    require_role(user, User.Role.STAFF)
    qs = Purchase.objects.select_related("person", "occasion", "created_by")
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(person__archived_at=None)
    return qs


def purchase_get(*, user: User | None, id: int) -> Purchase:
    """One purchase; those of archived people exist only for managers and owners."""
    purchase = _visible(user).filter(pk=id).first()
    if purchase is None:
        raise NotFound(_("No such purchase."))
    return purchase


def purchase_list(
    *,
    user: User | None,
    person_id: int | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Purchase]:
    """Purchases newest first (of one person, or everyone's), in keyset pages."""
    limit = clamp_limit(limit)
    qs = _visible(user)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if kind:
        qs = qs.filter(kind=kind)
    key = decode_cursor(cursor, types=(str, int))
    if key is not None:
        when = dt.datetime.fromisoformat(key[0])
        qs = qs.filter(Q(occurred_at__lt=when) | Q(occurred_at=when, id__lt=key[1]))
    rows = list(qs.order_by("-occurred_at", "-id")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].occurred_at.isoformat(), rows[-1].pk])
    return Page(items=rows, next_cursor=next_cursor)


def journey_of(person: Person) -> Journey | None:
    """The person's stored journey stage (None when nothing supports one)."""
    journey = Journey.objects.filter(person=person).exclude(stage="").first()
    return journey


@dataclass(frozen=True)
class Month:
    """One bar of the person page's chart."""

    month: dt.date
    count: int
    amount: Decimal
    height: int


def purchase_months(
    *, person: Person, today: dt.date, months: int = 24, zone: dt.tzinfo | None = None
) -> list[Month]:
    """Purchases and stays per month over the last ``months`` months (oldest first), with the
    bar height (0–100) of each month's count; refunds and inquiries are not counted. Months are
    cut in ``zone`` (default: the business's)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    start = dt.date(index // 12, index % 12 + 1, 1)
    rows = (
        Purchase.objects.filter(
            person=person,
            kind__in=(Purchase.Kind.PURCHASE, Purchase.Kind.STAY),
            occurred_at__date__gte=start,
        )
        .annotate(month=TruncMonth("occurred_at", tzinfo=zone or business_zone()))
        .values("month")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    found = {_as_date(r["month"]): (r["count"], r["amount"] or Decimal(0)) for r in rows}
    top = max((c for c, _a in found.values()), default=0)
    out = []
    month = start
    while month <= today:
        count, amount = found.get(month, (0, Decimal(0)))
        out.append(Month(month, count, amount, round(100 * count / top) if top else 0))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
