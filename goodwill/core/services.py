"""Writes to the shared kernel: the remembered first responses of idempotent API requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from goodwill.core.models import IdempotentResponse

# How long a first response is replayed: a client retries within minutes, and what a reply
# holds about someone (their name, address…) should not outlive that by much.
KEEP_REPLIES = dt.timedelta(days=1)


def idempotent_response_get(
    *, user_id: int, key: str, now: dt.datetime | None = None
) -> IdempotentResponse | None:
    """The stored first response to ``key`` sent by this user, if there is one younger than
    ``KEEP_REPLIES`` (an older one is deleted: the key is new again)."""
    stored = IdempotentResponse.objects.filter(user_id=user_id, key=key).first()
    if stored is not None and stored.created_at < (now or timezone.now()) - KEEP_REPLIES:
        stored.delete()
        return None
    return stored


def idempotent_responses_purge(*, now: dt.datetime) -> int:
    """Delete the stored responses older than ``KEEP_REPLIES``; how many."""
    old = IdempotentResponse.objects.filter(created_at__lt=now - KEEP_REPLIES)
    return int(old.delete()[0])


def idempotent_responses_forget(mentions: Callable[[str, str], bool]) -> int:
    """Delete the stored responses whose path and body ``mentions`` says name someone (an
    erasure's part; the table holds a day of responses); how many."""
    rows = IdempotentResponse.objects.values_list("pk", "path", "body")
    found = [pk for pk, path, body in rows.iterator() if mentions(path, body)]
    return int(IdempotentResponse.objects.filter(pk__in=found).delete()[0])


def idempotent_response_record(
    *,
    user_id: int,
    key: str,
    method: str,
    path: str,
    request_hash: str = "",
    status: int,
    body: str,
) -> IdempotentResponse:
    """Remember the first response to a request with ``key``; (user, key) is unique.

    ``request_hash`` is the SHA-256 (hex) of the request body, so a repeat can be told apart from
    another request that reuses the key.

    Call it inside the transaction that did the work: a racing duplicate then fails on the unique
    constraint and rolls its own work back.
    """
    return IdempotentResponse.objects.create(
        user_id=user_id,
        key=key,
        method=method,
        path=path[:500],
        request_hash=request_hash,
        status=status,
        body=body,
    )
