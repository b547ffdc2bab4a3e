"""The reaper: rows whose worker died (its lease expired while sending) go back to the queue.

The attempt may or may not have reached the server, so the message may be sent twice; a
duplicate carries the same Message-ID, which lets mail clients fold it away. A message that
keeps killing its worker stops after the maximum number of attempts.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.worker.config import WorkerConfig

State = OutboxMessage.State


def reap(config: WorkerConfig | None = None, *, now: dt.datetime | None = None) -> int:
    """Requeue (or fail, past the maximum attempts) every ``sending`` row whose lease expired;
    returns how many rows changed."""
    config = config or WorkerConfig(name="reaper")
    now = now or timezone.now()
    expired = OutboxMessage.objects.filter(state=State.SENDING, lease_expires_at__lt=now)
    released = {"lease_owner": "", "lease_expires_at": None, "updated_at": now}
    with transaction.atomic():
        failed = expired.filter(attempts__gte=config.max_attempts).update(
            state=State.FAILED,
            next_attempt_at=None,
            last_error=_("The worker stopped while sending, %(n)d times.")
            % {"n": config.max_attempts},
            **released,
        )
        requeued = expired.update(
            state=State.QUEUED,
            next_attempt_at=now,
            last_error=_("The worker stopped while sending; queued again."),
            **released,
        )
    return failed + requeued
