"""The worker: claims with leases, results guarded by the lease, the reaper, stopping, and real
worker processes side by side, killed, and asked to stop."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from goodwill.core.testing import wait_for
from goodwill.outreach.channels.email import Outcome, Result
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.tests.smtp_sink import Sink, free_port, sink_fixture  # noqa: F401
from goodwill.outreach.worker import Worker, WorkerConfig
from goodwill.outreach.worker.claim import claim
from goodwill.outreach.worker.reap import reap
from goodwill.outreach.worker.record import record
from goodwill.outreach.worker.send import deliver

State = OutboxMessage.State
GOODWILL = [sys.executable, "-m", "goodwill"]
HELPER = str(Path(__file__).with_name("outbox_process.py"))


def _queue(n: int = 1, **overrides: Any) -> list[OutboxMessage]:
    return [
        message_enqueue(
            **{
                "actor": None,
                "kind": OutboxMessage.Kind.INTERNAL,
                "recipients": [f"staff{i}@example.com"],
                "subject": f"Your agenda {i}",
                "body_text": "Lily turns 7.",
                "idempotency_key": f"digest:{i}",
                **overrides,
            }
        )
        for i in range(n)
    ]


def _config(name: str = "w1", **overrides: Any) -> WorkerConfig:
    return WorkerConfig(name=name, **{"lease_seconds": 60, "batch": 10, **overrides})


# Claiming, recording, reaping (in this process)


def test_a_claim_leases_due_messages_to_one_worker(db: None) -> None:
    first, second, later = _queue(3)
    OutboxMessage.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    now = timezone.now()
    claimed = claim(_config("w1"), now=now)
    assert [m.pk for m in claimed] == [first.pk, second.pk]
    for message in claimed:
        assert message.state == State.SENDING
        assert message.lease_owner == "w1"
        assert message.lease_expires_at == now + dt.timedelta(seconds=60)
        assert message.attempts == 1
    assert claim(_config("w2")) == []
    later.refresh_from_db()
    assert later.state == State.QUEUED


def test_a_claim_takes_at_most_a_batch_oldest_due_first(db: None) -> None:
    messages = _queue(5)
    OutboxMessage.objects.filter(pk=messages[4].pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(hours=1)
    )
    claimed = claim(_config("w1", batch=2))
    assert [m.pk for m in claimed] == [messages[4].pk, messages[0].pk]
    assert [m.pk for m in claim(_config("w2", batch=10))] == [m.pk for m in messages[1:4]]


def test_a_result_is_not_recorded_over_another_workers_claim(db: None) -> None:
    (message,) = _queue()
    (mine,) = claim(_config("w1", lease_seconds=1))
    later = timezone.now() + dt.timedelta(seconds=5)
    reap(now=later)
    claim(_config("w2"), now=later)
    assert record(mine, Result(Outcome.FAILED, "550 late news"), _config("w1")) == "lost"
    message.refresh_from_db()
    assert message.state == State.SENDING
    assert message.lease_owner == "w2"
    assert message.last_error == "The worker stopped while sending; queued again."


def test_a_sent_message_whose_lease_was_reaped_is_still_marked_sent(db: None) -> None:
    (message,) = _queue()
    (mine,) = claim(_config("w1"))
    reap(now=timezone.now() + dt.timedelta(minutes=5))
    assert record(mine, Result(Outcome.SENT), _config("w1")) == State.SENT
    message.refresh_from_db()
    assert message.state == State.SENT


def test_the_reaper_requeues_expired_leases_only(db: None) -> None:
    expired, alive = _queue(2)
    claim(_config("dead", lease_seconds=1, batch=1))
    claim(_config("alive", lease_seconds=600, batch=1))
    now = timezone.now() + dt.timedelta(seconds=30)
    assert reap(now=now) == 1
    expired.refresh_from_db()
    alive.refresh_from_db()
    assert (expired.state, expired.lease_owner, expired.next_attempt_at) == (State.QUEUED, "", now)
    assert expired.attempts == 1
    assert (alive.state, alive.lease_owner) == (State.SENDING, "alive")


def test_the_reaper_fails_a_message_that_keeps_killing_its_worker(db: None) -> None:
    (message,) = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=14)
    claim(_config("dead", lease_seconds=1))
    assert reap(_config("reaper"), now=timezone.now() + dt.timedelta(seconds=30)) == 1
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.attempts == 15
    assert message.last_error == "The worker stopped while sending, 15 times."


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    config = WorkerConfig(name="w", backoff_base=30, backoff_cap=6 * 3600)
    for attempts, low, high in [(1, 15, 30), (2, 30, 60), (5, 240, 480), (40, 10800, 21600)]:
        for _ in range(20):
            assert low <= config.backoff(attempts).total_seconds() <= high


# The worker loop (in this process)


def test_the_development_backend_sends_with_the_stored_message_id(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (message,) = _queue()
    assert Worker(_config(), stop_when_idle=True, schedule=False).run() == {"sent": 1}
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert sent.to == ["staff0@example.com"]


def test_the_worker_command_once_sends_what_is_due_and_says_so(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _queue(2)
    handler = signal.getsignal(signal.SIGTERM)
    out = _call("worker", "--once", "--name", "cli", "--batch", "1")
    assert out.splitlines() == [
        "goodwill worker cli is running (SIGTERM or Ctrl+C stops it)",
        "goodwill worker cli stopped: 2 sent.",
    ]
    assert len(mail.outbox) == 2
    assert signal.getsignal(signal.SIGTERM) == handler


def test_the_worker_command_refuses_a_batch_of_zero(db: None) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("worker", "--once", "--batch", "0")
    assert caught.value.returncode == 2
    assert str(caught.value) == "batch: give at least 1."


def test_stopping_finishes_the_message_being_sent_and_gives_the_rest_back(
    sink: Sink, db: None
) -> None:
    sink.delay = 0.3
    messages = _queue(4)
    worker = Worker(_config(batch=4), schedule=False)
    _when(lambda: sink.started == 2, worker.stop)
    counts = worker.run()
    assert counts == {"sent": 2, "released": 2}
    states = dict(OutboxMessage.objects.values_list("pk", "state"))
    assert [states[m.pk] for m in messages] == [State.SENT, State.SENT, State.QUEUED, State.QUEUED]
    assert list(
        OutboxMessage.objects.filter(state=State.QUEUED).values_list("attempts", "lease_owner")
    ) == [(0, ""), (0, "")]
    assert len(sink.messages) == 2


def test_a_batch_that_outlives_half_its_lease_gives_the_rest_back(sink: Sink, db: None) -> None:
    sink.delay = 0.6
    _queue(3)
    config = _config(lease_seconds=1)
    assert deliver(claim(config), config) == {"sent": 1, "released": 2}
    assert sorted(OutboxMessage.objects.values_list("state", "attempts")) == [
        (State.QUEUED, 0),
        (State.QUEUED, 0),
        (State.SENT, 1),
    ]


def test_a_failing_turn_is_logged_and_the_worker_goes_on(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from goodwill.outreach.worker import loop

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _queue(1)
    calls = Counter[str]()

    def flaky_claim(config: WorkerConfig) -> list[OutboxMessage]:
        calls["claim"] += 1
        if calls["claim"] == 1:
            raise RuntimeError("database is having a moment")
        return claim(config)

    monkeypatch.setattr(loop, "claim", flaky_claim)
    worker = Worker(_config(poll=0.01), schedule=False)
    _when(lambda: len(mail.outbox) == 1, worker.stop)
    assert worker.run() == {"sent": 1}
    assert "The worker's turn failed" in caplog.text


# Real worker processes on one database


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A migrated SQLite file to copy for each test (None on PostgreSQL)."""
    if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return None
    folder = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_DATABASE")}
    env["GOODWILL_DATA_DIR"] = str(folder)
    subprocess.run([*GOODWILL, "migrate", "--skip-checks", "-v", "0"], env=env, check=True)
    return folder / "goodwill.sqlite3"


