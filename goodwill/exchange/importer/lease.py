"""The lease of an import run started directly (``goodwill import``, or code), not claimed from
the queue by a worker: it is taken when the batch starts, renewed after each chunk and given
back at the end, so that a process killed mid-run (or a machine that went down) leaves a batch
whose lease runs out. ``stale_runs_fail`` then ends it "failed", saying how far it got, instead
of showing it "running" for ever (a process on this machine that is still running keeps its run,
through steps without chunks too); it is called when a worker looks for work and when a run
starts. A run that stops on an unexpected error ends "failed" at once (``run_failed``).
Queued runs have the worker's own lease (``services.imports``), which a worker takes over."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.exchange.models import ImportBatch

LEASE = dt.timedelta(minutes=10)
LONGEST_STEP = dt.timedelta(days=1)  # a step without chunks never takes longer
State = ImportBatch.State


def lease_take(batch: ImportBatch) -> None:
    """Mark an unsaved or running ``batch`` as this process's for the next ``LEASE``."""
    batch.lease_owner = f"{socket.gethostname()}:{os.getpid()}"[:100]
    batch.lease_expires_at = timezone.now() + LEASE


def lease_renew(batch: ImportBatch) -> None:
    """Push the lease of a running ``batch`` on, after a chunk."""
    until = timezone.now() + LEASE
    ImportBatch.objects.filter(pk=batch.pk, lease_owner=batch.lease_owner).update(
        lease_expires_at=until
    )


def lease_give_back(batch: ImportBatch) -> None:
    """Clear the lease on ``batch`` (saved by the caller with the batch's end)."""
    batch.lease_owner, batch.lease_expires_at = "", None


def run_failed(batch: ImportBatch, exc: BaseException) -> None:
    """End a direct run that stopped on an unexpected error (a bug, a database failure):
    "failed", with the error's kind, its chunks already written kept."""
    lease_give_back(batch)
    batch.state, batch.finished_at = State.FAILED, timezone.now()
    batch.message = _(
        "The import stopped on an unexpected error (%(kind)s) after %(rows)d rows; the rows "
        "before it were imported."
    ) % {"kind": type(exc).__name__, "rows": batch.rows}
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=batch.state,
        finished_at=batch.finished_at,
        message=batch.message,
        lease_owner="",
        lease_expires_at=None,
    )


def _still_running(owner: str) -> bool:
    """Whether the process that holds a lease is still running, when it is on this machine (a
    run in a long step without chunks, such as building its indexes again, renews nothing)."""
    host, _sep, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def stale_runs_fail(now: dt.datetime | None = None) -> int:
    """End "failed" every direct run whose process stopped without ending it (its lease ran
    out; a run from before leases: started more than ``LEASE`` ago and holding none). Returns
    how many."""
    now = now or timezone.now()
    direct = Q(state=State.RUNNING, stored_file="")
    gone = Q(lease_expires_at__lt=now) | Q(lease_expires_at=None, started_at__lt=now - LEASE)
    found = ImportBatch.objects.filter(direct & gone).values_list(
        "pk", "rows", "lease_owner", "lease_expires_at"
    )
    # A live process keeps its run for a day past its lease at the most: its PID may be reused.
    stale = [
        (pk, rows)
        for pk, rows, owner, until in found
        if until is None or until < now - LONGEST_STEP or not _still_running(owner)
    ]
    for pk, rows in stale:
        message = _(
            "The import stopped before it ended (its process was stopped) after %(rows)d "
            "rows; the rows before it were imported. Import the file again to finish: rows "
            "already imported are not added twice."
        ) % {"rows": rows}
        ImportBatch.objects.filter(pk=pk, state=State.RUNNING).update(
            state=State.FAILED, finished_at=now, message=message, lease_owner="",
            lease_expires_at=None,
        )  # fmt: skip
    return len(stale)
