"""Queued imports (web and API): upload a file, confirm its mapping and options, and let a worker
run it. The run itself is ``import_run``; this module owns the upload, the queue and the lease.

Step by step:

1. ``import_upload`` checks the file (size, encoding, CSV or vCard) and keeps it under
   ``DATA_DIR/imports`` with an unguessable name; the batch is a "draft".
2. ``import_queue`` records the mapping and options and makes it "pending" (or, after a dry
   run, queues the real run of the same file as a new batch).
3. A worker's ``import_claim`` leases the oldest pending batch with a conditional update, so two
   workers never run the same one; a batch whose worker died (lease expired) starts again.
4. ``import_run_claimed`` runs it, renewing the lease after each chunk; a real run's file is
   deleted when it ends, a dry run's is kept for the real run and removed after two days.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Generator, Iterable
from contextlib import closing
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, GoodwillError, Invalid
from goodwill.exchange.importer.lease import stale_runs_fail
from goodwill.exchange.importer.run import COUNTS, check_options, import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse import ImportFileError, open_import
from goodwill.exchange.parse.csv_dialect import check_header
from goodwill.exchange.parse.csv_reader import has_rows, read_header
from goodwill.exchange.pos import pos_import_run
from goodwill.exchange.pos.queue import pos_options, pos_probe
from goodwill.outreach.schedule.runner import run_soon
from goodwill.outreach.services.outbox import MESSAGE_QUEUED

log = logging.getLogger("goodwill.imports")

IMPORTS_JOB = "exchange.imports"

State = ImportBatch.State
LEASE = dt.timedelta(minutes=10)
KEEP_UNUSED = dt.timedelta(days=2)
_SUFFIXES = {"csv": ".csv", "vcard": ".vcf"}
_PIECE = 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file the web and the API accept (``GOODWILL_IMPORT_MAX_MB``, default 2048)."""
    return int(getattr(settings, "IMPORT_MAX_MB", 2048)) * 1024 * 1024


