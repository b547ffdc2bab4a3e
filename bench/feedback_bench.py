"""Feedback measurements for ``make bench``: the manager's pages with a year of feedback on the
journey bench's data set (N people, 3 × N purchases, SQLite).

Added once to that data set by plain SQL: every purchase and stay gets its follow-up date
(three days on) and half of last year's were logged by the owner; 40 % of last year's
purchases were asked about (a tenth of those by a survey that was answered with a score and a
thumb), and N / 20 remarks were heard at the counter. Then ``goodwill serve`` answers, one
request at a time, the inbox (``/feedback/``), the scores (``/feedback/scores/``: NPS and
satisfaction by month, staff member and what was bought) and the follow-ups page with its
rates (``/followups/``).

    .venv/bin/python bench/feedback_bench.py [N]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from journey_bench import build  # noqa: E402
from measure import free_port, login, start_server, stop_server, summary, timed_gets  # noqa: E402

OWNER, PASSWORD = "bench-owner@example.com", "bench-owner-password-42"
TARGET_MS = 300
CATEGORIES = ["price", "product", "service", "staff", "place", "competitor", "other"]


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _owner(env: dict[str, str]) -> int:
    # An owner left by an interrupted run is reused (createowner then refuses with 5).
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "goodwill", "createowner", "--email", OWNER, "--password", PASSWORD],
        env=env,
        cwd=REPO,
        check=False,
        capture_output=True,
    )
    db = sqlite3.connect(Path(env["GOODWILL_DATA_DIR"]) / "goodwill.sqlite3")
    owner = db.execute("SELECT id FROM accounts_user WHERE email = ?", (OWNER,)).fetchone()[0]
    db.close()
    return int(owner)


def _feedback_rows(db: sqlite3.Connection, owner: int, n: int) -> dict[str, int]:
    """A year of follow-ups, survey answers and counter remarks (see the module docstring)."""
    rnd = random.Random(12)
    now = dt.datetime.now(dt.UTC)
    year_ago = _stamp(now - dt.timedelta(days=365))
    db.execute(
        "UPDATE commerce_purchase SET followup_due_at = datetime(occurred_at, '+3 days')"
        " WHERE kind IN ('purchase', 'stay')"
    )
    db.execute(
        "UPDATE commerce_purchase SET created_by_id = ? WHERE occurred_at >= ? AND id % 2 = 0",
        (owner, year_ago),
    )
    recent = db.execute(
        "SELECT id, person_id, followup_due_at, created_by_id FROM commerce_purchase"
        " WHERE followup_due_at >= ? AND followup_due_at <= ?",
        (year_ago, _stamp(now)),
    ).fetchall()
    counts = {"followups": 0, "surveys": 0, "heard": 0}
    feedback_id = 0
    for purchase, person, due, served_by in recent:
        if rnd.random() >= 0.4:
            continue
        answer = None
        if rnd.random() < 0.1:
            feedback_id += 1
            score = rnd.choice([10, 10, 9, 9, 8, 8, 7, 6, 5, 3])
            _feedback(db, feedback_id, "survey", "", "other", person, None, due, score, score >= 7)
            db.execute(  # who served them and what they bought, as survey_answer copies them
                "UPDATE feedback_feedback SET served_by_id = ?, bought = ? WHERE id = ?",
                (served_by, "room" if purchase % 3 else "voucher", feedback_id),
            )
            db.execute(
                "INSERT INTO feedback_survey (person_id, purchase_id, token_hash, created_by_id,"
                " created_at, expires_at, answered_at, answer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (person, purchase, hashlib.sha256(str(purchase).encode()).hexdigest(), owner,
                 due, due, due, feedback_id),
            )  # fmt: skip
            answer = feedback_id
            counts["surveys"] += 1
        db.execute(
            "INSERT INTO feedback_followup (purchase_id, person_id, method, asked_by_id, asked_at,"
            " due_at, served_by_id, answer_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (purchase, person, "survey" if answer else "phone", owner, due, due, served_by,
             answer, due),
        )  # fmt: skip
        counts["followups"] += 1
    for _ in range(n // 20):
        feedback_id += 1
        heard = _stamp(now - dt.timedelta(seconds=rnd.randrange(365 * 86400)))
        person = rnd.randint(1, n) if rnd.random() < 0.5 else None
        text = f"Remark {feedback_id} about our {rnd.choice(['bread', 'rooms', 'prices'])}"
        _feedback(db, feedback_id, "counter", text, rnd.choice(CATEGORIES), person, owner, heard)
        counts["heard"] += 1
    return counts


def _feedback(
    db: sqlite3.Connection,
    pk: int,
    source: str,
    text: str,
    category: str,
    person: int | None,
    heard_by: int | None,
    heard_at: str,
    score: int | None = None,
    thumbs: bool | None = None,
) -> None:
    sentiment = "neutral" if score is None else ("positive" if score >= 9 else "negative")
    db.execute(
        "INSERT INTO feedback_feedback (id, source, text, category, sentiment, person_id,"
        " heard_by_id, heard_at, score, thumbs_up, status, action, bought, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', '', '', ?)",
        (pk, source, text, category, sentiment, person, heard_by, heard_at, score, thumbs,
         heard_at),
    )  # fmt: skip


def prepare(n: int) -> tuple[Path, dict[str, Any]]:
    """The journey data set with a year of feedback (added once); its folder and what it holds."""
    work = REPO / "var" / "bench" / f"journey-{n}"
    env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(work / "data")}
    env.pop("GOODWILL_DATABASE_URL", None)
    info = build(work, n, env)
    done = work / "feedback.json"
    if done.exists():
        return work, info | json.loads(done.read_text())
    owner = _owner(env)
    db = sqlite3.connect(work / "data" / "goodwill.sqlite3")
    with db:
        counts = _feedback_rows(db, owner, n)
    db.execute("ANALYZE")
    db.close()
    done.write_text(json.dumps(counts))
    return work, info | counts


def measure_feedback_pages(n: int, repeat: int = 20) -> dict[str, Any]:
    """p50/p95 of the inbox, the scores page and the follow-ups page over HTTP."""
    work, info = prepare(n)
    env = dict(os.environ) | {"GOODWILL_DATA_DIR": str(work / "data")}
    env.pop("GOODWILL_DATABASE_URL", None)
    port = free_port()
    server = start_server(port, env, work / "serve-feedback.log")
    pages = {"inbox": "/feedback/", "scores": "/feedback/scores/", "followups": "/followups/"}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            login(client, "/login/", OWNER, PASSWORD)
            figures = {
                name: summary(timed_gets(client, [(path, {})] * repeat))
                for name, path in pages.items()
            }
    finally:
        stop_server(server)
    return info | {"pages": figures, "target_ms": TARGET_MS}


if __name__ == "__main__":
    print(
        json.dumps(measure_feedback_pages(int(sys.argv[1]) if sys.argv[1:] else 100_000), indent=2)
    )  # noqa: T201
