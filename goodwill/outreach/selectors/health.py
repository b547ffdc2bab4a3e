"""Health of the background work: outbox depth, the oldest queued message, each scheduled job's
last and next run, and which jobs are overdue. No secrets: no addresses, subjects or tokens."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.core.errors import NotFound
from goodwill.outreach import jobs as _jobs  # noqa: F401 (the jobs register themselves)
from goodwill.outreach.models import OutboxMessage, ScheduledJob
from goodwill.outreach.schedule.registry import Job, jobs

OVERDUE_AFTER = dt.timedelta(hours=1)
ERROR_CHARS = 200
EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+")


@dataclass(frozen=True)
class JobHealth:
    """One registered job: its bookkeeping row's facts; ``never_run`` when it has no row yet."""

    name: str
    description: str
    last_run_at: dt.datetime | None
    next_run_at: dt.datetime | None
    last_error: str
    last_error_at: dt.datetime | None
    never_run: bool
    overdue: bool


@dataclass(frozen=True)
class Health:
    """Everything /healthz and the status page show; ``status`` is "warning" when a job is
    overdue by more than an hour, else "ok"."""

    checked_at: dt.datetime
    outbox: dict[str, int]
    oldest_queued_at: dt.datetime | None
    jobs: list[JobHealth]

    @property
    def overdue_jobs(self) -> list[JobHealth]:
        return [job for job in self.jobs if job.overdue]

    @property
    def status(self) -> str:
        return "warning" if self.overdue_jobs else "ok"

    @property
    def oldest_queued_age_s(self) -> int | None:
        if self.oldest_queued_at is None:
            return None
        return max(0, int((self.checked_at - self.oldest_queued_at).total_seconds()))

    def as_dict(self) -> dict[str, Any]:
        """The JSON of /healthz."""
        return {
            "status": self.status,
            "checked_at": _iso(self.checked_at),
            "outbox": self.outbox,
            "oldest_queued": None
            if self.oldest_queued_at is None
            else {"created_at": _iso(self.oldest_queued_at), "age_s": self.oldest_queued_age_s},
            "jobs": [
                {
                    "name": job.name,
                    "description": job.description,
                    "last_run_at": _iso(job.last_run_at),
                    "next_run_at": _iso(job.next_run_at),
                    "last_error": job.last_error,
                    "last_error_at": _iso(job.last_error_at),
                    "never_run": job.never_run,
                    "overdue": job.overdue,
                }
                for job in self.jobs
            ],
            "overdue_jobs": [job.name for job in self.overdue_jobs],
        }


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def safe_error(text: str) -> str:
    """The first line of a job's error, at most 200 characters, email addresses masked."""
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return EMAIL_RE.sub("[email]", first)[:ERROR_CHARS]


def registered_jobs() -> list[Job]:
    """The jobs of the schedule registry, after the job modules registered themselves."""
    return list(jobs())


def outbox_depth() -> dict[str, int]:
    """Messages per state (every state listed, zeros included): one GROUP BY over the state
    index."""
    counts = dict.fromkeys(OutboxMessage.State.values, 0)
    rows = OutboxMessage.objects.order_by().values_list("state").annotate(n=Count("id"))
    for state, n in rows:
        counts[state] = n
    return counts


def _first_user_joined() -> dt.datetime | None:
    return User.objects.order_by("date_joined").values_list("date_joined", flat=True).first()


def _never_run_overdue(now: dt.datetime, first_joined: dt.datetime | None) -> bool:
    # A job with no row has never run: overdue once the team has existed for an hour, so a
    # business that never started a worker hears about it.
    return first_joined is not None and first_joined < now - OVERDUE_AFTER


def jobs_health(now: dt.datetime, registered: list[Job]) -> list[JobHealth]:
    """Each registered job with its row (one query on the small schedule table); rows of jobs
    that are no longer registered are left out."""
    rows = {row.name: row for row in ScheduledJob.objects.order_by()}
    missing = any(job.name not in rows for job in registered)
    first_joined = _first_user_joined() if missing else None
    result = []
    for job in registered:
        row = rows.get(job.name)
        if row is None:
            result.append(
                JobHealth(
                    name=job.name,
                    description=str(job.description),
                    last_run_at=None,
                    next_run_at=None,
                    last_error="",
                    last_error_at=None,
                    never_run=True,
                    overdue=_never_run_overdue(now, first_joined),
                )
            )
            continue
        result.append(
            JobHealth(
                name=job.name,
                description=str(job.description),
                last_run_at=row.last_run_at,
                next_run_at=row.next_run_at,
                last_error=safe_error(row.last_error),
                last_error_at=row.last_error_at,
                never_run=row.last_run_at is None,
                overdue=row.next_run_at < now - OVERDUE_AFTER,
            )
        )
    return result


def health(now: dt.datetime | None = None) -> Health:
    """The outbox and schedule health at ``now`` (default: the current time)."""
    now = now or timezone.now()
    oldest = (
        OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return Health(
        checked_at=now,
        outbox=outbox_depth(),
        oldest_queued_at=oldest,
        jobs=jobs_health(now, registered_jobs()),
    )


def overdue_job_names(now: dt.datetime, user: User) -> list[str]:
    """The registered jobs overdue by more than an hour, for the owners' banner: exactly one
    query, on the small schedule table. A job that never ran counts once the viewing owner has
    existed for an hour (a lower bound of the team's age: the status page is exact)."""
    registered = registered_jobs()
    if not registered:
        return []
    rows = dict(ScheduledJob.objects.order_by().values_list("name", "next_run_at"))
    cutoff = now - OVERDUE_AFTER
    names = []
    for job in registered:
        next_run_at = rows.get(job.name)
        if next_run_at is None:
            late = _never_run_overdue(now, user.date_joined)
        else:
            late = next_run_at < cutoff
        if late:
            names.append(job.name)
    return names


def outbox_problems(limit: int = 20) -> list[OutboxMessage]:
    """The latest failed and held messages, newest first (over the (state, created_at) index)."""
    rows = OutboxMessage.objects.filter(
        state__in=[OutboxMessage.State.FAILED, OutboxMessage.State.HELD]
    ).order_by("-created_at", "-id")
    return list(rows[:limit])


def outbox_message_get(*, id: int) -> OutboxMessage:
    """One outbox message for the status page's actions; NotFound when there is none."""
    message = OutboxMessage.objects.filter(pk=id).first()
    if message is None:
        raise NotFound(_("No such message."))
    return message
