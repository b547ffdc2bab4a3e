"""Keyset cursors: opaque, URL-safe tokens carrying the last row's sort key."""

from __future__ import annotations

import base64
import json
from typing import Any

from goodwill.core.errors import Invalid

_MESSAGE = "This cursor is not valid."


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid_cursor() -> Invalid:
    return Invalid.field("cursor", _MESSAGE)


def check_shape(values: Any, types: tuple[type, ...]) -> list[Any]:
    """``values`` as a list whose items have exactly ``types``; Invalid on ``cursor`` otherwise."""
    if not isinstance(values, list) or len(values) != len(types):
        raise invalid_cursor()
    for value, kind in zip(values, types, strict=True):
        # bool is an int to Python, never to a cursor.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise invalid_cursor()
    return values


def decode_cursor(cursor: str | None, *, types: tuple[type, ...]) -> list[Any] | None:
    """The key in ``cursor`` (None for no cursor), checked against ``types`` item by item."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise invalid_cursor() from exc
    return check_shape(values, types)