def import_folder() -> Path:
    """Where uploads wait for their run."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_path(batch: ImportBatch) -> Path:
    """The kept upload of ``batch``."""
    return import_folder() / batch.stored_file


def _write_upload(chunks: Iterable[bytes], limit: int, name: str) -> Path:
    path = import_folder() / f"{secrets.token_hex(16)}.upload"
    written = 0
    with path.open("wb") as out:
        for piece in chunks:
            written += len(piece)
            if written > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise Invalid.field(
                    "file",
                    _("%(file)s: the file is too large (the limit is %(mb)d MB).")
                    % {"file": name, "mb": limit >> 20},
                )
            out.write(piece)
    return path


def _probe(
    path: Path,
    *,
    name: str,
    format: str | None,  # noqa: A002 - as open_import
    mapping: dict[str, str] | None,
) -> str:
    """Read the file's first card, or its CSV header (with ``mapping``: also applied, as the run
    will), and return its format; ImportFileError naming the file as the user knows it."""
    try:
        file = open_import(path, format=format)
        if file.format == "csv" and mapping is None:
            with file.open_text() as stream:
                header, _delimiter, line = read_header(stream)
                check_header(name, header, line)
                if not has_rows(stream):
                    message = _("%(name)s: there are column headers but no rows to import.")
                    raise ImportFileError(message % {"name": name})
        else:
            with closing(cast(Generator[Any, None, None], file.records(overrides=mapping))) as rows:
                next(rows, None)
    except ImportFileError as exc:
        raise ImportFileError(exc.message.replace(path.name, name)) from exc
    return file.format


def import_upload(
    *,
    actor: User | None,
    name: str,
    chunks: Iterable[bytes],
    format: str | None = None,  # noqa: A002 - as open_import
    kind: str = ImportBatch.Kind.PEOPLE,
) -> ImportBatch:
    """Keep an uploaded contacts file (``kind`` "people") or point-of-sale export ("purchases")
    for its mapping step (managers): a "draft" batch with the detected (or given) format and its
    encoding; an unreadable file is refused naming it, and nothing is kept."""
    require_role(actor, User.Role.MANAGER)
    if kind not in ImportBatch.Kind.values:
        raise Invalid.field("kind", _("Choose people or purchases."))
    name = Path(name or "contacts").name[:255]
    path = _write_upload(chunks, max_upload_bytes(), name)
    try:
        if kind == ImportBatch.Kind.PURCHASES:
            detected = pos_probe(path, name=name, mapping=None)
        else:
            detected = _probe(path, name=name, format=format or None, mapping=None)
    except ImportFileError as exc:
        path.unlink(missing_ok=True)
        raise Invalid.field("file", exc.message) from exc
    final = path.with_suffix(_SUFFIXES[detected])
    path.rename(final)
    file = open_import(final, format=detected)
    return ImportBatch.objects.create(
        file_name=name,
        kind=kind,
        created_by=actor,
        state=State.DRAFT,
        format=file.format,
        encoding=file.encoding,
        size=file.size,
        stored_file=final.name,
    )


def _check_options(batch: ImportBatch, options: dict[str, Any]) -> dict[str, Any]:
    if batch.kind == ImportBatch.Kind.PURCHASES:
        return pos_options(stored_path(batch), name=batch.file_name, options=options)
    checked = {
        "dedupe": options.get("dedupe"),
        "unmapped": options.get("unmapped"),
        "categories": options.get("categories"),
        "possible_duplicates": options.get("possible_duplicates") or "skip",
    }
    check_options(*(str(value) for value in checked.values()))
    mapping = {str(k): str(v) for k, v in (options.get("mapping") or {}).items()}
    if mapping and batch.format != "csv":
        raise Invalid.field("map", _("Only a CSV file's columns can be mapped; this is a vCard."))
    try:  # every column mapped to nothing, an unknown column or field: refused now
        _probe(stored_path(batch), name=batch.file_name, format=batch.format, mapping=mapping)
    except ImportFileError as exc:
        raise Invalid.field("map", exc.message) from exc
    return {**checked, "mapping": mapping, "day_first": bool(options.get("day_first"))}


def import_queue(
    *, actor: User | None, batch: ImportBatch, options: dict[str, Any], dry_run: bool
) -> ImportBatch:
    """Queue ``batch`` with its confirmed mapping and options (managers). A draft is queued
    itself; after a dry run, the real run of the same file is a new batch (returned). Asked
    twice (a double click), the second ask gets the batch the first one queued."""
    require_role(actor, User.Role.MANAGER)
    if batch.real_run_id is not None and (real := batch.real_run) is not None:
        return real
    if batch.state not in (State.DRAFT, State.DRY_RUN) or not batch.stored_file:
        raise Conflict(_("This import has already been queued or has ended."))
    checked = _check_options(batch, options)
    with transaction.atomic():
        queued = _take(batch)
        if queued is None:
            transaction.set_rollback(True)
        else:
            queued.created_by = actor
            queued.options, queued.dry_run = checked, dry_run
            queued.dedupe = checked.get("dedupe", queued.dedupe)
            queued.state = State.PENDING
            queued.save()
            audit_record(
                actor=actor,
                action="import.queue",
                target=queued,
                changes={
                    "batch": queued.pk,
                    "file": queued.file_name,
                    "dry_run": dry_run,
                    **checked,
                },
            )
            transaction.on_commit(_wake_worker)
    if queued is not None:
        return queued
    batch.refresh_from_db()
    if batch.real_run_id is not None and (real := batch.real_run) is not None:
        return real
    if batch.state != State.DRAFT:  # another click queued this draft itself
        return batch
    raise Conflict(_("This import has already been queued or has ended."))


def _take(batch: ImportBatch) -> ImportBatch | None:
    """The batch to queue, or None when another request has just queued it: a draft itself,
    a dry run's new real run, which takes over the upload. Both are conditional updates, so of
    two requests at once only one gets the batch."""
    still = ImportBatch.objects.filter(pk=batch.pk, real_run=None).exclude(stored_file="")
    if batch.state == State.DRAFT:
        return batch if still.filter(state=State.DRAFT).update(state=State.PENDING) else None
    real = ImportBatch.objects.create(
        file_name=batch.file_name,
        kind=batch.kind,
        format=batch.format,
        encoding=batch.encoding,
        size=batch.size,
        stored_file=batch.stored_file,
        state=State.PENDING,
    )
    if not still.filter(state=State.DRY_RUN).update(stored_file="", real_run=real):
        return None
    return real


def _wake_worker() -> None:
    """Make the imports job due now and wake a worker of this process (``goodwill serve``):
    the import starts within a second, not at the job's next time."""
    run_soon(IMPORTS_JOB)
    MESSAGE_QUEUED.set()


def import_discard(*, actor: User | None, batch: ImportBatch) -> None:
    """Forget a draft the API could not queue (bad options): its file and its row."""
    require_role(actor, User.Role.MANAGER)
    if batch.state != State.DRAFT:
        raise Conflict(_("Only a draft import can be discarded."))
    _delete_file(batch)
    batch.delete()


def import_cancel(*, actor: User | None, batch: ImportBatch) -> ImportBatch:
    """Cancel a draft or waiting import (managers), or discard a dry run's kept file: the file
    is deleted, the batch ends "failed" saying who cancelled it."""
    require_role(actor, User.Role.MANAGER)
    if batch.state not in (State.DRAFT, State.PENDING, State.DRY_RUN):
        raise Conflict(_("Only an import that has not started can be cancelled."))
    _delete_file(batch)
    if batch.state != State.DRY_RUN:
        who = actor.email if actor is not None else _("the command line")
        batch.state, batch.finished_at = State.FAILED, timezone.now()
        batch.message = _("Cancelled by %(who)s.") % {"who": who}
    batch.save()
    audit_record(actor=actor, action="import.cancel", target=batch, changes={"batch": batch.pk})
    return batch


