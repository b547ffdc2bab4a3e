"""The schedule's registry: which periodic jobs exist, what they do and when they run next.

A job registers itself when its module is imported (``goodwill.outreach.jobs`` imports them all);
its bookkeeping (last run, next run, last error) lives in a ``ScheduledJob`` row of the same name.
Cadences are functions ``next_after(now) -> datetime``: the next run strictly after ``now``, in
UTC. The runner always asks from the current time, so a job missed for days runs once, not once
per missed day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

NextAfter = Callable[[dt.datetime], dt.datetime]

UTC = dt.UTC


@dataclass(frozen=True)
class Job:
    """A periodic job: ``run(now)`` does the work; ``next_after(now)`` says when it runs next."""

    name: str
    description: str
    run: Callable[[dt.datetime], None]
    next_after: NextAfter


_jobs: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Add ``job`` to the schedule (a job of the same name is replaced); returns it."""
    if not job.name or len(job.name) > 64:
        raise ValueError("A job's name has 1 to 64 characters.")
    _jobs[job.name] = job
    return job


def unregister(name: str) -> None:
    """Remove a job from the schedule (tests); its bookkeeping row stays."""
    _jobs.pop(name, None)


def jobs() -> list[Job]:
    """Every registered job, by name."""
    return [_jobs[name] for name in sorted(_jobs)]


def job_get(name: str) -> Job | None:
    """The registered job called ``name``, or None."""
    return _jobs.get(name)


def every(seconds: float) -> NextAfter:
    """A cadence of a fixed interval: the next run ``seconds`` after now."""
    if seconds <= 0:
        raise ValueError("An interval is a positive number of seconds.")
    step = dt.timedelta(seconds=seconds)

    def next_after(now: dt.datetime) -> dt.datetime:
        return now.astimezone(UTC) + step

    return next_after


def _local(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """``day`` at ``at`` on the wall clock of ``zone``, as UTC.

    In the spring gap (02:30 does not exist that night) this is 03:30, the wall time an hour
    on; in the autumn overlap (01:30 happens twice) it is the first of the two.
    """
    wall = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    return wall.astimezone(UTC)


def daily_at(time_getter: Callable[[], dt.time], zone_getter: Callable[[], dt.tzinfo]) -> NextAfter:
    """A cadence of once a day at a local wall time; both are read at each call, so a change in
    the business settings applies from the next scheduling on."""

    def next_after(now: dt.datetime) -> dt.datetime:
        zone = zone_getter()
        at = time_getter()
        today = now.astimezone(zone).date()
        for offset in range(3):
            candidate = _local(today + dt.timedelta(days=offset), at, zone)
            if candidate > now:
                return candidate
        raise AssertionError("unreachable: a day later is always later")  # pragma: no cover

    next_after.anchored = True  # type: ignore[attr-defined]
    return next_after


def anchored(job: Job) -> bool:
    """Whether ``job`` runs at a wall-clock time read from settings (``daily_at``): its next
    run is re-read when the settings change."""
    return bool(getattr(job.next_after, "anchored", False))


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (a convenience for ``daily_at`` callers and tests)."""
    return ZoneInfo(name)
