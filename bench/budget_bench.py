"""Touch-budget measurements for ``make bench``: ``budget_blocked`` over everyone and over 100,000
people, and the "stay in touch" list's first page (selector and page), on SQLite with N people.

The data set is written straight into a freshly migrated database with plain ``sqlite3`` and
kept in ``var/bench/budget-N/`` (reused): the people from the peers' generator; a journey stage
for six in ten (one in ten people a regular, a few advocates, the rest first-time, returning,
lapsed or prospects); 1.5 × N touches over the last two years in time order — half of them to
regulars and advocates — mixed as a small business sends them: marketing offers and newsletters
that give (a few with an urgent subject), review requests that ask, one-to-one greetings and
calls, booking confirmations; the last 90 days' e-mails with their outbox message (3 % failed);
and one person in a thousand with their own limits (three kinds).

    .venv/bin/python bench/budget_bench.py [--people N] [--runs K] [--queries Q]

Prints the figures on stderr and the JSON on stdout.
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

TARGET_BLOCKED_S = 5.0
TARGET_PAGE_MS = 300.0
SAMPLE = 100_000
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
MANAGER = "bench-manager@example.com"
# (share of people, stage), drawn in this order; the rest have no journey.
STAGES = [
    (0.10, "regular"),
    (0.02, "advocate"),
    (0.20, "first_time"),
    (0.12, "returning"),
    (0.12, "lapsed"),
    (0.04, "prospect"),
]
# (weight, purpose, intent, summary): what a year of a small business's touches looks like.
MIX = [
    (38, "marketing", "giving", "Seasonal offer"),
    (6, "marketing", "asking", "Review request"),
    (10, "one_to_one", "giving", "Birthday greeting"),
    (5, "one_to_one", "asking", "Asked for a referral"),
    (5, "one_to_one", "neutral", "Answered a question"),
    (36, "transactional", "neutral", "Booking confirmation"),
]
CHANNELS = ["email"] * 16 + ["phone"] * 2 + ["in_person", "letter"]
OWN_LIMITS = [(0, 14, 0, 90, 48), (1, 30, 2, 180, 72), (2, 14, 6, 90, 24)]


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def _people(db: sqlite3.Connection, n: int) -> None:
    from build import datagen

    stamp = _stamp(NOW)
    insert_people(db, (person_row(stamp, r) for r in datagen().records(n)))


def _journeys(db: sqlite3.Connection, n: int, rnd: random.Random) -> list[int]:
    """A stage for six in ten people; returns the regulars' and advocates' ids."""
    stamp = _stamp(NOW)
    rows, keen = [], []
    for person in range(1, n + 1):
        draw, edge, stage = rnd.random(), 0.0, ""
        for share, name in STAGES:
            edge += share
            if draw < edge:
                stage = name
                break
        if not stage:
            continue
        if stage in ("regular", "advocate"):
            keen.append(person)
        count = {"regular": 9, "advocate": 7, "returning": 3, "first_time": 1}.get(stage, 2)
        last = _stamp(NOW - dt.timedelta(days=rnd.randint(1, 700)))
        rows.append((person, stage, f"Bench: {stage}", count, last, last, stamp))
    db.executemany(
        "INSERT INTO commerce_journey (person_id, stage, reason, purchases, first_purchase_at,"
        " last_purchase_at, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return keen


def _touches(db: sqlite3.Connection, n: int, keen: list[int], rnd: random.Random) -> int:
    """1.5 × ``n`` touches over two years in time order; recent e-mails with a message."""
    span = 730 * 86400
    moments = sorted(rnd.randrange(span) for _ in range(n * 3 // 2))
    start = NOW - dt.timedelta(seconds=span)
    recent = NOW - dt.timedelta(days=90)
    weights = [m[0] for m in MIX]
    stamp = _stamp(NOW)
    touches, messages = [], []
    for offset in moments:
        person = rnd.choice(keen) if keen and rnd.random() < 0.5 else rnd.randint(1, n)
        _w, purpose, intent, summary = rnd.choices(MIX, weights)[0]
        channel = "email" if purpose == "marketing" else rnd.choice(CHANNELS)
        counts = purpose == "marketing" or (purpose == "one_to_one" and intent == "asking")
        urgent = purpose == "marketing" and rnd.random() < 0.03
        when = start + dt.timedelta(seconds=offset)
        message = None
        if channel == "email" and when > recent:
            message = len(messages) + 1
            state = "failed" if rnd.random() < 0.03 else "sent"
            kind = "transactional" if purpose == "transactional" else purpose
            messages.append((message, f"bench-{message}", kind, f"<bench-{message}@example>",
                             state, _stamp(when), person))  # fmt: skip
        touches.append((_stamp(when), purpose, intent, channel, counts, urgent, summary, message,
                        person))  # fmt: skip
    db.executemany(
        "INSERT INTO outreach_outboxmessage (id, idempotency_key, kind, recipients, from_email,"
        " reply_to, subject, body_text, body_html, headers, message_id, state, held_reason,"
        " attempts, lease_owner, last_error, created_at, updated_at, person_id) VALUES"
        " (?, ?, ?, '[]', '', '', 'Bench', '', '', '{}', ?, ?, '', 1, '', '', ?, ?, ?)",
        (
            (i, key, kind, mid, state, when, when, p)
            for i, key, kind, mid, state, when, p in messages
        ),
    )
    db.executemany(
        "INSERT INTO outreach_touch (at, purpose, intent, channel, counts, urgent, summary,"
        " message_id, person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        touches,
    )
    own = rnd.sample(range(1, n + 1), max(1, n // 1000))
    db.executemany(
        "INSERT INTO outreach_persontouchpolicy (person_id, short_max, short_days, long_max,"
        " long_days, min_gap_hours, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'Bench', ?)",
        ((p, *OWN_LIMITS[i % len(OWN_LIMITS)], stamp) for i, p in enumerate(own)),
    )
    return len(touches)


def build(work: Path, n: int) -> dict[str, Any]:
    """The data set in ``work/data`` (reused when it is there)."""
    env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(work / "data")}
    env.pop("GOODWILL_DATABASE_URL", None)

    def fill(db: sqlite3.Connection) -> dict[str, Any]:
        rnd = random.Random(7)
        _people(db, n)
        keen = _journeys(db, n, rnd)
        touches = _touches(db, n, keen, rnd)
        return {
            "people": n,
            "regulars_and_advocates": len(keen),
            "touches": touches,
            "built_at": _stamp(NOW),
        }

    return cached_build(work, env, fill)


def _seconds(call: Any, runs: int) -> dict[str, Any]:
    times, size = [], 0
    for _run in range(runs):
        start = time.perf_counter()
        size = len(call())
        times.append(round(time.perf_counter() - start, 2))
    return {"seconds": times, "best_s": min(times), "blocked": size}


def measure_blocked(n: int, runs: int) -> dict[str, Any]:
    from goodwill.outreach.selectors.budget import budget_blocked

    sample = random.Random(5).sample(range(1, n + 1), min(SAMPLE, n))
    return {
        "everyone": _seconds(lambda: budget_blocked(person_ids=None, intent="giving"), runs),
        "everyone_asking": _seconds(lambda: budget_blocked(person_ids=None, intent="asking"), 1),
        "sample": _seconds(lambda: budget_blocked(person_ids=sample, intent="giving"), runs)
        | {"ids": len(sample)},
        "target_s": TARGET_BLOCKED_S,
    }


def measure_pages(k: int) -> dict[str, Any]:
    """The stay-in-touch selector's first and second page, and the page through the test
    client logged in as a manager."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from measure import summary, timed_calls

    from goodwill.accounts.models import User
    from goodwill.outreach.selectors.balance import stay_in_touch_page

    manager = User.objects.filter(email=MANAGER).first()
    if manager is None:
        from goodwill.accounts.services import user_create

        manager, _password = user_create(
            actor=None,
            email=MANAGER,
            role=User.Role.MANAGER,
            password="bench-manager-pw-42",  # noqa: S106
        )
    first = stay_in_touch_page(user=manager)
    cursor = first.next_cursor
    selector = [lambda: list(stay_in_touch_page(user=manager).items)] * k
    second = [lambda: list(stay_in_touch_page(user=manager, cursor=cursor).items)] * k
    setup_test_environment()
    client = Client()
    client.force_login(manager)
    page = [lambda: _get_ok(client, "/stay-in-touch/")] * k
    timed_calls(selector[:2] + page[:2])
    return {
        "healthy": _healthy(manager, k),
        "listed_first_page": len(first.items),
        "selector_first": summary(timed_calls(selector)),
        "selector_second": summary(timed_calls(second)) if cursor else None,
        "page_first": summary(timed_calls(page)),
        "target_p95_ms": TARGET_PAGE_MS,
    }


