"""Recording how each attempt ended, in its own short transaction, guarded by the lease.

A result is written only while the row is still this worker's (``state = 'sending'`` and
``lease_owner``), so a worker whose lease was reaped cannot overwrite another worker's claim.
One exception: a message that was sent but whose lease was reaped and not yet claimed again is
still marked sent, which spares its recipients a duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F, Q
from django.utils import timezone

from goodwill.outreach.channels.email import Outcome, Result
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.worker.config import WorkerConfig

State = OutboxMessage.State
log = logging.getLogger("goodwill.worker")

ERROR_CHARS = 2000


def _ours(message: OutboxMessage, config: WorkerConfig) -> Q:
    return Q(pk=message.pk, state=State.SENDING, lease_owner=config.name)


def record(
    message: OutboxMessage, result: Result, config: WorkerConfig, *, now: dt.datetime | None = None
) -> str:
    """Store ``result`` for ``message``; returns the state the row is now in (or "lost" when the
    lease had been taken away)."""
    now = now or timezone.now()
    released = {"lease_owner": "", "lease_expires_at": None, "updated_at": now}
    error = result.error[:ERROR_CHARS]
    if result.outcome is Outcome.SENT:
        state, changes = State.SENT, {"sent_at": now, "next_attempt_at": None, "last_error": error}
        guard = _ours(message, config) | Q(pk=message.pk, state=State.QUEUED)
    elif result.outcome is Outcome.FAILED or message.attempts >= config.max_attempts:
        state, changes = State.FAILED, {"next_attempt_at": None, "last_error": error}
        guard = _ours(message, config)
    else:
        retry_at = now + config.backoff(message.attempts)
        state, changes = State.QUEUED, {"next_attempt_at": retry_at, "last_error": error}
        guard = _ours(message, config)
    updated = OutboxMessage.objects.filter(guard).update(state=state, **changes, **released)
    if updated != 1:
        log.warning(
            "Message %s: the lease was lost before its result (%s) was recorded.",
            message.pk,
            result.outcome.value,
        )
        return "lost"
    message.state = state
    return state


def release(messages: list[OutboxMessage], config: WorkerConfig) -> int:
    """Give unsent messages back to the queue as they were (their attempt did not happen)."""
    if not messages:
        return 0
    return OutboxMessage.objects.filter(
        id__in=[m.pk for m in messages], state=State.SENDING, lease_owner=config.name
    ).update(
        state=State.QUEUED,
        attempts=F("attempts") - 1,
        lease_owner="",
        lease_expires_at=None,
        updated_at=timezone.now(),
    )
