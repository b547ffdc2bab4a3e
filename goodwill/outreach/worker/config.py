"""How a worker behaves: its name (the lease owner), batch size, poll interval, leases, retries.

Defaults come from settings (``OUTBOX_*``, so tests can override them) and may be overridden per
worker (``goodwill worker --batch 20 --lease 60``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


def default_name() -> str:
    """``hostname:pid:random``: unique among the workers that share a database."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


@dataclass(frozen=True)
class WorkerConfig:
    """One worker's knobs; ``name`` is written as the lease owner of every row it claims."""

    name: str = field(default_factory=default_name)
    batch: int = field(default_factory=lambda: int(_setting("OUTBOX_BATCH", 50)))
    poll: float = field(default_factory=lambda: _setting("OUTBOX_POLL_SECONDS", 1.0))
    lease_seconds: float = field(default_factory=lambda: _setting("OUTBOX_LEASE_SECONDS", 300))
    max_attempts: int = field(default_factory=lambda: int(_setting("OUTBOX_MAX_ATTEMPTS", 15)))
    backoff_base: float = field(default_factory=lambda: _setting("OUTBOX_BACKOFF_SECONDS", 30))
    backoff_cap: float = field(
        default_factory=lambda: _setting("OUTBOX_BACKOFF_CAP_SECONDS", 6 * 3600)
    )
    job_lease_seconds: float = field(
        default_factory=lambda: _setting("SCHEDULE_LEASE_SECONDS", 600)
    )

    def __post_init__(self) -> None:
        if self.batch < 1:
            raise ValueError("batch: give at least 1.")
        if self.poll <= 0 or self.lease_seconds <= 0:
            raise ValueError("poll and lease: give a positive number of seconds.")
        if len(self.name) > 100:
            raise ValueError("name: at most 100 characters.")

    @classmethod
    def build(
        cls,
        *,
        name: str = "",
        batch: int | None = None,
        poll: float | None = None,
        lease_seconds: float | None = None,
    ) -> WorkerConfig:
        """A config from the settings, with the values given (not None, not empty) instead."""
        given: dict[str, Any] = {
            "name": name or None,
            "batch": batch,
            "poll": poll,
            "lease_seconds": lease_seconds,
        }
        return cls(**{key: value for key, value in given.items() if value is not None})

    @property
    def lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.lease_seconds)

    @property
    def job_lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.job_lease_seconds)

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait before attempt ``attempts + 1``: exponential, capped, with jitter (half the
        delay is random) so that many messages refused at once do not come back at once."""
        delay = min(self.backoff_cap, self.backoff_base * 2 ** min(max(0, attempts - 1), 30))
        delay = delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not a secret
        return dt.timedelta(seconds=delay)
