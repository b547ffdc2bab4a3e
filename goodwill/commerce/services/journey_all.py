"""Everyone's journey stage at once: the nightly run (time alone moves people to "lapsed" or out
of "regular") and ``goodwill journey recompute``.

People are taken in ranges of ids: a range's purchases (through the covering index) and stored
stages are read, the stages computed, and only the rows that changed are written, in one short
transaction per range. No cursor stays open across writes and memory stays flat at a million
people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from goodwill.commerce.journey import Facts, stage_of
from goodwill.commerce.services.journey import (
    JourneyWrites,
    _add,
    _as_datetime,
    _regular_from,
    referred_buyers,
)
from goodwill.occasions.selectors.settings import business_zone
from goodwill.people.models import Person

STEP = 5000
STORED = (
    "SELECT person_id, stage, reason, purchases, first_purchase_at, last_purchase_at,"
    " usual_interval_days, best_score, best_score_at FROM commerce_journey"
    " WHERE person_id >= %s AND person_id < %s"
)
PURCHASES = (
    "SELECT person_id, occurred_at, kind FROM commerce_purchase"
    " WHERE person_id >= %s AND person_id < %s"
)


def _stored_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    stage, reason, purchases, first, last, interval = row[:6]
    return (
        stage,
        reason,
        purchases,
        _as_datetime(first) if first is not None else None,
        _as_datetime(last) if last is not None else None,
        interval,
    )


def _range(lo: int, hi: int, context: dict[str, Any]) -> tuple[int, int]:
    """Recompute people ``lo``..``hi - 1``; returns (people with a stage, rows written)."""
    facts: dict[int, Facts] = defaultdict(Facts)
    with connection.cursor() as cursor:
        cursor.execute(PURCHASES, [lo, hi])
        for pid, when, kind in cursor.fetchall():
            _add(facts[pid], kind, _as_datetime(when))
        cursor.execute(STORED, [lo, hi])
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    for pid in context["referred"].keys() & range(lo, hi):
        facts[pid].referred_buyers = context["referred"][pid]
    for pid, row in stored.items():
        if row[6] is not None:
            facts[pid].best_score, facts[pid].best_score_at = row[6], _as_datetime(row[7])
    writes = JourneyWrites(context["now"])
    staged = 0
    for pid in sorted(facts.keys() | stored.keys()):
        stage = stage_of(
            facts[pid],
            today=context["today"],
            regular_from=context["regular"],
            zone=context["zone"],
        )
        old = stored.get(pid)
        if stage is None:
            if old is not None and old[6] is None:
                writes.delete.append((pid,))
            elif old is not None and old[0]:
                writes.update.append(("", "", 0, None, None, None, writes.now, pid))
            continue
        staged += 1
        if old is None:
            writes.insert.append(writes.row(stage.values(), pid))
        elif _stored_key(old) != stage.values():
            writes.update.append(writes.row(stage.values(), pid))
    return staged, writes.flush()


def journey_recompute_all(
    *, now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Recompute every person's stage as of ``now``; returns how many people have a stage and
    how many rows changed. ``progress(done_ids, top_id)`` is called after each range."""
    now = now or timezone.now()
    zone = business_zone()
    context = {
        "now": now,
        "zone": zone,
        "today": now.astimezone(zone).date(),
        "regular": _regular_from(),
        "referred": referred_buyers(),
    }
    top = Person.objects.aggregate(top=Max("id"))["top"] or 0
    staged = changed = 0
    for lo in range(1, top + 1, STEP):
        done = _range(lo, lo + STEP, context)
        staged, changed = staged + done[0], changed + done[1]
        if progress is not None:
            progress(min(lo + STEP - 1, top), top)
    return {"people": staged, "changed": changed}
