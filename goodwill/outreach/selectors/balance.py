"""A person's give-and-take over the last year: how often we gave, asked and sent them
transactional messages, when we last gave and asked, and whether the next ask or offer may go;
and "stay in touch", the people we have given nothing for too long (the minimum side)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Journey
from goodwill.core.api import ListPage
from goodwill.core.pagination import decode_cursor, encode_cursor, invalid_cursor
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch, TouchPolicy
from goodwill.outreach.selectors.budget import (
    ASKING_LOOKBACK,
    URGENT_WINDOW,
    BudgetVerdict,
    Limits,
    Recent,
    limits_for,
    not_failed,
    touch_policy,
    verdict_reason,
)
from goodwill.people.models import Person

YEAR = dt.timedelta(days=365)
# How far the stay-in-touch page's quick walks read (regulars, touches) before the full query.
PEOPLE_WINDOW = 5_000
TOUCH_WINDOW = 20_000


@dataclass(frozen=True)
class Balance:
    """One person's last year of touches and what the budget allows now."""

    giving: int
    asking: int
    transactional: int
    last_giving: dt.datetime | None
    last_asking: dt.datetime | None
    next_ask: BudgetVerdict
    marketing: BudgetVerdict
    limits: Limits
    own: PersonTouchPolicy | None
    policy: TouchPolicy


def person_balance(*, person: Person, at: dt.datetime | None = None) -> Balance:
    """``person``'s balance at ``at`` (now), in three queries: the policy, the person's own
    limits and one grouped count of their touches."""
    at = at or timezone.now()
    policy = touch_policy()
    own = PersonTouchPolicy.objects.filter(person=person).first()
    limits = limits_for(policy, own)
    earliest = min(at - YEAR, at - ASKING_LOOKBACK, at - dt.timedelta(days=limits.long_days))
    regular = ~Q(purpose=Touch.Purpose.TRANSACTIONAL)
    row = Touch.objects.filter(not_failed(), person=person, at__gt=earliest, at__lte=at).aggregate(
        giving=Count("id", filter=regular & Q(intent=Touch.Intent.GIVING, at__gt=at - YEAR)),
        asking=Count("id", filter=regular & Q(intent=Touch.Intent.ASKING, at__gt=at - YEAR)),
        transactional=Count("id", filter=Q(purpose=Touch.Purpose.TRANSACTIONAL, at__gt=at - YEAR)),
        short=Count("id", filter=Q(counts=True, at__gt=at - dt.timedelta(days=limits.short_days))),
        long=Count("id", filter=Q(counts=True, at__gt=at - dt.timedelta(days=limits.long_days))),
        last_touch=Max(
            "at", filter=regular & Q(at__gt=at - dt.timedelta(hours=limits.min_gap_hours))
        ),
        last_asking=Max("at", filter=regular & Q(intent=Touch.Intent.ASKING)),
        last_giving=Max("at", filter=regular & Q(intent=Touch.Intent.GIVING)),
        urgent=Count("id", filter=regular & Q(urgent=True, at__gt=at - URGENT_WINDOW)),
    )
    recent = Recent(
        short=row["short"],
        long=row["long"],
        last_touch=row["last_touch"],
        last_asking=row["last_asking"],
        last_giving=row["last_giving"],
        urgent=row["urgent"],
    )

    def verdict(intent: str) -> BudgetVerdict:
        reason = verdict_reason(
            recent, limits=limits, policy=policy, intent=intent, urgent=False, counts=True, at=at
        )
        return BudgetVerdict(allowed=not reason, reason=reason)

    return Balance(
        giving=row["giving"],
        asking=row["asking"],
        transactional=row["transactional"],
        last_giving=row["last_giving"],
        last_asking=row["last_asking"],
        next_ask=verdict(Touch.Intent.ASKING),
        marketing=verdict(Touch.Intent.GIVING),
        limits=limits,
        own=own,
        policy=policy,
    )


def stay_in_touch(
    *, user: User | None, at: dt.datetime | None = None, policy: TouchPolicy | None = None
) -> QuerySet[Person]:
    """People in the policy's journey stages (regulars by default), not archived, with no giving
    touch in the last ``stay_in_touch_days``: longest without first (never given anything at the
    very top), each with ``last_given``. One query, NOT EXISTS over the touch (person, at) index."""
    require_role(user, User.Role.STAFF)
    at = at or timezone.now()
    policy = policy or touch_policy()
    giving = Touch.objects.filter(not_failed(), person=OuterRef("pk"), intent=Touch.Intent.GIVING)
    since = at - dt.timedelta(days=policy.stay_in_touch_days)
    return (
        Person.objects.filter(journey__stage__in=policy.stay_in_touch_stages, archived_at=None)
        .filter(~Exists(giving.filter(at__gt=since)))
        .annotate(last_given=Subquery(giving.order_by("-at").values("at")[:1]))
        .select_related("journey")
        .order_by(F("last_given").asc(nulls_first=True), "pk")
    )


def stay_in_touch_page(
    *, user: User | None, cursor: str | None = None, limit: int = 50, at: dt.datetime | None = None
) -> ListPage:
    """One page of :func:`stay_in_touch` (keyset on last given, then id) and the next cursor.

    With 100,000 regulars the full query takes ~0.5 s (everyone's last giving touch, sorted), so
    the page is first read by two bounded walks that stop when it is full: the people never given
    anything in id order, then the giving touches, oldest first, that are their person's last.
    Only when a walk reaches its bound without filling the page does the full query answer.
    """
    require_role(user, User.Role.STAFF)
    at = at or timezone.now()
    policy = touch_policy()
    after = _cursor_key(cursor)
    rows = _quick_page(policy, at=at, after=after, count=limit + 1)
    if rows is None:
        people = stay_in_touch(user=user, at=at, policy=policy)
        if after is not None:
            moment, pk = after
            if moment is None:
                people = people.filter(Q(last_given__isnull=False) | Q(pk__gt=pk))
            else:
                people = people.filter(Q(last_given__gt=moment) | Q(last_given=moment, pk__gt=pk))
        rows = list(people[: limit + 1])
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        given_at = last.last_given.isoformat() if last.last_given else ""  # type: ignore[attr-defined]
        next_cursor = encode_cursor([given_at, last.pk])
    return ListPage(page, next_cursor)


