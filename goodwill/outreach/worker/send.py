"""Sending a claimed batch outside any transaction, recording each result as it comes.

One connection serves the batch. After a message is recorded the worker checks whether it was
asked to stop, or whether half its lease is gone (a slow server): if so the rest of the batch
goes back to the queue untouched. When the transport
breaks (server down or hung), the messages not yet tried wait with the same back-off as the one
that failed, instead of each paying a connection timeout of its own. Internal mail is looked
at once more just before it goes: an erasure may have rewritten or withdrawn it meanwhile.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from django.utils import timezone

from goodwill.outreach.channels.email import Outcome, Result, Sender
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.worker.config import WorkerConfig
from goodwill.outreach.worker.eligibility import refuse, still_eligible
from goodwill.outreach.worker.record import record, release


class Stop(Protocol):
    def is_set(self) -> bool: ...


def deliver(
    batch: list[OutboxMessage], config: WorkerConfig, stop: Stop | None = None
) -> Counter[str]:
    """Send ``batch`` (leased to this worker) and record every result; returns counts by the
    state each message ended in ("sent", "queued", "failed", "lost", "released", "refused":
    a marketing message whose person may no longer be written to)."""
    counts: Counter[str] = Counter()
    refused = still_eligible(batch)
    if refused:
        counts["refused"] += refuse(batch, refused, config)
        batch = [m for m in batch if m.pk not in refused]
    if not batch:
        return counts
    # Past half the lease, the rest goes back: a message is only sent while the lease has
    # time left to cover the send, so no other worker can take it over meanwhile.
    expires = batch[0].lease_expires_at or timezone.now() + config.lease
    deadline = expires - config.lease / 2
    with Sender() as sender:
        for index, message in enumerate(batch):
            if (stop is not None and stop.is_set()) or timezone.now() > deadline:
                counts["released"] += release(batch[index:], config)
                break
            if message.kind == OutboxMessage.Kind.INTERNAL and _taken_back(message, config):
                counts["released"] += 1  # an erasure rewrote or withdrew it since the claim
                continue
            result = sender.send(message)
            counts[record(message, result, config)] += 1
            if result.outcome is Outcome.TRANSPORT:
                rest = Result(Outcome.TRANSPORT, result.error)
                for other in batch[index + 1 :]:
                    counts[record(other, rest, config)] += 1
                break
    return counts


def _taken_back(message: OutboxMessage, config: WorkerConfig) -> bool:
    """Whether internal mail (a digest) is no longer this worker's as it was claimed: an
    erasure rewrote it without the person (and queued it again) or withdrew it, so the copy in
    hand must not go out. One look at the row, just before sending; internal mail is rare."""
    same = OutboxMessage.objects.filter(
        pk=message.pk, lease_owner=config.name, updated_at=message.updated_at
    )
    return not same.exists()
