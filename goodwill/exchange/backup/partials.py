"""The temporary file of a backup under way, ``.NAME.goodwill-PID-NS@HOST.partial`` beside the
backup ``NAME``: made owner-only (0600) before anything is copied into it, since a backup holds
everyone's personal data, and swept away once a killed backup left it behind. ``HOST`` is the
host name (lower case, at most 64 of its letters, digits, dots and hyphens, "_" for others) and
``NS`` the inode of the PID namespace (``/proc/self/ns/pid``; 0 where there is none): a PID
means something only on the host and in the namespace (a container) that made the file.

A partial file is stale when nothing was written to it for a day (whoever made it), or when it
was made on this host, in this PID namespace, by a process that is gone (this process's own PID
counts as gone unless this process is writing it: a PID is reused after a crash). The files of
other hosts and containers sharing the folder wait for the day: their PIDs say nothing here.
Files named ``.NAME.goodwill-PID.partial`` by earlier goodwill versions are judged by their PID
as before. Only files named and shaped as goodwill makes them are
removed: the partial file (empty, starting as a SQLite file or a ``pg_dump`` custom-format
archive does, or blank where SQLite has not yet written the copy's first page, its journal then
beside it) and SQLite's ``-journal``, ``-wal`` and ``-shm`` files beside it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import socket
import stat
import threading
import time
from contextlib import suppress
from pathlib import Path

from django.utils.translation import gettext as _

from goodwill.core.errors import Conflict
from goodwill.exchange.backup import postgres, sqlite

log = logging.getLogger("goodwill.backup")

# ".NAME.goodwill-PID-NS@HOST.partial" (earlier: ".NAME.goodwill-PID.partial"): the word keeps
# look-alike files of others (".notes.txt.12.partial") out of the sweep.
NAME = re.compile(
    r"^\.(?P<name>.+)\.goodwill-(?P<pid>\d{1,10})(?:-(?P<ns>\d{1,20})@(?P<host>[a-z0-9._-]{1,64}))?"
    r"\.partial(?P<part>-journal|-wal|-shm)?$"
)
STALE_AFTER = dt.timedelta(days=1)
# How each file of a backup under way starts (an empty one is one just created): the copy
# itself (SQLite, or pg_dump's custom format) and SQLite's rollback journal and write-ahead log.
# A "-shm" (an index, no data) shows nothing of its origin: it goes only with the others.
STARTS = {
    "": (sqlite.HEADER, postgres.HEADER),
    "-journal": (b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7",),
    "-wal": (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"),
}
COMPANIONS = ("-journal", "-wal", "-shm")

_writing: set[Path] = set()  # the partial files this process is writing now
_lock = threading.Lock()


def partial_path(path: Path) -> Path:
    """The temporary file of this process's backup to ``path``."""
    return path.with_name(f".{path.name}.goodwill-{os.getpid()}-{_here()}.partial")


def _here() -> str:
    """``NS@HOST``: this process's PID namespace and host, as partial files are named."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:  # not Linux, or /proc is not mounted
        namespace = 0
    host = re.sub(r"[^a-z0-9.-]", "_", socket.gethostname().lower())[:64] or "_"
    return f"{namespace}@{host}"


def partial_create(path: Path) -> Path:
    """Make the new, empty, owner-only temporary file of the backup ``path``; give it to
    ``partial_done`` once the backup is published or failed.

    Raises Conflict when this process is already writing a backup to ``path``, and OSError when
    the file cannot be made (or exists: ``partials_sweep`` first removes a stale one).
    """
    temporary = partial_path(path)
    with _lock:
        if temporary in _writing:
            raise Conflict(_("A backup to %s is already under way.") % path)
        _writing.add(temporary)
    try:
        # Owner-only from the start: SQLite gives its journal the same mode, pg_dump keeps it.
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except BaseException:
        with _lock:
            _writing.discard(temporary)
        raise
    return temporary


def partial_done(temporary: Path) -> None:
    """Remove the temporary file made by ``partial_create`` and SQLite's files beside it."""
    for suffix in ("", *COMPANIONS):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    with _lock:
        _writing.discard(temporary)


def partials_sweep(*, folder: Path) -> list[Path]:
    """Remove from ``folder`` the stale temporary files of earlier backups (see the module's
    docstring); files goodwill did not make are never touched. Returns the removed files."""
    groups: dict[Path, dict[str, Path]] = {}
    pids: dict[Path, int | None] = {}  # None: made on another host or in another namespace
    here = _here()
    with suppress(OSError):  # no such folder, or one this process may not list
        for entry in folder.iterdir():
            match = NAME.match(entry.name)
            if match is not None:
                main = entry.with_name(entry.name.removesuffix(match["part"] or ""))
                groups.setdefault(main, {})[match["part"] or ""] = entry
                ours = match["ns"] is None or f"{match['ns']}@{match['host']}" == here
                pids[main] = int(match["pid"]) if ours else None
    removed: list[Path] = []
    for main, files in sorted(groups.items()):
        if _stale(main, files, pids[main]) and _made_by_goodwill(files):
            for entry in files.values():
                try:
                    entry.unlink(missing_ok=True)
                except OSError as exc:  # never a reason to fail the backup under way
                    log.warning("Could not remove %s (%s).", entry, exc.strerror)
                else:
                    removed.append(entry)
            log.info("Removed %s, left by a backup that did not finish.", main)
    return removed


def _stale(main: Path, files: dict[str, Path], pid: int | None) -> bool:
    """Whether the group ``main`` is untouched for a day, or its process ``pid`` (None: of
    another host or namespace) is gone."""
    with _lock:
        if main in _writing:
            return False
    try:
        touched = max(entry.lstat().st_mtime for entry in files.values())
    except FileNotFoundError:
        return False  # its backup just finished or was swept by another process
    if time.time() - touched > STALE_AFTER.total_seconds():
        return True
    return pid is not None and not _running(pid)


def _running(pid: int) -> bool:
    """Whether the process ``pid`` runs (this one counts as not: see ``_writing``)."""
    if pid == os.getpid() or pid <= 0:
        return False
    if os.name == "nt":
        return True  # os.kill would end the process there; only the age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except (OverflowError, OSError):
        return False
    return True


def _made_by_goodwill(files: dict[str, Path]) -> bool:
    """Whether the files of a group are plain files that start as goodwill's do, one of them
    showing it by its first bytes (or the partial file and the rest are still empty)."""
    heads: dict[str, bytes] = {}
    for part, entry in files.items():
        try:
            if not stat.S_ISREG(entry.lstat().st_mode):
                return False
            with entry.open("rb") as handle:
                heads[part] = handle.read(16)
        except OSError:
            return False
    shown = False
    for part, head in heads.items():
        if part == "-shm" or not head:
            continue
        if head.startswith(STARTS[part]):
            shown = True
        elif part != "" or head != bytes(len(head)):  # a copy's first page is written last
            return False
    return shown or ("" in heads and not any(heads.values()))