def _cursor_key(cursor: str | None) -> tuple[dt.datetime | None, int] | None:
    after = decode_cursor(cursor, types=(str, int))
    if after is None:
        return None
    given, pk = after
    try:
        return (dt.datetime.fromisoformat(given) if given else None), pk
    except ValueError:
        raise invalid_cursor() from None


def _quick_page(
    policy: TouchPolicy,
    *,
    at: dt.datetime,
    after: tuple[dt.datetime | None, int] | None,
    count: int,
) -> list[Person] | None:
    """The first ``count`` people after ``after`` read by the bounded walks, or None when they
    reached their bounds before finding them."""
    moment, after_pk = after if after is not None else (None, 0)
    since = at - dt.timedelta(days=policy.stay_in_touch_days)
    touches = Touch.objects.filter(at__lte=since)
    if moment is not None:
        touches = touches.filter(at__gte=moment)
    listed = Journey.objects.filter(stage__in=policy.stay_in_touch_stages, person_id__gt=after_pk)
    edge, edge_at = _edges(
        listed.order_by("person_id").values("person_id")[PEOPLE_WINDOW - 1 : PEOPLE_WINDOW],
        touches.order_by("at").values("at")[TOUCH_WINDOW - 1 : TOUCH_WINDOW],
    )
    rows: list[Person] = []
    if moment is None:
        rows = _never_given(policy, after_pk=after_pk, upto=edge, count=count)
        if len(rows) == count:
            return rows
        if edge is not None:
            return None
        after_pk = 0  # every never-given person is on the page: the dated ones follow
    start = (moment, after_pk) if moment is not None else None
    rows += _given_before(policy, since=since, after=start, before=edge_at, count=count - len(rows))
    return rows if len(rows) == count or edge_at is None else None


def _edges(people: QuerySet[Any], touches: QuerySet[Any]) -> tuple[int | None, dt.datetime | None]:
    """Where each walk stops (the last person id, the last touch time it may read; None: the
    walk reads to the end), in one query: two scalar subqueries read from their indexes."""
    people_sql, people_params = people.query.sql_with_params()
    touches_sql, touches_params = touches.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({people_sql}), ({touches_sql})",  # noqa: S608 (the ORM's own SQL)
            [*people_params, *touches_params],
        )
        edge, edge_at = cursor.fetchone()
    if isinstance(edge_at, str):  # SQLite without its datetime converter: the stored text
        edge_at = dt.datetime.fromisoformat(edge_at)
    if edge_at is not None and timezone.is_naive(edge_at):  # SQLite stores UTC
        edge_at = edge_at.replace(tzinfo=dt.UTC)
    return edge, edge_at


def _giving() -> QuerySet[Touch]:
    """Giving touches that count (their message did not fail)."""
    return Touch.objects.filter(not_failed(), intent=Touch.Intent.GIVING)


def _never_given(
    policy: TouchPolicy, *, after_pk: int, upto: int | None, count: int
) -> list[Person]:
    """The first ``count`` people after ``after_pk`` (up to ``upto``) in the policy's stages
    never given anything, walking the journey (stage, person) index in person order."""
    people = (
        Person.objects.filter(
            journey__stage__in=policy.stay_in_touch_stages,
            archived_at=None,
            journey__person_id__gt=after_pk,
        )
        .filter(~Exists(_giving().filter(person=OuterRef("pk"))))
        .select_related("journey")
        .order_by("journey__person_id")
    )
    if upto is not None:
        people = people.filter(journey__person_id__lte=upto)
    rows = list(people[:count])
    for person in rows:
        person.last_given = None  # type: ignore[attr-defined]
    return rows


def _given_before(
    policy: TouchPolicy,
    *,
    since: dt.datetime,
    after: tuple[dt.datetime, int] | None,
    before: dt.datetime | None,
    count: int,
) -> list[Person]:
    """The first ``count`` people in the policy's stages whose last giving touch is at or before
    ``since`` (after the ``after`` key and before ``before``), by that touch, oldest first: the
    touches' (at) index walked in order, each kept when no later giving touch of its person
    exists."""
    if count <= 0:
        return []
    later = _giving().filter(
        Q(at__gt=OuterRef("at")) | Q(pk__gt=OuterRef("pk")),
        person=OuterRef("person_id"),
        at__gte=OuterRef("at"),
    )
    # Correlated EXISTS rather than joins, so that the database walks the touches in time order
    # and stops at a full page (joined, it read every regular's touches and sorted them).
    listed = Journey.objects.filter(
        person=OuterRef("person_id"),
        stage__in=policy.stay_in_touch_stages,
        person__archived_at=None,
    )
    touches = _giving().filter(Exists(listed), ~Exists(later), at__lte=since)
    if after is not None:
        moment, pk = after
        touches = touches.filter(Q(at__gt=moment) | Q(person_id__gt=pk), at__gte=moment)
    if before is not None:
        touches = touches.filter(at__lt=before)
    rows = []
    for touch in touches.select_related("person__journey").order_by("at", "person_id")[:count]:
        person = touch.person
        person.last_given = touch.at  # type: ignore[attr-defined]
        rows.append(person)
    return rows
