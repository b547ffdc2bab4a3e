"""Running the schedule: each registered job has a row; due rows are leased, run and recorded.

A job is due when ``next_run_at <= now``. A worker takes it with a conditional update that only
succeeds when no other worker holds a live lease on it, so one worker runs a job at a time. The
next run is asked of the job's cadence from the moment the run finished, never from the missed
time: a laptop that was off for five days runs a missed daily job once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db.models import F, Q
from django.utils import timezone

from goodwill.outreach.models import ScheduledJob
from goodwill.outreach.schedule.registry import Job, anchored, jobs

log = logging.getLogger("goodwill.schedule")

ERROR_CHARS = 2000


def ensure_rows(*, now: dt.datetime | None = None) -> int:
    """Create the bookkeeping row of every registered job that has none (first run at the
    job's next time after now); returns how many were created."""
    now = now or timezone.now()
    have = set(ScheduledJob.objects.values_list("name", flat=True))
    missing = [
        ScheduledJob(name=job.name, next_run_at=job.next_after(now))
        for job in jobs()
        if job.name not in have
    ]
    ScheduledJob.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _take(job: Job, *, owner: str, now: dt.datetime, lease: dt.timedelta) -> bool:
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    return (
        ScheduledJob.objects.filter(free, name=job.name, next_run_at__lte=now).update(
            lease_owner=owner, lease_expires_at=now + lease, last_run_at=now
        )
        == 1
    )


def run_job(job: Job, *, owner: str, started: dt.datetime) -> str:
    """Run one leased job and record how it went; returns "" or the error ("Type: message")."""
    clock = time.monotonic()
    error = ""
    try:
        job.run(started)
    except Exception as exc:  # a failing job is recorded and rescheduled, never fatal
        log.exception("Scheduled job %s failed.", job.name)
        error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
    finished = timezone.now()
    changes: dict[str, object] = {
        "last_finished_at": finished,
        "last_duration_ms": int((time.monotonic() - clock) * 1000),
        "runs": F("runs") + 1,
        "next_run_at": job.next_after(finished),
        "lease_owner": "",
        "lease_expires_at": None,
        "last_error": error,
    }
    if error:
        changes["last_error_at"] = finished
    ScheduledJob.objects.filter(name=job.name, lease_owner=owner).update(**changes)
    return error


def refresh(*, now: dt.datetime | None = None) -> list[str]:
    """Move the next run of wall-clock jobs (``daily_at``) that are not due yet to what their
    settings say now — an owner who moves the digest from 07:30 to 09:00 gets it at 09:00
    today, not after one more 07:30; returns the names moved."""
    now = now or timezone.now()
    moved = []
    for job in jobs():
        if not anchored(job):
            continue
        wanted = job.next_after(now)
        free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
        rows = ScheduledJob.objects.filter(free, name=job.name, next_run_at__gt=now)
        if rows.exclude(next_run_at=wanted).update(next_run_at=wanted):
            moved.append(job.name)
    return moved


def run_soon(name: str, *, now: dt.datetime | None = None) -> bool:
    """Make job ``name`` due now (work was just queued for it), so that a worker runs it within
    a second instead of at its next time; False when it was due already or has no row yet."""
    now = now or timezone.now()
    return ScheduledJob.objects.filter(name=name, next_run_at__gt=now).update(next_run_at=now) == 1


def run_due(*, owner: str, lease: dt.timedelta, now: dt.datetime | None = None) -> dict[str, str]:
    """Run every registered job that is due and not running elsewhere; returns
    ``{name: error or ""}`` for the jobs this call ran."""
    now = now or timezone.now()
    registered = {job.name: job for job in jobs()}
    due = ScheduledJob.objects.filter(name__in=registered, next_run_at__lte=now).filter(
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    )
    ran: dict[str, str] = {}
    for name in due.order_by("next_run_at", "name").values_list("name", flat=True):
        job = registered[name]
        if _take(job, owner=owner, now=now, lease=lease):
            ran[name] = run_job(job, owner=owner, started=now)
    return ran
