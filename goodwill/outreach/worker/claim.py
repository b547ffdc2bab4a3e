"""Claiming due messages: a short transaction that turns queued rows into this worker's leases.

PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` lets several workers claim side by side, each
taking rows the others have not locked. SQLite: the transaction is ``BEGIN IMMEDIATE`` (see
settings), so it holds the write lock from its first statement and claims are one at a time. On
both, the update is conditional (``state = 'queued'``) and only rows that now carry this claim's
owner and expiry are returned, so a row can never be claimed twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.worker.config import WorkerConfig

State = OutboxMessage.State


def claim(config: WorkerConfig, *, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Lease up to ``config.batch`` due messages to this worker (oldest due first); attempts
    count up by one for each."""
    now = now or timezone.now()
    expires = now + config.lease
    due = OutboxMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
    if not due.exists():
        return []  # an idle worker only reads: no write lock on SQLite once a second
    with transaction.atomic():
        due = due.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[: config.batch])
        if not ids:
            return []
        OutboxMessage.objects.filter(id__in=ids, state=State.QUEUED).update(
            state=State.SENDING,
            lease_owner=config.name,
            lease_expires_at=expires,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        return list(
            OutboxMessage.objects.filter(
                id__in=ids, state=State.SENDING, lease_owner=config.name, lease_expires_at=expires
            ).order_by("next_attempt_at", "id")
        )
