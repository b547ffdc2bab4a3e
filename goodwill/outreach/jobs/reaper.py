"""The lease reaper as a scheduled job: every minute, messages of dead workers go back to the
queue."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from goodwill.outreach.schedule.registry import Job, every, register
from goodwill.outreach.worker.reap import reap


def run(now: dt.datetime) -> None:
    reap(now=now)


JOB = register(
    Job(
        name="outbox.reap",
        description=str(_("Put messages whose worker stopped while sending back in the queue.")),
        run=run,
        next_after=every(60),
    )
)
