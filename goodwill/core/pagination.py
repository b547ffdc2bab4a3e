"""Keyset cursors: opaque, URL-safe tokens carrying the last row's sort key."""

from __future__ import annotations

import base64
import json
from typing import Any

from goodwill.core.errors import Invalid


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, size: int) -> list[Any] | None:
    """Return the decoded key, None for no cursor; Invalid names the ``cursor`` field."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise Invalid.field("cursor", "This cursor is not valid.") from exc
    if not isinstance(values, list) or len(values) != size:
        raise Invalid.field("cursor", "This cursor is not valid.")
    return values
