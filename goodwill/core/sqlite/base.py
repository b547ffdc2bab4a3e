"""Django's SQLite backend with one write gate per process.

SQLite lets one connection write at a time; a connection that finds the database locked polls
in SQLite's busy handler, sleeping 1, 2, 5 … up to 100 ms between tries, whether the lock is
freed after a microsecond or not. Under a busy web server that sleeping, not the writing, made
the slowest answers: threads of one process, each with its own connection, overslept one
another's short transactions.

Here every transaction a connection of this process begins (``BEGIN IMMEDIATE``: goodwill's
transactions take the write lock at once) first takes a lock shared by the process's threads
and gives it back when it commits, rolls back or closes: threads of one process queue and are
handed the gate the moment it is free. Other processes (a second web process, ``goodwill
worker``, an import) still meet the file's lock and SQLite's busy handler, as before. Waiting
for the gate is bounded by the database's ``timeout`` option, then fails as a locked database
does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

GATE = threading.RLock()
LOCKED = "database is locked (waited for this process's writers)"
FIRST_PAUSE_S = 0.0002
LAST_PAUSE_S = 0.001


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite with the write gate (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate_held = False
        options = self.settings_dict.get("OPTIONS", {})
        self._timeout_ms = 1000 * float(options.get("timeout", 5))

    def _start_transaction_under_autocommit(self) -> None:
        deadline = time.monotonic() + self._timeout_ms / 1000
        if not GATE.acquire(timeout=self._timeout_ms / 1000):
            raise OperationalError(LOCKED)
        self.gate_held = True
        try:
            self._begin(deadline)
        except BaseException:
            self._release_gate()
            raise

    def _begin(self, deadline: float) -> None:
        """BEGIN IMMEDIATE, retried every millisecond or so while another process writes (not
        SQLite's sleeping busy handler), until the deadline; then the busy timeout again."""
        raw = self.connection
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            pause = FIRST_PAUSE_S
            while True:
                try:
                    super()._start_transaction_under_autocommit()  # type: ignore[misc]
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() >= deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, LAST_PAUSE_S)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(self._timeout_ms)}")

    def _release_gate(self) -> None:
        if self.gate_held:
            self.gate_held = False
            GATE.release()

    def _commit(self) -> None:
        self._end(super()._commit)  # type: ignore[misc]

    def _rollback(self) -> None:
        self._end(super()._rollback)  # type: ignore[misc]

    def _end(self, end: Callable[[], None]) -> None:
        """COMMIT or ROLLBACK, then the gate back once no transaction is open (a COMMIT that
        failed leaves it open: Django rolls back next)."""
        try:
            end()
        finally:
            if self.connection is None or not self.connection.in_transaction:
                self._release_gate()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_gate()
