"""Audience measurement for ``make bench``: the preview of an offer (``audience()``: relevance,
address, suppression, consent, name and touch budget for everyone) over N people on SQLite.

The data set is written straight into a freshly migrated database with plain ``sqlite3`` and
kept in ``var/bench/audience-N/`` (reused): the people from the peers' generator (one in 200
called "Customer", one in 100 without an email), two interests each from fifty (one in ten likes
storm chasing, one in a hundred dislikes it), consent for four in ten (some for every topic, a
few unsubscribed since), a purchase for three in ten (one in twenty a spa day), a birthday for
half, and a marketing touch in the last ten days for three in a hundred. The offer is relevant
by the interest, a spa purchase or a birthday within 60 days.

    .venv/bin/python bench/audience_bench.py [--people N] [--runs K]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from dataset import cached_build, insert_people, person_row, setup_django  # noqa: E402

TARGET_S = 10
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
INTERESTS = ["Storm chasing"] + [f"Pastime {i}" for i in range(1, 50)]
ALL_FANS = "all-fans"


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def _people(db: sqlite3.Connection, n: int, fans: bool) -> None:
    from build import datagen

    stamp = _stamp(NOW)

    def row(i: int, r: dict[str, str]) -> tuple[Any, ...]:
        given = "Customer" if (i % 200 == 7 and not fans) else r["first_name"]
        email = "" if (i % 100 == 3 and not fans) else r["email"]
        return person_row(stamp, r, given=given, email=email)

    insert_people(db, (row(i, r) for i, r in enumerate(datagen().records(n))))


def _interests(db: sqlite3.Connection, n: int, fans: bool, rnd: random.Random) -> None:
    db.executemany(
        "INSERT INTO people_interest (id, name, key, people_count) VALUES (?, ?, ?, 0)",
        [(i + 1, name, name.lower()) for i, name in enumerate(INTERESTS)],
    )
    stamp = _stamp(NOW)

    def rows() -> Any:
        for person in range(1, n + 1):
            draw = rnd.random()
            chosen = {rnd.randint(2, len(INTERESTS)), rnd.randint(2, len(INTERESTS))}
            for interest in chosen:
                yield (person, interest, "likes", "imported", stamp, "")
            if fans or draw < 0.10:
                yield (person, 1, "likes", "told_us", stamp, "")
            elif draw < 0.11:
                yield (person, 1, "dislikes", "told_us", stamp, "")

    db.executemany(
        "INSERT INTO people_personinterest (person_id, interest_id, attitude, source, noted_at,"
        " note) VALUES (?, ?, ?, ?, ?, ?)",
        rows(),
    )


def _consents(db: sqlite3.Connection, fans: bool, rnd: random.Random) -> None:
    db.execute(
        "INSERT INTO outreach_topic (id, name, key, description, legitimate_interest, created_at)"
        " VALUES (1, 'Offers', 'offers', '', 0, ?)",
        (_stamp(NOW),),
    )
    people = db.execute("SELECT id, primary_email FROM people_person WHERE primary_email != ''")
    rows = []
    for person, email in people.fetchall():
        draw = rnd.random()
        if not fans and draw >= 0.4:
            continue
        topic = None if (draw < 0.1 and not fans) else 1
        when = NOW - dt.timedelta(days=rnd.randint(30, 900))
        rows.append((person, email, topic, "express", "form", _stamp(when)))
        if draw < 0.02 and not fans:
            later = when + dt.timedelta(days=10)
            rows.append((person, email, topic, "withdrawn", "unsubscribe", _stamp(later)))
    db.executemany(
        "INSERT INTO outreach_consent (person_id, address, topic_id, basis, source, source_detail,"
        " evidence, recorded_at) VALUES (?, ?, ?, ?, ?, '', '', ?)",
        rows,
    )


def _facts(db: sqlite3.Connection, n: int, rnd: random.Random) -> None:
    stamp = _stamp(NOW)
    purchases, occasions, touches = [], [], []
    for person in range(1, n + 1):
        if rnd.random() < 0.3:
            spa = rnd.random() < 0.05
            when = _stamp(NOW - dt.timedelta(days=rnd.randint(1, 1000)))
            what = ("Spa day", "Spa") if spa else ("Dinner", "Restaurant")
            purchases.append((person, "purchase", when, "80.00", "EUR", *what, stamp))
        if rnd.random() < 0.5:
            month, day = rnd.randint(1, 12), rnd.randint(1, 28)
            occasions.append((stamp, stamp, "birthday", month, day, month * 100 + day, person))
        if rnd.random() < 0.03:
            when = _stamp(NOW - dt.timedelta(days=rnd.randint(1, 10)))
            touches.append((when, person))
    db.executemany(
        "INSERT INTO commerce_purchase (person_id, kind, occurred_at, amount, currency,"
        " description, category, channel, source_detail, source, reference, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'in_store', '', 'pos', '', ?)",
        purchases,
    )
    db.executemany(
        "INSERT INTO occasions_occasion (created_at, updated_at, kind, label, month, day, md,"
        " source, note, person_id) VALUES (?, ?, ?, '', ?, ?, ?, 'told_us', '', ?)",
        occasions,
    )
    db.executemany(
        "INSERT INTO outreach_touch (at, purpose, intent, channel, counts, urgent, summary,"
        " person_id) VALUES (?, 'marketing', 'giving', 'email', 1, 0, 'Earlier offer', ?)",
        touches,
    )


def build(work: Path, n: int, *, fans: bool = False) -> dict[str, Any]:
    """The data set in ``work/data`` (reused when it is there); ``fans``: everyone likes storm
    chasing and opted in (the queueing bench)."""
    env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(work / "data")}
    env.pop("GOODWILL_DATABASE_URL", None)

    def fill(db: sqlite3.Connection) -> dict[str, Any]:
        rnd = random.Random(11)
        _people(db, n, fans)
        _interests(db, n, fans, rnd)
        _consents(db, fans, rnd)
        if not fans:
            _facts(db, n, rnd)
        return {"people": n}

    return cached_build(work, env, fill)


def make_offer(**fields: Any) -> Any:
    from goodwill.accounts.services import business_update
    from goodwill.outreach.services.offers import offer_create

    business_update(
        actor=None, name="Bench B&B", address="1 Quay Street", contact_email="hi@bench.example"
    )
    return offer_create(
        actor=None,
        name="Storm weekend",
        topic="offers",
        interests=["storm chasing"],
        subject_template="A stormy weekend for {{ preferred_name }}",
        body_template="Dear {{ preferred_name }},\n\nA storm-chasing weekend: {{ offer_code }}.",
        code_prefix="STORM",
        **fields,
    )


def measure_audience(n: int, runs: int = 3) -> dict[str, Any]:
    """Build (or reuse) the data set, then time ``audience()`` ``runs`` times."""
    work = REPO / "var" / "bench" / f"audience-{n}"
    info = build(work, n)
    setup_django(work / "data")
    from goodwill.outreach.selectors.audience import audience

    offer = make_offer(categories=["spa"], occasion_kinds=["birthday"])
    times, cpu = [], []
    for _run in range(runs):
        start, used = time.perf_counter(), time.process_time()
        found = audience(offer=offer)
        times.append(round(time.perf_counter() - start, 2))
        cpu.append(round(time.process_time() - used, 2))
    return info | {
        "seconds": times,
        "best_s": min(times),
        # This process's own CPU time: on a shared machine, the wall time includes waiting.
        "cpu_s": cpu,
        "recipients": len(found.recipients),
        "excluded": found.excluded,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "target_s": TARGET_S,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure_audience(args.people, args.runs), indent=2))  # noqa: T201
