"""The schedule: cadences (every, daily at a local time through DST), job bookkeeping, one
worker per job at a time, errors recorded, and missed runs run once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from goodwill.outreach.models import OutboxMessage, ScheduledJob
from goodwill.outreach.schedule import registry, runner
from goodwill.outreach.schedule.registry import Job, daily_at, every
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.worker import Worker, WorkerConfig
from goodwill.outreach.worker.claim import claim

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
LEASE = dt.timedelta(minutes=10)


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def _at(hour: int, minute: int = 0, zone: dt.tzinfo = BERLIN) -> registry.NextAfter:
    return daily_at(lambda: dt.time(hour, minute), lambda: zone)


class Calls:
    """A job body that remembers when it ran and can be told to fail."""

    def __init__(self) -> None:
        self.runs: list[dt.datetime] = []
        self.error: Exception | None = None

    def __call__(self, now: dt.datetime) -> None:
        self.runs.append(now)
        if self.error is not None:
            raise self.error


@pytest.fixture
def calls() -> Iterator[Calls]:
    """A registered job "test.job" that runs every hour."""
    body = Calls()
    registry.register(
        Job(name="test.job", description="A test job.", run=body, next_after=every(3600))
    )
    yield body
    registry.unregister("test.job")


def _row(**changes: Any) -> ScheduledJob:
    runner.ensure_rows()
    if changes:
        ScheduledJob.objects.filter(name="test.job").update(**changes)
    return ScheduledJob.objects.get(name="test.job")


# Cadences


def test_every_runs_a_fixed_interval_after_now() -> None:
    assert every(60)(_utc(2026, 11, 23, 7, 0)) == _utc(2026, 11, 23, 7, 1)


def test_daily_at_is_later_today_or_else_tomorrow_and_always_strictly_after() -> None:
    at_0730 = _at(7, 30)
    assert at_0730(_utc(2026, 11, 23, 5, 0)) == _utc(2026, 11, 23, 6, 30)  # CET = UTC+1
    assert at_0730(_utc(2026, 11, 23, 6, 30)) == _utc(2026, 11, 24, 6, 30)
    assert at_0730(_utc(2026, 11, 23, 9, 0)) == _utc(2026, 11, 24, 6, 30)


def test_daily_at_keeps_the_local_wall_time_across_dst_changes() -> None:
    at_0730 = _at(7, 30)
    assert at_0730(_utc(2026, 3, 28, 12, 0)) == _utc(2026, 3, 29, 5, 30)  # CEST from today
    assert at_0730(_utc(2026, 10, 24, 12, 0)) == _utc(2026, 10, 25, 6, 30)  # CET again


def test_daily_at_a_time_the_clocks_skip_runs_an_hour_later_that_day() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026: it runs at 03:30 CEST.
    next_run = _at(2, 30)(_utc(2026, 3, 28, 12, 0))
    assert next_run == _utc(2026, 3, 29, 1, 30)
    assert next_run.astimezone(BERLIN).time() == dt.time(3, 30)


def test_daily_at_a_time_that_happens_twice_runs_once_at_the_first() -> None:
    at_0230 = _at(2, 30)
    first = at_0230(_utc(2026, 10, 24, 12, 0))
    assert first == _utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    assert at_0230(first) == _utc(2026, 10, 26, 1, 30)  # not 02:30 CET an hour later


def test_daily_at_reads_the_time_and_zone_at_each_call() -> None:
    setting = {"time": dt.time(7, 30), "zone": BERLIN}
    next_after = daily_at(lambda: setting["time"], lambda: setting["zone"])
    now = _utc(2026, 11, 23, 0, 0)
    assert next_after(now) == _utc(2026, 11, 23, 6, 30)
    setting["time"], setting["zone"] = dt.time(8, 0), ZoneInfo("America/New_York")
    assert next_after(now) == _utc(2026, 11, 23, 13, 0)


# Registry


def test_jobs_are_listed_by_name_with_their_description(calls: Calls) -> None:
    import goodwill.outreach.jobs  # noqa: F401

    names = [job.name for job in registry.jobs()]
    assert names == sorted(names)
    assert {"outbox.reap", "test.job"} <= set(names)
    reaper = registry.job_get("outbox.reap")
    assert reaper is not None
    assert (
        reaper.description == "Put messages whose worker stopped while sending back in the queue."
    )


# Running


def test_a_new_job_gets_a_row_due_at_its_first_time(calls: Calls, db: None) -> None:
    now = timezone.now()
    assert runner.ensure_rows(now=now) >= 1
    row = ScheduledJob.objects.get(name="test.job")
    assert row.next_run_at == now + dt.timedelta(hours=1)
    assert (row.last_run_at, row.runs, row.last_error) == (None, 0, "")
    assert runner.ensure_rows(now=now + dt.timedelta(days=1)) == 0
    row.refresh_from_db()
    assert row.next_run_at == now + dt.timedelta(hours=1)


def test_a_due_job_runs_once_and_its_run_is_recorded(calls: Calls, db: None) -> None:
    _row(next_run_at=timezone.now() - dt.timedelta(minutes=1))
    now = timezone.now()
    assert runner.run_due(owner="w1", lease=LEASE, now=now) == {"test.job": ""}
    assert runner.run_due(owner="w1", lease=LEASE, now=now) == {}
    assert calls.runs == [now]
    row = ScheduledJob.objects.get(name="test.job")
    assert row.runs == 1
    assert row.last_run_at == now
    assert row.last_finished_at >= now
    assert row.last_duration_ms >= 0
    assert row.next_run_at == row.last_finished_at + dt.timedelta(hours=1)
    assert (row.lease_owner, row.lease_expires_at, row.last_error) == ("", None, "")


def test_a_job_that_is_not_due_does_not_run(calls: Calls, db: None) -> None:
    _row()
    assert runner.run_due(owner="w1", lease=LEASE) == {}
    assert calls.runs == []


def test_a_failing_job_records_its_error_and_is_scheduled_again(calls: Calls, db: None) -> None:
    calls.error = ValueError("the agenda is on fire")
    _row(next_run_at=timezone.now())
    assert runner.run_due(owner="w1", lease=LEASE) == {
        "test.job": "ValueError: the agenda is on fire"
    }
    row = ScheduledJob.objects.get(name="test.job")
    assert row.last_error == "ValueError: the agenda is on fire"
    assert row.last_error_at == row.last_finished_at
    assert row.next_run_at == row.last_finished_at + dt.timedelta(hours=1)
    assert row.runs == 1
    failed_at = row.last_error_at
    # The next run succeeds: the error is cleared, the time of the last failure stays.
    calls.error = None
    ScheduledJob.objects.filter(pk=row.pk).update(next_run_at=timezone.now())
    assert runner.run_due(owner="w1", lease=LEASE) == {"test.job": ""}
    row.refresh_from_db()
    assert (row.last_error, row.last_error_at, row.runs) == ("", failed_at, 2)


def test_a_job_running_on_another_worker_is_not_started_again(calls: Calls, db: None) -> None:
    now = timezone.now()
    _row(next_run_at=now, lease_owner="w2", lease_expires_at=now + LEASE)
    assert runner.run_due(owner="w1", lease=LEASE, now=now) == {}
    assert calls.runs == []
    # Its worker died: once the lease has expired, another worker runs it.
    later = now + LEASE + dt.timedelta(seconds=1)
    assert runner.run_due(owner="w1", lease=LEASE, now=later)["test.job"] == ""
    assert calls.runs == [later]


def test_a_row_without_a_registered_job_is_left_alone(db: None) -> None:
    ScheduledJob.objects.create(name="retired.job", next_run_at=timezone.now())
    runner.run_due(owner="w1", lease=LEASE)
    row = ScheduledJob.objects.get(name="retired.job")
    assert (row.runs, row.last_run_at) == (0, None)


def test_a_daily_job_missed_for_five_days_runs_once_then_waits_for_tomorrow(db: None) -> None:
    body = Calls()
    registry.register(
        Job(name="test.daily", description="Daily.", run=body, next_after=_at(7, 30, UTC))
    )
    try:
        now = timezone.now()
        ScheduledJob.objects.create(name="test.daily", next_run_at=now - dt.timedelta(days=5))
        config = WorkerConfig(name="laptop", poll=0.01)
        Worker(config, stop_when_idle=True).run()
        Worker(config, stop_when_idle=True).run()
        assert len(body.runs) == 1
        row = ScheduledJob.objects.get(name="test.daily")
        assert row.runs == 1
        assert now < row.next_run_at <= now + dt.timedelta(days=1)
        assert row.next_run_at.time() == dt.time(7, 30)
    finally:
        registry.unregister("test.daily")


def test_the_reaper_job_requeues_messages_of_a_dead_worker(db: None) -> None:
    import goodwill.outreach.jobs  # noqa: F401

    message = message_enqueue(
        actor=None,
        kind=OutboxMessage.Kind.INTERNAL,
        recipients=["anne@example.com"],
        subject="Agenda",
        body_text="Nothing today.",
        idempotency_key="reap-me",
    )
    claim(WorkerConfig(name="dead", lease_seconds=1))
    reaper = registry.job_get("outbox.reap")
    assert reaper is not None
    reaper.run(timezone.now() + dt.timedelta(seconds=5))
    message.refresh_from_db()
    assert (message.state, message.lease_owner) == (OutboxMessage.State.QUEUED, "")
    assert reaper.next_after(_utc(2026, 1, 1, 0, 0)) == _utc(2026, 1, 1, 0, 1)


def test_moving_a_daily_time_moves_the_next_run_but_not_an_interval_job(
    calls: Calls, db: None
) -> None:
    at = [dt.time(7, 30)]
    registry.register(
        Job(
            name="test.digest",
            description="Daily.",
            run=Calls(),
            next_after=daily_at(lambda: at[0], lambda: UTC),
        )
    )
    try:
        six = _utc(2026, 11, 23, 6, 0)
        runner.ensure_rows(now=six)
        hourly = ScheduledJob.objects.get(name="test.job").next_run_at
        at[0] = dt.time(9, 0)  # the owner moves the digest

        assert runner.refresh(now=six + dt.timedelta(minutes=5)) == ["test.digest"]

        assert ScheduledJob.objects.get(name="test.digest").next_run_at == _utc(2026, 11, 23, 9)
        assert ScheduledJob.objects.get(name="test.job").next_run_at == hourly
        assert runner.refresh(now=six + dt.timedelta(minutes=6)) == []  # nothing left to move
    finally:
        registry.unregister("test.digest")
