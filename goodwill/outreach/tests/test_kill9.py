"""A 2,000-recipient campaign while the worker is killed with ``kill -9`` twenty times, at random
moments while it sends, and some recipients unsubscribe half-way: no message is lost, none
reaches someone who unsubscribed, and a message that arrives twice carries the same Message-ID
both times."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from goodwill.core.testing import wait_for
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.tests.smtp_sink import Sink, sink_fixture  # noqa: F401
from goodwill.outreach.tests.test_worker import (  # noqa: F401 - fixtures
    GOODWILL,
    migrated_sqlite,
    processes,
    shared_db,
)

State = OutboxMessage.State
HELPER = str(Path(__file__).with_name("kill9_worker.py"))
RECIPIENTS = 2_000
KILLS = 20
LEASE = "1"


def _helper(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, HELPER, *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _rows(env: dict[str, str]) -> list[dict[str, Any]]:
    """Every message as the workers left it, read straight from the shared database."""
    sql = (
        "SELECT id, person_id, state, message_id, recipients, last_error, attempts"
        " FROM outreach_outboxmessage ORDER BY id"
    )
    if "GOODWILL_DATABASE_URL" in env:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
    else:
        with closing(sqlite3.connect(Path(env["GOODWILL_DATA_DIR"]) / "goodwill.sqlite3")) as db:
            rows = db.execute(sql).fetchall()
    keys = ("id", "person_id", "state", "message_id", "recipients", "last_error", "attempts")
    found = [dict(zip(keys, row, strict=True)) for row in rows]
    for row in found:  # a JSON column: text on SQLite, a list on PostgreSQL
        recipients = row["recipients"]
        row["to"] = recipients[0] if isinstance(recipients, list) else recipients[2:-2]
    return found


def _start(started: list[subprocess.Popen[str]], env: dict[str, str], *args: str) -> Any:
    process = subprocess.Popen(
        [*GOODWILL, "worker", "--skip-checks", "--poll", "0.05", "--batch", "20"]
        + ["--lease", LEASE, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started.append(process)
    return process


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_kill_9_twenty_times_loses_nothing_and_never_writes_to_an_unsubscriber(
    sink: Sink,
    shared_db: dict[str, str],  # noqa: F811 - a fixture
    processes: list[Any],  # noqa: F811 - fixtures
) -> None:
    rnd = random.Random(9)  # noqa: S311 - random moments, not secrets
    assert _helper(shared_db, "seed", str(RECIPIENTS)).strip() == str(RECIPIENTS)
    unsubscribed: set[str] = set()
    for kill in range(KILLS):
        worker = _start(processes, shared_db)
        arrived = len(sink.messages)
        wait_for(lambda: len(sink.messages) > arrived, seconds=30)  # noqa: B023
        time.sleep(rnd.uniform(0, 0.15))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        if kill == KILLS // 2:  # half-way, 40 people still waiting press "unsubscribe"
            # Never claimed yet: a queued row that a killed worker had already sent (its lease
            # reaped since) went out before they pressed the button.
            waiting = [
                r for r in _rows(shared_db) if r["state"] == State.QUEUED and r["attempts"] == 0
            ]
            chosen = rnd.sample(waiting, 40)
            _helper(shared_db, "unsubscribe", *[str(r["person_id"]) for r in chosen])
            unsubscribed = {r["to"] for r in chosen}
    time.sleep(float(LEASE) + 0.1)  # the last victim's leases run out
    drain = _start(processes, shared_db, "--once")
    assert drain.wait(timeout=120) == 0

    rows = _rows(shared_db)
    assert Counter(r["state"] for r in rows) == {
        State.SENT: RECIPIENTS - 40,
        State.FAILED: 40,
    }
    refused = [r for r in rows if r["state"] == State.FAILED]
    assert {r["to"] for r in refused} == unsubscribed
    assert all(r["last_error"].startswith("Not sent: unsubscribed on ") for r in refused)
    delivered = sink.message_ids()
    assert set(delivered) == {r["message_id"] for r in rows if r["state"] == State.SENT}
    assert not any(set(m.rcpt_tos) & unsubscribed for m in sink.messages)
    # A duplicate is the same message again: same Message-ID, same recipient.
    to_of = {r["message_id"]: r["to"] for r in rows}
    assert all(m.rcpt_tos == [to_of[m.message_id]] for m in sink.messages)
    assert sum(delivered.values()) - len(delivered) <= KILLS  # at most the one in flight each time