def _delete_file(batch: ImportBatch) -> None:
    if batch.stored_file:
        stored_path(batch).unlink(missing_ok=True)
        batch.stored_file = ""


def import_claim(*, owner: str, now: dt.datetime | None = None) -> ImportBatch | None:
    """Lease the oldest pending import to ``owner`` (a worker), or one whose worker stopped
    while running it (it starts again from the first row); None when there is none."""
    now = now or timezone.now()
    stale_runs_fail(now)  # direct runs whose process stopped: ended, not taken over
    stale = Q(state=State.RUNNING, lease_expires_at__lt=now) & ~Q(stored_file="")
    for batch_id in (
        ImportBatch.objects.filter(Q(state=State.PENDING) | stale)
        .order_by("id")
        .values_list("id", flat=True)[:5]
    ):
        taken = ImportBatch.objects.filter(Q(state=State.PENDING) | stale, pk=batch_id).update(
            state=State.RUNNING, lease_owner=owner, lease_expires_at=now + LEASE
        )
        if taken == 1:
            return ImportBatch.objects.get(pk=batch_id)
    return None


def import_run_claimed(*, batch: ImportBatch, owner: str) -> ImportBatch:
    """Run a claimed batch as the user who queued it (their role is checked again now); any
    refusal ends the batch "failed" with the reason. A real run's file is deleted at the end."""
    restarted = batch.started_at is not None
    for name in (*COUNTS, "people_created"):  # a restarted run counts from the first row again
        setattr(batch, name, 0)
    batch.problems.all().delete()  # and lists its bad rows again

    def renew(_rows: int, _total: int) -> None:
        until = timezone.now() + LEASE
        ImportBatch.objects.filter(pk=batch.pk, lease_owner=owner).update(lease_expires_at=until)

    options = batch.options
    try:
        _run(batch, options, renew)
    except GoodwillError as exc:
        _end_failed(batch, exc.message)
    except Exception:
        # A bug or a database failure: the batch ends failed (not retried for ever), the
        # chunks already written stay, and the job records the error for the status page.
        _end_failed(batch, _("The import stopped on an unexpected error; see the status page."))
        _finish(batch)
        raise
    if restarted and batch.state != State.FAILED:
        batch.message = _("Started again from the first row: the worker running it stopped.")
    _finish(batch)
    return batch


def _run(batch: ImportBatch, options: dict[str, Any], renew: Callable[[int, int], None]) -> None:
    """Run a claimed batch with its confirmed options: a contacts file or a POS export."""
    if batch.kind == ImportBatch.Kind.PURCHASES:
        pos_import_run(
            actor=batch.created_by,
            path=stored_path(batch),
            mapping=options.get("mapping") or {},
            create_people=bool(options.get("create_people")),
            day_first=bool(options.get("day_first")),
            dry_run=batch.dry_run,
            progress=renew,
            batch=batch,
        )
        return
    import_run(
        actor=batch.created_by,
        path=stored_path(batch),
        format=batch.format or None,
        mapping=options.get("mapping") or {},
        dedupe=options.get("dedupe", batch.dedupe),
        unmapped=options.get("unmapped", "ignore"),
        categories=options.get("categories", "interests"),
        possible_duplicates=options.get("possible_duplicates", "skip"),
        day_first=bool(options.get("day_first")),
        dry_run=batch.dry_run,
        progress=renew,
        batch=batch,
    )


def _finish(batch: ImportBatch) -> None:
    """Release the lease; a real or failed run's file is deleted (a dry run's is kept)."""
    if not batch.dry_run or batch.state == State.FAILED:
        _delete_file(batch)
    batch.lease_owner, batch.lease_expires_at = "", None
    batch.save()
    log.info("Import %s ended %s: %s rows.", batch.pk, batch.state, batch.rows)


def _end_failed(batch: ImportBatch, message: str) -> None:
    batch.refresh_from_db(fields=["state", "message"])
    batch.state, batch.finished_at = State.FAILED, timezone.now()
    batch.message = batch.message or message


def import_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the kept files of drafts and dry runs nobody went on with for two days, and any
    file no batch points to; returns how many files were deleted."""
    now = now or timezone.now()
    old = ImportBatch.objects.filter(
        state__in=[State.DRAFT, State.DRY_RUN], created_at__lt=now - KEEP_UNUSED
    ).exclude(stored_file="")
    deleted = 0
    for batch in old:
        _delete_file(batch)
        if batch.state == State.DRAFT:
            batch.state, batch.message = State.FAILED, _("Never confirmed; the file was deleted.")
        batch.save(update_fields=["stored_file", "state", "message"])
        deleted += 1
    kept = set(ImportBatch.objects.exclude(stored_file="").values_list("stored_file", flat=True))
    for path in import_folder().iterdir():
        age = now.timestamp() - path.stat().st_mtime
        if path.name not in kept and age > KEEP_UNUSED.total_seconds():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
