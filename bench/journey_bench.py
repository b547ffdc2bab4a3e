"""Journey measurements for ``make bench``: every person's stage recomputed
(``goodwill journey recompute``) on SQLite with N people and 3 × N purchases.

The data set is built straight into a freshly migrated database with plain ``sqlite3`` (the
people from the peers' generator, purchases and stays spread over three years in the order a
till would write them, one person in a hundred referred by another, a few inquiries); it is kept
in ``var/bench/journey-N/`` and reused. The first run computes and writes every stage; the
second finds nothing changed, which is what most nights are.

    .venv/bin/python bench/journey_bench.py [N]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import cached_build, insert_people, person_row  # noqa: E402

REPO = HERE.parent
TARGET_S = 60
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def _people(db: sqlite3.Connection, n: int) -> None:
    sys.path.insert(0, str(HERE))
    from build import datagen

    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S")
    insert_people(db, (person_row(stamp, r) for r in datagen().records(n)))


def _purchases(db: sqlite3.Connection, n: int) -> int:
    """3 × ``n`` purchases (some people many, some none) in time order, as a till writes them."""
    rnd = random.Random(6)
    start = NOW - dt.timedelta(days=3 * 365)
    span = int((NOW - start).total_seconds())
    moments = sorted(rnd.randrange(span) for _ in range(3 * n))
    kinds = ["purchase"] * 16 + ["stay"] * 3 + ["inquiry"]
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S")
    rows = []
    for offset in moments:
        # A skewed choice of buyer: regulars buy often, most people rarely.
        person = 1 + int(n * rnd.random() ** 1.6)
        when = (start + dt.timedelta(seconds=offset)).strftime("%Y-%m-%d %H:%M:%S")
        kind = rnd.choice(kinds)
        amount = None if kind == "inquiry" else f"{rnd.randint(3, 400)}.00"
        rows.append(
            (person, kind, when, amount, "EUR", "", "", "in_store", "", "pos", "", "", stamp)
        )
    db.executemany(
        "INSERT INTO commerce_purchase (person_id, kind, occurred_at, amount, currency,"
        " description, category, channel, source_detail, source, reference, check_in,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?)",
        rows,
    )
    return len(rows)


def _referrals(db: sqlite3.Connection, n: int) -> None:
    rnd = random.Random(8)
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S")
    pairs = {(rnd.randint(1, n), rnd.randint(1, n)) for _ in range(n // 100)}
    db.executemany(
        "INSERT INTO people_relationship (created_at, updated_at, kind, custom_label, notes,"
        " from_person_id, to_person_id) VALUES (?, ?, 'referred_by', '', '', ?, ?)",
        [(stamp, stamp, a, b) for a, b in pairs if a != b],
    )


def build(work: Path, n: int, env: dict[str, str]) -> dict[str, Any]:
    """The data set in ``work`` (reused when it is already there)."""

    def fill(db: sqlite3.Connection) -> dict[str, Any]:
        _people(db, n)
        purchases = _purchases(db, n)
        _referrals(db, n)
        return {"people": n, "purchases": purchases}

    return cached_build(work, env, fill, analyze=False)


def _recompute(env: dict[str, str]) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "goodwill", "journey", "recompute", "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    figures = {"seconds": round(seconds, 2), "peak_rss_mb": round(peak / 1024)}
    return json.loads(done.stdout) | figures


def measure_journey(n: int) -> dict[str, Any]:
    """Build (or reuse) the data set, then recompute every stage twice."""
    work = REPO / "var" / "bench" / f"journey-{n}"
    env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(work / "data")}
    env.pop("GOODWILL_DATABASE_URL", None)
    info = build(work, n, env)
    db = sqlite3.connect(work / "data" / "goodwill.sqlite3")
    with db:
        db.execute("DELETE FROM commerce_journey")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    first = _recompute(env)
    again = _recompute(env)
    return info | {"first": first, "again": again, "target_s": TARGET_S}


if __name__ == "__main__":
    print(json.dumps(measure_journey(int(sys.argv[1]) if sys.argv[1:] else 100_000), indent=2))  # noqa: T201