@pytest.fixture
def shared_db(tmp_path: Path, sink: Sink, migrated_sqlite: Path | None) -> dict[str, str]:
    """The environment of processes that share one database and send to ``sink``: a copy of
    the migrated SQLite file, or this test's PostgreSQL database (tests mark themselves
    ``transaction=True`` so that what those processes write is visible on both sides)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_DATABASE")}
    env |= {
        "GOODWILL_DATA_DIR": str(tmp_path),
        "GOODWILL_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "GOODWILL_EMAIL_TIMEOUT": "5",
    }
    if migrated_sqlite is not None:
        shutil.copy(migrated_sqlite, tmp_path / "goodwill.sqlite3")
    else:
        from django.db import connection

        db = connection.settings_dict
        env["GOODWILL_DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; any still running at its end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _seed(env: dict[str, str], count: int) -> None:
    subprocess.run([sys.executable, HELPER, "seed", str(count)], env=env, check=True)


def _report(env: dict[str, str]) -> list[dict[str, Any]]:
    """Each message's state, attempts and Message-ID, read straight from the shared database."""
    sql = "SELECT id, state, attempts, message_id FROM outreach_outboxmessage ORDER BY id"
    if "GOODWILL_DATABASE_URL" in env:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
    else:
        with closing(sqlite3.connect(Path(env["GOODWILL_DATA_DIR"]) / "goodwill.sqlite3")) as db:
            rows = db.execute(sql).fetchall()
    keys = ("id", "state", "attempts", "message_id")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _worker(
    processes: list[subprocess.Popen[str]], env: dict[str, str], *args: str
) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*GOODWILL, "worker", "--skip-checks", "--poll", "0.1", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    processes.append(process)
    return process


