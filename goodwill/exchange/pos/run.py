"""``pos_import_run``: stream a point-of-sale CSV export into purchases of known people, chunk by
chunk, and record the batch (counts, bad rows, unknown customers, values left out)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.commerce.services.journey import journey_refresh, referrers_of
from goodwill.core.errors import Invalid
from goodwill.core.gc import ChunkPauses
from goodwill.exchange.importer.connection import unmapped_database
from goodwill.exchange.importer.lease import (
    lease_give_back,
    lease_renew,
    lease_take,
    run_failed,
    stale_runs_fail,
)
from goodwill.exchange.importer.problems import Problems
from goodwill.exchange.importer.progress import count_rows
from goodwill.exchange.importer.report import problems_all
from goodwill.exchange.importer.run import COUNTS
from goodwill.exchange.importer.write import source_detail
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.parse import ImportFileError, RowError, open_import
from goodwill.exchange.pos.match import Pending, match_chunk
from goodwill.exchange.pos.reader import PosRecord, pos_columns, read_pos
from goodwill.exchange.pos.rows import Context, PosRow, pos_row
from goodwill.exchange.pos.write import Key, Rules, Written, new_purchases, write_chunk
from goodwill.occasions.selectors.settings import business_zone

DEFAULT_CHUNK = 5000
POS_COUNTS = [*COUNTS, "people_created"]
Item = PosRecord | RowError


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _Run:
    """One run's settings and what carries from chunk to chunk."""

    def __init__(self, *, actor: User | None, batch: ImportBatch, day_first: bool, create: bool):
        business = business_get()
        zone = business_zone()
        self.actor, self.batch, self.create = actor, batch, create
        self.ctx = Context(
            region=business.phone_region,
            currency=business.currency,
            day_first=day_first,
            zone=zone,
            now=timezone.now(),
        )
        self.rules = Rules(zone)
        self.problems = Problems(batch)
        self.detail = source_detail(batch)
        dry = batch.dry_run
        # A dry run writes nothing, so what earlier chunks would have stored is kept here.
        self.pending: Pending | None = Pending() if dry else None
        self.seen: set[Key] | None = set() if dry else None

    def chunk(self, items: list[Item]) -> None:
        rows: list[PosRow] = []
        errors: list[RowError] = []
        warnings: list[RowError] = []
        for item in items:
            checked = item if isinstance(item, RowError) else pos_row(item, self.ctx)
            if isinstance(checked, RowError):
                errors.append(checked)
            else:
                rows.append(checked)
                warnings += checked.warnings
        pending = self.pending if self.pending is not None else Pending()
        matched = match_chunk(rows, create_people=self.create, pending=pending)
        fresh, repeats, repeated = new_purchases(matched.rows, self.seen)
        batch = self.batch
        if batch.dry_run:
            written = Written(purchases=len(fresh), people=len(matched.new))
        else:
            written = write_chunk(
                actor=self.actor,
                batch=batch,
                detail=self.detail,
                new=matched.new,
                rows=fresh,
                rules=self.rules,
            )
            touched = written.touched
            # After the chunk's commit, in a transaction of its own: a stage is derived (the
            # nightly recompute would bring it back) and the write lock stays short.
            journey_refresh(person_ids=touched | referrers_of(touched))
        batch.rows += len(items)
        batch.created += written.purchases
        batch.people_created += written.people
        batch.unchanged += repeats
        batch.skipped += len(matched.unknown)
        self.problems.errors(errors + written.errors)
        # Nothing of an erased person's row is kept, not even as a warning.
        warnings = [w for w in warnings if w.line not in matched.erased]
        self.problems.warnings(warnings + repeated)
        for e in matched.unknown:
            self.problems.listed(e.line, e.column, e.message)


def _check_mapping(path: str | os.PathLike[str], mapping: dict[str, str] | None) -> None:
    """Invalid on ``map`` when ``mapping`` names a column or field the file does not have; a
    file that cannot be read is left to the run, which records it."""
    if not mapping:
        return
    try:
        file = open_import(path, format="csv")
        pos_columns(file)
    except ImportFileError:
        return
    try:
        pos_columns(file, mapping)
    except ImportFileError as exc:
        raise Invalid.field("map", exc.message) from exc


