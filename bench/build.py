"""Build the synthetic business for the benchmark through the bulk services.

People come from the shared generator (``../shared/bench/datagen.py``) so figures compare with the
peers measured on it; interests (a few generic ones held by many, many specific ones held by few)
and interactions are added deterministically on top.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
DATAGEN = REPO.parent / "shared" / "bench" / "datagen.py"

GENERIC = ["weather", "food", "coffee", "travel", "wine", "music", "gardening", "books"]
TOPICS = [
    "storm chasing",
    "birding",
    "sourdough",
    "kayaking",
    "lighthouses",
    "genealogy",
    "fiddle",
    "quilting",
    "sailing",
    "cycling",
    "hiking",
    "photography",
    "pottery",
    "chess",
    "yoga",
    "astronomy",
    "fly fishing",
    "jazz",
    "opera",
    "tea",
    "cider",
    "cheese",
    "knitting",
    "golf",
]
FLAVOURS = ["", " history", " festivals", " gear", " clubs", " travel", " books", " workshops"]
SPECIFIC = [t + f for t in TOPICS for f in FLAVOURS]  # 192 specific interests
TITLES = ["Buyer", "Owner", "Sales manager", "Office manager", "Chef", "Driver", "Director"]
KINDS = ["stay", "visit", "call", "email", "note", "greeting", "purchase", "feedback"]
SUMMARIES = {
    "stay": "Stayed {n} nights",
    "visit": "Dropped in for tea",
    "call": "Called about dates in {month}",
    "email": "Asked about {month} availability",
    "note": "Mentioned a trip in {month}",
    "greeting": "Sent a {month} card",
    "purchase": "Bought a gift voucher",
    "feedback": "Loved the breakfast",
}
MONTHS = ["January", "March", "May", "July", "September", "October", "December"]


def datagen() -> ModuleType:
    """The peers' shared generator, imported from its file."""
    spec = importlib.util.spec_from_file_location("datagen", DATAGEN)
    if spec is None or spec.loader is None:
        raise SystemExit(f"Cannot import {DATAGEN}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _interests(rnd: random.Random) -> list[str]:
    out = []
    if rnd.random() < 0.6:
        out.append(GENERIC[min(int(rnd.expovariate(0.6)), len(GENERIC) - 1)])
    for _ in range(rnd.choice((0, 1, 1, 2))):
        # Zipf-like: a few specific interests are common, most are rare.
        out.append(SPECIFIC[min(int(rnd.paretovariate(1.2)) - 1, len(SPECIFIC) - 1)])
    return out


def person_rows(n: int) -> Iterator[object]:
    """PersonRow objects for ``n`` people, deterministic."""
    from goodwill.people.services.bulk import PersonRow

    gen = datagen()
    names = gen.companies(max(1, n // 100))
    rnd = random.Random(3)
    for record in gen.records(n):
        roll = rnd.random()
        role = "guest" if roll < 0.9 else "supplier" if roll < 0.95 else "lead"
        yield PersonRow(
            given_name=record["first_name"],
            family_name=record["last_name"],
            locality=record["city"],
            emails=[record["email"]],
            phones=[record["phone"]],
            roles=[role],
            organisations=[names[record["company_idx"]]],
            job_title=rnd.choice(TITLES),
            interests=_interests(rnd),
        )


def interaction_rows(person_ids: Iterator[int], staff_id: int) -> Iterator[object]:
    """About two interactions per person over the last two years, deterministic."""
    from django.utils import timezone

    from goodwill.timeline.bulk import InteractionRow

    rnd = random.Random(5)
    now = timezone.now().replace(microsecond=0)
    for person_id in person_ids:
        for _ in range(rnd.choice((0, 1, 1, 2, 3, 5))):
            kind = rnd.choice(KINDS)
            text = SUMMARIES[kind].format(n=rnd.randint(1, 5), month=rnd.choice(MONTHS))
            yield InteractionRow(
                person_id=person_id,
                kind=kind,
                summary=text,
                occurred_at=now - dt.timedelta(minutes=rnd.randrange(2 * 365 * 24 * 60)),
                direction="outbound" if kind in ("email", "greeting") else "in_person",
                intent="giving" if kind == "greeting" else "neutral",
                staff_id=staff_id,
            )


def occasion_rows(person_ids: Iterator[int]) -> Iterator[object]:
    """About 1.5 occasions per person: nine in ten have a birthday (six in ten with the year,
    some on 29 February), six in ten a "first stay" anniversary; one in a hundred has its own
    lead time. Deterministic."""
    from goodwill.occasions.bulk import OccasionRow

    rnd = random.Random(9)
    this_year = dt.datetime.now(dt.UTC).year
    for person_id in person_ids:
        lead = rnd.choice((14, 30, 60)) if rnd.random() < 0.01 else None
        if rnd.random() < 0.9:
            day = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(366))
            year = rnd.randrange(1940, 2008) if rnd.random() < 0.6 else None
            if year is not None and (day.month, day.day) == (2, 29):
                year = 1996
            yield OccasionRow(
                kind="birthday",
                month=day.month,
                day=day.day,
                year=year,
                person_id=person_id,
                lead_days=lead,
            )
        if rnd.random() < 0.6:
            first = dt.date(this_year - rnd.randrange(1, 15), 1, 1)
            first += dt.timedelta(days=rnd.randrange(365))
            yield OccasionRow(
                kind="anniversary",
                label="First stay",
                month=first.month,
                day=first.day,
                year=first.year,
                person_id=person_id,
            )


def build_occasions(progress: bool = True) -> dict[str, float]:
    """Add the occasions to a built data set (also to one built before occasions existed)."""
    import time

    from django.db import connection

    from goodwill.occasions.bulk import occasion_bulk_create
    from goodwill.people.models import Person

    start = time.perf_counter()
    ids = iter(list(Person.objects.order_by("id").values_list("id", flat=True)))
    stored = occasion_bulk_create(actor=None, rows=occasion_rows(ids), batch_size=20000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if progress:
        print(f"  occasions {stored:,} ({time.perf_counter() - start:.0f} s)", flush=True)
    return {"occasions": stored, "occasions_s": time.perf_counter() - start}


def build(n: int, progress: bool = True) -> dict[str, float]:
    """Migrate, create the bench owner, n people with interests, and their interactions."""
    import time

    from django.core.management import call_command
    from django.db import connection

    from goodwill.accounts.services import owner_create
    from goodwill.people.models import Person
    from goodwill.people.services.bulk import person_bulk_create
    from goodwill.timeline.bulk import interaction_bulk_log

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    owner, _password = owner_create(email=OWNER_EMAIL, password=OWNER_PASSWORD)
    timings["migrate_s"] = time.perf_counter() - start

    start = time.perf_counter()
    done = 0
    for chunk in _chunks(person_rows(n), 20000):
        done += person_bulk_create(actor=None, rows=chunk)
        if progress:
            print(f"  people {done:,}/{n:,} ({time.perf_counter() - start:.0f} s)", flush=True)
    timings["people_s"] = time.perf_counter() - start

    start = time.perf_counter()
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    stored = interaction_bulk_log(actor=None, rows=interaction_rows(iter(ids), owner.pk))
    timings["interactions_s"] = time.perf_counter() - start
    timings["interactions"] = stored

    # Planner statistics, as any bulk load should refresh (PostgreSQL's autovacuum would get
    # there eventually; SQLite never does on its own).
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze_s"] = time.perf_counter() - start
    return timings | build_occasions(progress)


def _chunks(rows: Iterator[object], size: int) -> Iterator[list[object]]:
    chunk: list[object] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


OWNER_EMAIL = "bench-owner@example.com"
OWNER_PASSWORD = "bench-owner-password-42"  # noqa: S105 (synthetic benchmark data)
