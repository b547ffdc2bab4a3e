"""SQLite backups with the online backup API: a consistent copy while other processes write."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from goodwill.core.errors import Conflict, GoodwillError, Invalid

HEADER = b"SQLite format 3\x00"
EXTENSION = "sqlite3"
TIMEOUT = 20.0


BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def _give_up_after(seconds: float) -> Callable[[int, int, int], None]:
    """A backup progress callback that ends a backup still blocked after ``seconds`` (Python
    would otherwise retry a locked database forever)."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in BUSY and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


def backup_to(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the live database behind ``connection`` into the new file ``target``.

    One backup step copies every page under a single read snapshot, so writers in other
    processes (WAL mode) go on and the copy is consistent. The copy is switched to the
    rollback journal, so it is one self-contained file.
    """
    if connection.in_atomic_block:
        # The backup would wait forever on the lock of our own open transaction.
        raise GoodwillError(_("A backup cannot be taken inside a database transaction."))
    connection.ensure_connection()
    source = connection.connection
    try:
        with closing(sqlite3.connect(target)) as copy:
            source.backup(copy, progress=_give_up_after(3 * TIMEOUT))
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise GoodwillError(_("The backup failed: %s") % exc) from exc


def _not_a_backup(path: Path, reason: str) -> Invalid:
    message = _("%(path)s is not a goodwill backup (%(reason)s).") % {
        "path": path,
        "reason": reason,
    }
    return Invalid(message, fields={"path": [message]})


def read_migrations(path: Path) -> set[tuple[str, str]]:
    """Validate the backup file ``path`` and return its applied migrations ``(app, name)``.

    It must start with the SQLite header, pass ``PRAGMA integrity_check`` and hold Django's
    ``django_migrations`` table.
    """
    with path.open("rb") as handle:
        if handle.read(len(HEADER)) != HEADER:
            raise _not_a_backup(path, _("no SQLite header"))
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise _not_a_backup(path, _("integrity check failed: %s") % result[0][0])
            rows = db.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _not_a_backup(path, str(exc)) from exc
    return {(str(app), str(name)) for app, name in rows}


def read_tables(path: Path) -> set[str]:
    """The names of the tables in the backup file ``path`` (already validated)."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.DatabaseError as exc:
        raise _not_a_backup(path, str(exc)) from exc
    return {str(name) for (name,) in rows}


def restore_from(path: Path, live: str) -> None:
    """Replace every page of the database file ``live`` with the backup ``path``."""
    try:
        with (
            closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(live, timeout=TIMEOUT)) as target,
        ):
            source.backup(target, progress=_give_up_after(TIMEOUT))
    except sqlite3.OperationalError as exc:
        raise Conflict(
            _(
                "The database %(live)s could not be replaced (%(reason)s): stop every goodwill "
                "process first."
            )
            % {"live": live, "reason": exc}
        ) from exc
