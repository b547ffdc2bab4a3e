"""Writes to the shared kernel: the remembered first responses of idempotent API requests."""

from __future__ import annotations

from goodwill.core.models import IdempotentResponse


def idempotent_response_get(*, user_id: int, key: str) -> IdempotentResponse | None:
    """The stored first response to ``key`` sent by this user, if there is one."""
    return IdempotentResponse.objects.filter(user_id=user_id, key=key).first()


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
