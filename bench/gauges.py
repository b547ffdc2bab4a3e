"""Occasion and outbox measurements for ``make bench``: today's agenda (selector, page, API), a
user's calendar feed, and the worker's sending rate to an SMTP sink on loopback."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKER_MESSAGES = 4000


def agenda_dates(k: int) -> list[dt.date]:
    """``k`` days spread over a year (New Year and 29 February included)."""
    start = dt.date(2027, 1, 1)
    days = [start + dt.timedelta(days=(i * 367) // max(1, k)) for i in range(k)]
    return [*days[: k - 3], dt.date(2026, 12, 30), dt.date(2028, 2, 27), dt.date(2027, 2, 28)]


def measure_agenda_selector(dates: list[dt.date]) -> dict[str, Any]:
    from measure import summary, timed_calls

    from goodwill.occasions.selectors.agenda import agenda

    calls = [lambda d=d: agenda(user=None, date=d) for d in dates]
    timed_calls(calls[:3])
    return summary(timed_calls(calls))


def feed_and_api_tokens(owner_email: str) -> tuple[str, str]:
    """A fresh calendar-feed token and API token for the bench owner."""
    from goodwill.accounts.models import User
    from goodwill.accounts.services import token_create
    from goodwill.occasions.services.feeds import calendar_feed_create

    owner = User.objects.get(email=owner_email)
    _feed, feed_token = calendar_feed_create(actor=owner, user=owner)
    _token, api_token = token_create(actor=owner, user=owner, name="bench")
    return feed_token, api_token


def measure_agenda_http(client: Any, dates: list[dt.date], api_token: str) -> dict[str, Any]:
    from measure import summary, timed_gets

    pages = [("/today/", {"date": d.isoformat()}) for d in dates]
    api = [("/api/v1/agenda", {"date": d.isoformat()}) for d in dates]
    results = {"agenda_page": summary(timed_gets(client, pages))}
    client.headers["Authorization"] = f"Bearer {api_token}"
    try:
        results["agenda_api"] = summary(timed_gets(client, api))
    finally:
        del client.headers["Authorization"]
    return results


def measure_feed_http(client: Any, feed_token: str, k: int = 10) -> dict[str, Any]:
    from measure import summary, timed_gets

    feed = [(f"/calendar/{feed_token}.ics", {})] * k
    response = client.get(feed[0][0])
    events = response.text.count("BEGIN:VEVENT")
    return {"calendar_feed": summary(timed_gets(client, feed)), "feed_events": events}


def _enqueue(n: int) -> None:
    from goodwill.outreach.services.outbox import message_enqueue

    run = f"{time.time_ns()}"
    for i in range(n):
        message_enqueue(
            actor=None,
            kind="internal",
            recipients=[f"bench-{i}@example.com"],
            subject=f"Bench message {i}",
            body_text="A benchmark message.\n" * 20,
            idempotency_key=f"bench:{run}:{i}",
        )


def measure_worker(
    env: dict[str, str], workers: int = 2, n: int = WORKER_MESSAGES
) -> dict[str, Any]:
    """Queue ``n`` messages, start an SMTP sink and ``workers`` worker processes; the rate is
    messages over the seconds from the first to the last message the sink received."""
    from measure import free_port

    start = time.perf_counter()
    _enqueue(n)
    enqueue_s = time.perf_counter() - start
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, str(HERE / "smtp_sink.py"), str(port), str(n)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None
    assert sink.stdout.readline().strip() == "ready"
    worker_env = env | {"GOODWILL_EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    goodwill = str(Path(sys.executable).with_name("goodwill"))
    procs = [
        subprocess.Popen(
            [goodwill, "worker", "--once", "--batch", "100", "--name", f"bench-{i}"],
            env=worker_env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(workers)
    ]
    try:
        line = sink.stdout.readline()
        result = json.loads(line)
    finally:
        for proc in procs:
            proc.wait(timeout=120)
        sink.kill()
    seconds = max(result["seconds"], 1e-9)
    return {
        "workers": workers,
        "messages": n,
        "received": result["received"],
        "duplicates": result["received"] - result["distinct"],
        "seconds": seconds,
        "per_second": round(result["received"] / seconds),
        "enqueue_per_second": round(n / enqueue_s),
    }


def server_env(base: dict[str, str]) -> dict[str, str]:
    """The environment of a worker process: the server's, with the console backend off."""
    env = {k: v for k, v in base.items() if k != "GOODWILL_EMAIL_BACKEND"}
    return env | {"PATH": os.environ.get("PATH", "")}
