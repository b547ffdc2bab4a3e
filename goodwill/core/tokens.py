"""Unguessable tokens for links sent to people (surveys, preference links, calendar feeds): only
their SHA-256 is stored, so a copy of the database cannot be used to open anyone's link."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh URL-safe token with 256 bits of randomness (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(raw: str) -> str:
    """The stored form of a token: its SHA-256 as 64 hex digits."""
    return hashlib.sha256(raw.encode()).hexdigest()