def _fail(batch: ImportBatch, message: str) -> Invalid:
    if batch.lease_owner and not batch.stored_file:  # a direct run's own lease
        lease_give_back(batch)
    batch.state, batch.message, batch.finished_at = (
        ImportBatch.State.FAILED,
        message,
        timezone.now(),
    )
    batch.save()
    return Invalid.field("file", message)


def pos_import_run(
    *,
    actor: User | None,
    path: str | os.PathLike[str],
    mapping: dict[str, str] | None = None,
    create_people: bool = False,
    day_first: bool = False,
    dry_run: bool = False,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import a POS export (managers): each row a purchase, stay, refund or inquiry of the
    person it names (or, with ``create_people``, of a new person), one short transaction per
    chunk; bad rows and unknown customers are listed, never half-written; rows imported before
    are counted as ``unchanged``. A file that cannot be read ends the batch "failed" and raises
    Invalid on ``file``; a dry run writes nothing but the batch row."""
    require_role(actor, User.Role.MANAGER)
    direct = batch is None  # not a queued batch, which has its worker's lease
    if direct:  # a queued batch's mapping was checked when it was queued
        _check_mapping(path, mapping)
    stale_runs_fail()
    batch = batch or ImportBatch(file_name=Path(path).name[:255], created_by=actor)
    batch.kind, batch.dry_run = ImportBatch.Kind.PURCHASES, dry_run
    batch.state, batch.started_at = ImportBatch.State.RUNNING, timezone.now()
    if direct:
        lease_take(batch)
    batch.save()
    run = _Run(actor=actor, batch=batch, day_first=day_first, create=create_people)
    try:
        file = open_import(path, format="csv")
        batch.format, batch.encoding, batch.size = file.format, file.encoding, file.size
        batch.total = count_rows(file)
        batch.save(update_fields=["format", "encoding", "size", "total"])
        chunks = _chunks(read_pos(file, overrides=mapping), max(1, chunk))
        paused = ChunkPauses()
        with unmapped_database():
            while True:
                with paused():
                    items = next(chunks, None)
                    if items is None:
                        break
                    run.chunk(items)
                run.problems.save(POS_COUNTS)
                if direct:
                    lease_renew(batch)
                if progress is not None:
                    progress(batch.rows, batch.total)
    except ImportFileError as exc:
        raise _fail(batch, exc.message) from exc
    except Exception as exc:
        if direct:
            run_failed(batch, exc)
        raise
    batch.state = ImportBatch.State.DRY_RUN if dry_run else ImportBatch.State.DONE
    batch.finished_at = timezone.now()
    if direct:
        lease_give_back(batch)
    batch.save()
    return batch


def pos_report(batch: ImportBatch, *, listed: bool = True) -> dict[str, Any]:
    """The summary of a purchases import the CLI prints with --json; ``listed``: with every bad
    row and value left out (the CLI streams them instead)."""
    return {
        "batch_id": batch.pk,
        "kind": batch.kind,
        "file": batch.file_name,
        "state": batch.state,
        "dry_run": batch.dry_run,
        "rows": batch.rows,
        "purchases_created": batch.created,
        "people_created": batch.people_created,
        "already_imported": batch.unchanged,
        "unknown_people": batch.skipped,
        "error_count": batch.error_count,
        "errors": list(problems_all(batch, ImportProblem.Kind.ERROR)) if listed else [],
        "warning_count": batch.warning_count,
        "warnings": list(problems_all(batch, ImportProblem.Kind.WARNING)) if listed else [],
        "message": batch.message,
    }


def pos_report_text(batch: ImportBatch) -> str:
    """The one-line summary the CLI prints."""
    return _(
        "%(file)s: %(created)d purchases imported, %(people)d people created, %(already)d "
        "already imported, %(unknown)d rows of nobody known, %(errors)d bad rows, "
        "%(warnings)d values left out%(dry)s (batch %(id)s)."
    ) % {
        "file": batch.file_name,
        "created": batch.created,
        "people": batch.people_created,
        "already": batch.unchanged,
        "unknown": batch.skipped,
        "errors": batch.error_count,
        "warnings": batch.warning_count,
        "dry": _(" — dry run, nothing written") if batch.dry_run else "",
        "id": batch.pk,
    }