def _healthy(manager: Any, k: int) -> dict[str, Any]:
    """The first page when nearly every regular had a giving touch ten days ago (all but one
    in 3,000): the quick walks find too few and the full query answers. Rolled back after."""
    from django.db import connection, transaction
    from measure import summary, timed_calls

    from goodwill.outreach.selectors.balance import stay_in_touch_page

    class Rollback(Exception):
        pass

    found: dict[str, Any] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO outreach_touch (at, purpose, intent, channel, counts, urgent,"
                " summary, person_id) SELECT %s, 'one_to_one', 'giving', 'phone', 0, 0,"
                " 'Bench call', person_id FROM commerce_journey WHERE stage = 'regular'"
                " AND person_id %% 3000 != 0",
                [_stamp(NOW - dt.timedelta(days=10))],
            )
            calls = [lambda: list(stay_in_touch_page(user=manager).items)] * k
            found["listed_first_page"] = len(calls[0]())
            found["selector_first"] = summary(timed_calls(calls))
            raise Rollback
    except Rollback:
        pass
    return found


def _get_ok(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.status_code


def measure_budget(n: int, runs: int = 3, queries: int = 20) -> dict[str, Any]:
    """Build (or reuse) the data set, then time the bulk budget and the stay-in-touch list."""
    work = REPO / "var" / "bench" / f"budget-{n}"
    info = build(work, n)
    setup_django(work / "data")
    return info | {
        "blocked": measure_blocked(n, runs),
        "stay_in_touch": measure_pages(queries),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def report(result: dict[str, Any], out: Any = sys.stdout) -> None:
    """The figures, one a line (``make bench`` prints them from the JSON)."""
    blocked, stay = result["blocked"], result["stay_in_touch"]
    print(  # noqa: T201
        f"touch budget: {result['people']:,} people, {result['touches']:,} touches\n"
        f"budget_blocked(everyone, giving): best {blocked['everyone']['best_s']} s "
        f"({blocked['everyone']['blocked']:,} blocked; target ≤ {blocked['target_s']} s)\n"
        f"budget_blocked(everyone, asking): {blocked['everyone_asking']['best_s']} s "
        f"({blocked['everyone_asking']['blocked']:,} blocked)\n"
        f"budget_blocked({blocked['sample']['ids']:,} ids): best {blocked['sample']['best_s']} s "
        f"({blocked['sample']['blocked']:,} blocked)",
        file=out,
    )
    labels = {
        "selector_first": "first page (selector)",
        "selector_second": "second page (selector)",
        "page_first": "first page (/stay-in-touch/, test client)",
    }
    healthy = stay["healthy"]["selector_first"]
    print(  # noqa: T201
        f"stay in touch, first page when nearly every regular was given something (selector, "
        f"{stay['healthy']['listed_first_page']} listed): p50 {healthy['p50_ms']} / p95 "
        f"{healthy['p95_ms']} ms",
        file=out,
    )
    for name, label in labels.items():
        s = stay[name]
        if s:
            print(  # noqa: T201
                f"stay in touch, {label}: p50 {s['p50_ms']} / p95 {s['p95_ms']} ms "
                f"(target p95 ≤ {stay['target_p95_ms']:.0f})",
                file=out,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    figures = measure_budget(args.people, args.runs, args.queries)
    report(figures, out=sys.stderr)  # stdout is the JSON, for run.py
    print(json.dumps(figures, indent=2))  # noqa: T201
