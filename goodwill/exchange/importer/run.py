"""``import_run``: stream a contacts file into people, chunk by chunk, and record the batch."""

from __future__ import annotations

import datetime as dt
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
from goodwill.core.errors import Invalid
from goodwill.exchange.importer.plan import Plan, plan_chunk
from goodwill.exchange.importer.rows import ImportRow, import_row
from goodwill.exchange.importer.write import Written, changes_for, write_chunk
from goodwill.exchange.models import MAX_STORED_ERRORS, ImportBatch
from goodwill.exchange.parse import ContactRecord, ImportFileError, RowError, open_import

DEFAULT_CHUNK = 5000
UNMAPPED_CHOICES = ("ignore", "notes")
_COUNTS = ["rows", "created", "updated", "unchanged", "skipped", "duplicates", "error_count"]


Item = ContactRecord | RowError


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _add_errors(batch: ImportBatch, errors: list[RowError]) -> None:
    batch.error_count += len(errors)
    room = MAX_STORED_ERRORS - len(batch.errors)
    batch.errors += [
        {"line": e.line, "column": e.column, "message": e.message} for e in errors[: max(room, 0)]
    ]


def _list_duplicates(batch: ImportBatch, plan: Plan) -> None:
    """Possible duplicates that were not created are listed with the bad rows (not counted)."""
    room = MAX_STORED_ERRORS - len(batch.errors)
    for row, person_id in plan.duplicates[: max(room, 0)]:
        message = _("Possible duplicate of person %(id)s (same name); skipped.") % {
            "id": person_id or _("earlier in this file")
        }
        batch.errors.append({"line": row.line, "column": "name", "message": message})


def _check_rows(
    items: list[Item], *, region: str, unmapped: str, today: dt.date
) -> tuple[list[ImportRow], list[RowError]]:
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for item in items:
        if isinstance(item, RowError):
            errors.append(item)
            continue
        checked = import_row(item, region=region, unmapped=unmapped, today=today)
        if isinstance(checked, RowError):
            errors.append(checked)
        else:
            rows.append(checked)
    return rows, errors


def _dry_write(plan: Plan, *, overwrite: bool) -> Written:
    out = Written(created=[0] * len(plan.new))
    for stored, row in plan.updates:
        if changes_for(stored, row, overwrite=overwrite):
            out.updated.append(stored.person.pk)
        else:
            out.unchanged += 1
    return out


def _run_chunk(
    batch: ImportBatch,
    items: list[Item],
    *,
    actor: User | None,
    options: dict[str, Any],
    seen: set[str] | None,
) -> None:
    rows, errors = _check_rows(
        items,
        region=str(options["region"]),
        unmapped=str(options["unmapped"]),
        today=options["today"],
    )
    plan = plan_chunk(rows, dedupe=batch.dedupe, seen=seen)
    overwrite = batch.dedupe == ImportBatch.Dedupe.OVERWRITE
    if batch.dry_run:
        written = _dry_write(plan, overwrite=overwrite)
    else:
        written = write_chunk(
            actor=actor, batch=batch, new=plan.new, updates=plan.updates, overwrite=overwrite
        )
    batch.rows += len(items)
    batch.created += len(written.created)
    batch.updated += len(written.updated) + plan.merged
    batch.unchanged += written.unchanged
    batch.skipped += plan.skipped + len(plan.duplicates)
    batch.duplicates += len(plan.duplicates)
    _add_errors(batch, errors + written.errors)
    _list_duplicates(batch, plan)


def _fail(batch: ImportBatch, message: str) -> Invalid:
    batch.state = ImportBatch.State.FAILED
    batch.message = message
    batch.finished_at = timezone.now()
    batch.save()
    return Invalid.field("file", message)


def import_run(
    *,
    actor: User | None,
    path: str | os.PathLike[str],
    format: str | None = None,  # noqa: A002 - the CLI option is called --format
    mapping: dict[str, str] | None = None,
    dedupe: str = ImportBatch.Dedupe.UPDATE_EMPTY,
    dry_run: bool = False,
    unmapped: str = "ignore",
    day_first: bool = False,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import a CSV or vCard file (managers): new people created in bulk, matched ones updated
    per ``dedupe``, one short transaction per chunk; bad rows are listed, never half-written.

    A file that cannot be read ends the batch "failed" and raises Invalid on ``file``; a dry
    run writes nothing but the batch row. ``batch`` is a pending batch to run (a queued job).
    """
    require_role(actor, User.Role.MANAGER)
    if dedupe not in ImportBatch.Dedupe.values:
        raise Invalid.field("dedupe", _("Choose update-empty, overwrite, skip or create."))
    if unmapped not in UNMAPPED_CHOICES:
        raise Invalid.field("unmapped", _("Choose notes or ignore."))
    batch = batch or ImportBatch(file_name=Path(path).name[:255], created_by=actor)
    batch.state, batch.dedupe, batch.dry_run = ImportBatch.State.RUNNING, dedupe, dry_run
    batch.save()
    options: dict[str, Any] = {
        "region": business_get().phone_region,
        "unmapped": unmapped,
        "today": timezone.now().date(),
    }
    seen: set[str] | None = set() if dry_run else None
    try:
        file = open_import(path, format=format)
        batch.format, batch.encoding = file.format, file.encoding
        for items in _chunks(file.records(overrides=mapping, day_first=day_first), max(1, chunk)):
            _run_chunk(batch, items, actor=actor, options=options, seen=seen)
            batch.save(update_fields=[*_COUNTS, "errors", "format", "encoding"])
            if progress is not None:
                progress(batch.rows)
    except ImportFileError as exc:
        raise _fail(batch, exc.message) from exc
    batch.state = ImportBatch.State.DRY_RUN if dry_run else ImportBatch.State.DONE
    batch.finished_at = timezone.now()
    batch.save()
    return batch