def _when(condition: Callable[[], bool], action: Callable[[], None]) -> None:
    """Run ``action`` in a thread as soon as ``condition`` holds (no database in there)."""

    def watch() -> None:
        wait_for(condition)
        action()

    threading.Thread(target=watch, daemon=True).start()


def _call(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_every_message_exactly_once(
    sink: Sink, shared_db: dict, processes: list
) -> None:
    sink.delay = 0.01
    _seed(shared_db, 120)
    workers = [
        _worker(processes, shared_db, "--once", "--batch", "5", "--name", name)
        for name in ("a", "b")
    ]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    rows = _report(shared_db)
    assert Counter(r["state"] for r in rows) == {State.SENT: 120}
    assert sink.message_ids() == {r["message_id"]: 1 for r in rows}
    assert all(" sent." in out for out in outputs), outputs  # both took part


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_duplicates_share_the_message_id(
    sink: Sink, shared_db: dict, processes: list
) -> None:
    sink.delay = 0.2
    _seed(shared_db, 12)
    victim = _worker(processes, shared_db, "--batch", "12", "--lease", "2")
    wait_for(lambda: sink.started >= 3)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    stuck = [r for r in _report(shared_db) if r["state"] == State.SENDING]
    assert len(stuck) >= 9  # the batch it held when it died
    sink.delay = 0
    time.sleep(2.1)  # the lease runs out
    restarted = _worker(processes, shared_db, "--once")
    assert restarted.wait(timeout=60) == 0, restarted.communicate()[0]
    rows = _report(shared_db)
    assert Counter(r["state"] for r in rows) == {State.SENT: 12}
    delivered = sink.message_ids()
    assert set(delivered) == {r["message_id"] for r in rows}  # each at least once
    assert sum(delivered.values()) - 12 <= 1  # only the one in flight can come twice


@pytest.mark.django_db(transaction=True)
def test_sigterm_finishes_the_current_message_and_exits_cleanly(
    sink: Sink, shared_db: dict, processes: list
) -> None:
    sink.delay = 0.5
    _seed(shared_db, 5)
    worker = _worker(processes, shared_db, "--batch", "5", "--name", "term")
    wait_for(lambda: sink.started == 2)
    worker.send_signal(signal.SIGTERM)
    out = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, out
    assert out.splitlines()[-1] == "goodwill worker term stopped: 3 released, 2 sent."
    rows = _report(shared_db)
    assert [r["state"] for r in rows] == [State.SENT] * 2 + [State.QUEUED] * 3
    assert [r["attempts"] for r in rows] == [1, 1, 0, 0, 0]
    assert len(sink.messages) == 2


@pytest.mark.django_db(transaction=True)
def test_serve_runs_a_worker_in_its_process_and_stops_it_on_sigterm(
    sink: Sink, shared_db: dict, processes: list
) -> None:
    _seed(shared_db, 3)
    server = subprocess.Popen(
        [*GOODWILL, "serve", "--skip-checks", "--port", str(free_port())],
        env=shared_db,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    processes.append(server)
    try:
        wait_for(lambda: len(sink.messages) == 3)
    finally:
        server.send_signal(signal.SIGTERM)
        out = server.communicate(timeout=30)[0]
    assert server.returncode == 0, out
    assert "A background worker runs in this process" in out
    assert Counter(r["state"] for r in _report(shared_db)) == {State.SENT: 3}
