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

from django.db import transaction
from django.utils import timezone

from goodwill.commerce.journey import Facts, Stage, stage_of
from goodwill.commerce.models import CommerceSettings, Journey, Purchase
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


def _regular_from() -> int:
    row, _created = CommerceSettings.objects.get_or_create(pk=1)
    return row.regular_purchases


def referrers_of(person_ids: Iterable[int]) -> set[int]:
    """Who referred these people (they may have just become advocates)."""
    return set(
        Relationship.objects.filter(
            from_person_id__in=list(person_ids), kind=Relationship.Kind.REFERRED_BY
        ).values_list("to_person_id", flat=True)
    )


def _referred_buyers(person_ids: list[int]) -> dict[int, list[str]]:
    """For each referrer among ``person_ids``: the names of the people they referred who bought."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        Relationship.objects.filter(
            to_person_id__in=person_ids,
            kind=Relationship.Kind.REFERRED_BY,
            from_person__purchases__kind__in=BOUGHT,
        )
        .values_list("to_person_id", "from_person__given_name", "from_person__family_name")
        .distinct()
        .order_by("to_person_id", "from_person__family_name", "from_person__given_name")
    )
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
    for pid, names in _referred_buyers(ids).items():
        facts[pid].referred_buyers = names
    stored = {j.person_id: j for j in Journey.objects.filter(person_id__in=ids)}
    for pid, journey in stored.items():
        facts[pid].best_score, facts[pid].best_score_at = journey.best_score, journey.best_score_at
    existing = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
    with transaction.atomic():
        for pid in ids:
            stage = stage_of(facts[pid], today=today, regular_from=regular_from, zone=zone)
            _store(pid, stage, stored.get(pid), facts[pid], now, pid in existing)


def _add(facts: Facts, kind: str, when: dt.datetime) -> None:
    if kind in BOUGHT:
        facts.bought.append(when)
    elif kind == Purchase.Kind.INQUIRY and (facts.inquired_at is None or when < facts.inquired_at):
        facts.inquired_at = when


def _store(
    pid: int,
    stage: Stage | None,
    journey: Journey | None,
    facts: Facts,
    now: dt.datetime,
    exists: bool,
) -> None:
    if not exists:
        return
    if stage is None and facts.best_score is None:
        if journey is not None:
            journey.delete()
        return
    values = dict(zip(COLUMNS, stage.values(), strict=True)) if stage else _empty()
    Journey.objects.update_or_create(person_id=pid, defaults=values | {"computed_at": now})


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
    for the advocate stage. Called by the feedback app when an answer arrives."""
    journey = Journey.objects.filter(person=person).first()
    if journey is None or journey.best_score is None or score >= journey.best_score:
        Journey.objects.update_or_create(
            person=person,
            defaults={"best_score": score, "best_score_at": at},
            create_defaults={
                "best_score": score,
                "best_score_at": at,
                "computed_at": at,
                **_empty(),
            },
        )
    journey_refresh(person_ids=[person.pk])


def _as_datetime(value: Any) -> dt.datetime:
    """A stored date and time as an aware datetime (SQLite hands back text, in UTC)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
