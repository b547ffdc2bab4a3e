"""The worker's loop: reap, run due jobs, claim a batch, send it, and wait for more.

Step by step:

1. At start, leases that expired (a worker that died) are reaped and every registered job gets
   its bookkeeping row.
2. Each turn, due scheduled jobs run (at most one check a second), then up to ``batch`` due
   messages are claimed and sent, one connection for the batch.
3. With nothing due, the worker sleeps ``poll`` seconds, or until a message is queued in this
   process (``MESSAGE_QUEUED``) or it is asked to stop.
4. ``stop()`` (SIGTERM/SIGINT in ``goodwill worker``; shutdown in ``goodwill serve``) lets the
   message being sent finish and be recorded, gives the rest of the batch back, and returns.

A database error in one turn is logged and the next turn starts after ``poll``: the loop itself
only ends when asked.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from django.db import close_old_connections, connection
from django.utils import timezone

from goodwill.outreach.schedule import runner
from goodwill.outreach.services.outbox import MESSAGE_QUEUED
from goodwill.outreach.worker.claim import claim
from goodwill.outreach.worker.config import WorkerConfig
from goodwill.outreach.worker.reap import reap
from goodwill.outreach.worker.send import deliver

log = logging.getLogger("goodwill.worker")

WAKE_EVERY = 0.25  # seconds: how soon an idle worker notices a stop asked by a signal
SCHEDULE_EVERY = 1.0  # seconds between two looks at the schedule
REFRESH_EVERY = 60.0  # seconds between two re-readings of wall-clock jobs' settings


class StopFlag:
    """A stop request. Setting it takes no lock, so a signal handler may set it at any moment
    (an ``Event`` set from a handler can deadlock on the lock its own thread holds)."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, waking early when set."""
        end = time.monotonic() + seconds
        while not self._set and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, WAKE_EVERY))


class Worker:
    """One worker: ``run()`` loops until ``stop()`` (or, with ``stop_when_idle``, until nothing
    is due); ``counts`` says how each message it handled ended."""

    def __init__(
        self,
        config: WorkerConfig | None = None,
        *,
        stop_when_idle: bool = False,
        schedule: bool = True,
    ) -> None:
        self.config = config or WorkerConfig()
        self.stop_when_idle = stop_when_idle
        self.schedule = schedule
        self.stopping = StopFlag()
        self.counts: Counter[str] = Counter()
        self.jobs_run: Counter[str] = Counter()
        self._schedule_checked = 0.0
        self._schedule_refreshed = 0.0
        self.thread: threading.Thread | None = None
        self._started = False

    def start(self) -> None:
        """Run in a daemon thread of this process (``goodwill serve``)."""
        self.thread = threading.Thread(target=self.run, name="goodwill-worker", daemon=True)
        self.thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread started by ``start()`` to end."""
        if self.thread is not None:
            self.thread.join(timeout)

    def stop(self) -> None:
        """Finish the message being sent, give the rest back, and leave ``run()`` (from another
        thread; a signal handler calls ``request_stop``)."""
        self.stopping.set()
        MESSAGE_QUEUED.set()

    def request_stop(self) -> None:
        """``stop`` for signal handlers: only a flag, noticed within ``WAKE_EVERY`` seconds."""
        self.stopping.set()

    def run(self) -> Counter[str]:
        """Work until stopped; returns ``counts``."""
        _load_jobs()
        try:
            while not self.stopping.is_set():
                busy = self._turn()
                if self.stopping.is_set():
                    break
                if not busy:
                    if self.stop_when_idle:
                        break
                    self._wait()
        finally:
            _disconnect()
        return self.counts

    def _start(self) -> None:
        now = timezone.now()
        reaped = reap(self.config, now=now)
        if reaped:
            log.warning("Reaped %d message(s) whose worker had stopped while sending.", reaped)
        if self.schedule:
            runner.ensure_rows(now=now)

    def _turn(self) -> bool:
        """One pass; True when it found messages to send (so there may be more)."""
        try:
            if not self._started:
                self._start()
                self._started = True
            self._run_jobs()
            batch = claim(self.config)
            if batch:
                self.counts.update(deliver(batch, self.config, self.stopping))
            return bool(batch)
        except Exception:
            # The database went away, a deadlock, a bug: say so, reconnect, try again later.
            log.exception("The worker's turn failed; trying again in %s s.", self.config.poll)
            _disconnect()
            self.stopping.wait(self.config.poll)
            return False

    def _run_jobs(self) -> None:
        if not self.schedule or time.monotonic() - self._schedule_checked < SCHEDULE_EVERY:
            return
        self._schedule_checked = time.monotonic()
        if self._schedule_checked - self._schedule_refreshed >= REFRESH_EVERY:
            self._schedule_refreshed = self._schedule_checked
            runner.refresh()
        for name in runner.run_due(owner=self.config.name, lease=self.config.job_lease):
            self.jobs_run[name] += 1

    def _wait(self) -> None:
        end = time.monotonic() + self.config.poll
        while not self.stopping.is_set() and (left := end - time.monotonic()) > 0:
            if MESSAGE_QUEUED.wait(min(left, WAKE_EVERY)):
                break
        MESSAGE_QUEUED.clear()
        if not connection.in_atomic_block:
            close_old_connections()


def _load_jobs() -> None:
    """Import every job module (they register themselves); a broken one is logged, and the
    worker goes on sending mail (the status page then shows the job as never run or overdue)."""
    try:
        import goodwill.outreach.jobs  # noqa: F401
    except Exception:
        log.exception("The scheduled jobs could not be loaded.")


def _disconnect() -> None:
    """Drop this thread's database connection (not inside a test's transaction)."""
    if not connection.in_atomic_block:
        connection.close()


def run(
    *,
    name: str = "",
    stop_when_idle: bool = False,
    schedule: bool = True,
    batch: int | None = None,
    poll: float | None = None,
    lease_seconds: float | None = None,
) -> Counter[str]:
    """Run a worker in this thread (``goodwill worker``, the bench) until idle or stopped;
    returns counts by the state each message ended in."""
    config = WorkerConfig.build(name=name, batch=batch, poll=poll, lease_seconds=lease_seconds)
    return Worker(config, stop_when_idle=stop_when_idle, schedule=schedule).run()
