"""Keeping journey stages true: one person's after their facts change, everyone's nightly.

The nightly run walks the purchases in person order through their covering index, next to the
stored stages, and writes only the rows whose stage, reason or facts changed, in short
transactions of a few thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from goodwill.commerce.journey import PROMOTER_SCORE, Facts, Stage, stage_of
from goodwill.commerce.models import Journey, Purchase
from goodwill.commerce.selectors import commerce_settings
from goodwill.occasions.selectors.settings import business_zone
from goodwill.people.models import Person, Relationship

BOUGHT = (Purchase.Kind.PURCHASE.value, Purchase.Kind.STAY.value)
WRITE_CHUNK = 2000
COLUMNS = (
    "stage",
    "reason",
    "purchases",
    "first_purchase_at",
    "last_purchase_at",
    "usual_interval_days",
)


UPDATE = (
    "UPDATE commerce_journey SET stage = %s, reason = %s, purchases = %s,"
    " first_purchase_at = %s, last_purchase_at = %s, usual_interval_days = %s,"
    " computed_at = %s WHERE person_id = %s"
)
INSERT = (
    "INSERT INTO commerce_journey (stage, reason, purchases, first_purchase_at,"
    " last_purchase_at, usual_interval_days, computed_at, person_id, best_score, best_score_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL)"
)
DELETE = "DELETE FROM commerce_journey WHERE person_id = %s"


def _db_datetime(value: dt.datetime | None) -> Any:
    """A datetime as the database takes it: PostgreSQL an aware one; SQLite naive UTC text, as
    Django writes it (its own adapter costs more than the rest of a row)."""
    if value is None or connection.vendor != "sqlite":
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


class JourneyWrites:
    """Changed journey rows, written together by plain statements (Django's ``bulk_update``
    builds a CASE per row and column: slower than the rest of a refresh)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = _db_datetime(now)
        self.update: list[tuple[Any, ...]] = []
        self.insert: list[tuple[Any, ...]] = []
        self.delete: list[tuple[int]] = []

    def row(self, stage_values: tuple[Any, ...], pid: int) -> tuple[Any, ...]:
        values = list(stage_values)
        values[3], values[4] = _db_datetime(values[3]), _db_datetime(values[4])
        return (*values, self.now, pid)

    def flush(self) -> int:
        if not (self.update or self.insert or self.delete):
            return 0
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, rows in ((UPDATE, self.update), (INSERT, self.insert), (DELETE, self.delete)):
                if rows:
                    cursor.executemany(sql, rows)
        return len(self.update) + len(self.insert) + len(self.delete)


def _regular_from() -> int:
    return commerce_settings().regular_purchases


def referrers_of(person_ids: Iterable[int]) -> set[int]:
    """Who referred these people (they may have just become advocates)."""
    return set(
        Relationship.objects.filter(
            from_person_id__in=list(person_ids), kind=Relationship.Kind.REFERRED_BY
        ).values_list("to_person_id", flat=True)
    )


def referred_buyers(person_ids: list[int] | None = None) -> dict[int, list[str]]:
    """For each referrer (among ``person_ids``; everyone's when None): the names of the people
    they referred who bought."""
    out: dict[int, list[str]] = defaultdict(list)
    # EXISTS per tie (the purchase index), never the list of every buyer.
    bought = Purchase.objects.filter(person_id=OuterRef("from_person_id"), kind__in=BOUGHT)
    ties = Relationship.objects.filter(Exists(bought), kind=Relationship.Kind.REFERRED_BY)
    if person_ids is not None:
        ties = ties.filter(to_person_id__in=person_ids)
    rows = ties.values_list(
        "to_person_id", "from_person__given_name", "from_person__family_name"
    ).order_by("to_person_id", "from_person__family_name", "from_person__given_name")
    for referrer, given, family in rows:
        out[referrer].append(f"{given} {family}".strip())
    return out


def journey_refresh(*, person_ids: Iterable[int], now: dt.datetime | None = None) -> None:
    """Recompute the stage of each of ``person_ids`` from their facts now (after a purchase,
    a refund, a score or a merge), storing it or removing a stage nothing supports any more."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    now = now or timezone.now()
    zone = business_zone()
    today = now.astimezone(zone).date()
    regular_from = _regular_from()
    facts: dict[int, Facts] = {pid: Facts() for pid in ids}
    for pid, kind, when in Purchase.objects.filter(person_id__in=ids).values_list(
        "person_id", "kind", "occurred_at"
    ):
        _add(facts[pid], kind, when)
    for pid, names in referred_buyers(ids).items():
        facts[pid].referred_buyers = names
    stored = {j.person_id: j for j in Journey.objects.filter(person_id__in=ids)}
    for pid, journey in stored.items():
        facts[pid].best_score, facts[pid].best_score_at = journey.best_score, journey.best_score_at
    existing = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
    writes = JourneyWrites(now)
    for pid in sorted(existing):
        stage = stage_of(facts[pid], today=today, regular_from=regular_from, zone=zone)
        _plan(pid, stage, stored.get(pid), facts[pid], writes)
    writes.flush()


def _add(facts: Facts, kind: str, when: dt.datetime) -> None:
    if kind in BOUGHT:
        facts.bought.append(when)
    elif kind == Purchase.Kind.INQUIRY and (facts.inquired_at is None or when < facts.inquired_at):
        facts.inquired_at = when


def _plan(
    pid: int, stage: Stage | None, journey: Journey | None, facts: Facts, writes: JourneyWrites
) -> None:
    """Add the write that brings ``pid``'s stored journey in line with ``stage``; nothing when
    it already is. A person with only a score keeps a row without a stage."""
    if stage is None and facts.best_score is None:
        if journey is not None:
            writes.delete.append((pid,))
        return
    values = stage.values() if stage else tuple(_empty().values())
    if journey is None:
        writes.insert.append(writes.row(values, pid))
    elif tuple(getattr(journey, name) for name in COLUMNS) != values:
        writes.update.append(writes.row(values, pid))


def _empty() -> dict[str, Any]:
    """A person with a score but nothing bought or asked: kept for the score, no stage shown."""
    return {
        "stage": "",
        "reason": "",
        "purchases": 0,
        "first_purchase_at": None,
        "last_purchase_at": None,
        "usual_interval_days": None,
    }


def journey_note_score(*, person: Person, score: int, at: dt.datetime) -> None:
    """Remember a recommendation score (0–10) a person gave when asked: their best one counts
    for the advocate stage. Called by the feedback app when an answer arrives; the stage is
    recomputed only when this score makes them a promoter for the first time."""
    found = list(Journey.objects.filter(person=person).values_list("best_score", flat=True)[:1])
    exists = bool(found)
    best = found[0] if exists else None
    if best is not None and score < best:
        return
    if not exists:
        Journey.objects.create(
            person=person, best_score=score, best_score_at=at, computed_at=at, **_empty()
        )
    else:
        Journey.objects.filter(person=person).update(best_score=score, best_score_at=at)
    first_promoter = score >= PROMOTER_SCORE and (best is None or best < PROMOTER_SCORE)
    if first_promoter or not exists:
        journey_refresh(person_ids=[person.pk])


def _as_datetime(value: Any) -> dt.datetime:
    """A stored date and time as an aware datetime (SQLite hands back text, in UTC)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
