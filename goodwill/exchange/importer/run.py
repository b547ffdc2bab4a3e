"""``import_run``: stream a contacts file into people, chunk by chunk, and record the batch."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import ExitStack, closing
from itertools import islice
from pathlib import Path
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.core.errors import Invalid
from goodwill.core.gc import ChunkPauses
from goodwill.exchange.importer.connection import (
    fewer_checkpoints,
    smaller_cache,
    unmapped_database,
)
from goodwill.exchange.importer.deferred import (
    indexes_defer,
    indexes_restore,
    indexes_restore_quietly,
    should_defer,
)
from goodwill.exchange.importer.dry_run import dry_write
from goodwill.exchange.importer.lease import (
    lease_give_back,
    lease_renew,
    lease_take,
    run_failed,
    stale_runs_fail,
)
from goodwill.exchange.importer.links import Links
from goodwill.exchange.importer.memory import DryRunMemory
from goodwill.exchange.importer.owners import erased_lines, row_owners
from goodwill.exchange.importer.plan import Plan, plan_chunk
from goodwill.exchange.importer.problems import Problems
from goodwill.exchange.importer.progress import count_rows
from goodwill.exchange.importer.rows import CATEGORY_CHOICES, ImportRow, import_row
from goodwill.exchange.importer.window import NONE, Window
from goodwill.exchange.importer.write import source_detail, write_chunk
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse import (
    ContactRecord,
    ImportFile,
    ImportFileError,
    RowError,
    open_import,
)
from goodwill.people.models import Person

DEFAULT_CHUNK = 5000
UNMAPPED_CHOICES = ("ignore", "notes")
DUPLICATE_CHOICES = ("skip", "create")

COUNTS = [  # what a run counts, saved after each chunk
    "rows",
    "created",
    "updated",
    "unchanged",
    "skipped",
    "duplicates",
    "error_count",
    "warning_count",
]

Item = ContactRecord | RowError


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _list_duplicates(problems: Problems, plan: Plan) -> None:
    """Possible duplicates that were not created are listed (counted in ``duplicates``), each
    with the person of the same name it may be (their id, for a link; 0: a row before it)."""
    ids = {person_id for _, person_id in plan.duplicates if person_id}
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=ids)} if ids else {}
    for row, person_id in plan.duplicates:
        if name := names.get(person_id, ""):
            message = _("Possible duplicate of %(name)s (same name); skipped.") % {"name": name}
        else:
            message = _("Possible duplicate of a row earlier in this file (same name); skipped.")
        problems.listed(row.line, "name", message, person_id=person_id if name else 0)


def _check_rows(
    items: list[Item], *, region: str, unmapped: str, categories: str, today: dt.date
) -> tuple[list[ImportRow], list[RowError]]:
    """The chunk's good rows (the values dropped from them in their ``warnings``) and its
    refused rows."""
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for item in items:
        if isinstance(item, RowError):
            errors.append(item)
            continue
        checked = import_row(
            item, region=region, unmapped=unmapped, categories=categories, today=today
        )
        if isinstance(checked, RowError):
            errors.append(checked)
        else:
            rows.append(checked)
    return rows, errors


def _run_chunk(
    batch: ImportBatch,
    items: list[Item],
    *,
    actor: User | None,
    options: dict[str, Any],
    seen: DryRunMemory | None,
    problems: Problems,
    window: Window = NONE,
    links: Links | None = None,
) -> None:
    window.refresh()  # the people added since the last chunk, while the indexes are deferred
    rows, errors = _check_rows(
        items,
        region=str(options["region"]),
        unmapped=str(options["unmapped"]),
        categories=str(options["categories"]),
        today=options["today"],
    )
    plan = plan_chunk(
        rows,
        dedupe=batch.dedupe,
        seen=seen,
        possible_duplicates=str(options["possible_duplicates"]),
        window=window,
    )
    overwrite = batch.dedupe == ImportBatch.Dedupe.OVERWRITE
    if seen is not None:  # a dry run
        written = dry_write(plan.new, plan.updates, overwrite=overwrite, seen=seen)
    else:
        written = write_chunk(
            actor=actor, batch=batch, new=plan.new, updates=plan.updates, overwrite=overwrite
        )
    if links is not None:
        links.chunk(plan, written)
    batch.rows += len(items)
    batch.created += len(written.created)
    batch.updated += len(written.updated) + plan.merged
    batch.unchanged += written.unchanged + plan.merged_unchanged
    batch.skipped += plan.skipped + len(plan.duplicates)
    batch.duplicates += len(plan.duplicates)
    # Read after the write: matching a row with a stored person can leave a value out too.
    warned = [row for row in rows if row.warnings]
    warnings = [w for row in warned for w in row.warnings]
    owners: dict[int, dict[str, Any]] = {}
    if warned:
        # An erased person's row is skipped: what it held is not kept, not even as a warning.
        erased = erased_lines(warned)
        warnings = [w for w in warnings if w.line not in erased]
        warned = [row for row in warned if row.line not in erased]
        window.refresh()  # and the people this chunk added, whose rows a warned row may join
        owners = row_owners(plan, written, warned, dry_run=batch.dry_run, window=window)
    problems.errors(errors + written.errors)
    problems.warnings(warnings, owners)
    _list_duplicates(problems, plan)
    if plan.erased:  # only the line: nothing of what the row held is kept (the file has it)
        gone = _("The row of someone who was erased: skipped, and nothing of it kept.")
        problems.warnings(RowError(line, "", gone) for line in plan.erased)


def _fail(batch: ImportBatch, message: str) -> Invalid:
    if batch.lease_owner and not batch.stored_file:  # a direct run's own lease
        lease_give_back(batch)
    batch.state = ImportBatch.State.FAILED
    batch.message = message
    batch.finished_at = timezone.now()
    batch.save()
    return Invalid.field("file", message)


def check_options(dedupe: str, unmapped: str, categories: str, duplicates: str) -> None:
    """Invalid, naming the option, for a choice ``import_run`` does not know."""
    if dedupe not in ImportBatch.Dedupe.values:
        raise Invalid.field("dedupe", _("Choose update-empty, overwrite, skip or create."))
    if unmapped not in UNMAPPED_CHOICES:
        raise Invalid.field("unmapped", _("Choose notes or ignore."))
    if categories not in CATEGORY_CHOICES:
        raise Invalid.field("categories", _("Choose interests, tags, notes or ignore."))
    if duplicates not in DUPLICATE_CHOICES:
        raise Invalid.field("possible_duplicates", _("Choose skip or create."))


def check_mapping(
    path: str | os.PathLike[str],
    format: str | None,
    mapping: dict[str, str] | None,  # noqa: A002
) -> None:
    """Invalid on ``map`` when ``mapping`` names a column or field the file's header does not
    have, or maps the columns of a vCard (whose properties say what they are). A file that
    cannot be read is left to the run, which records it."""
    if not mapping:
        return
    try:
        file = open_import(path, format=format)
    except ImportFileError:
        return
    if file.format != "csv":
        raise Invalid.field("map", _("Only a CSV file's columns can be mapped; this is a vCard."))
    problem = _first_record_problem(file, mapping)
    if problem and problem != _first_record_problem(file, None):  # the mapping's, not the file's
        raise Invalid.field("map", problem)


def _first_record_problem(file: ImportFile, mapping: dict[str, str] | None) -> str:
    """Why the file's first record cannot be read with ``mapping`` ("" when it can)."""
    try:
        with closing(cast(Generator[Any, None, None], file.records(overrides=mapping))) as rows:
            next(rows, None)
    except ImportFileError as exc:
        return exc.message
    return ""


def import_run(
    *,
    actor: User | None,
    path: str | os.PathLike[str],
    format: str | None = None,  # noqa: A002 - the CLI option is called --format
    mapping: dict[str, str] | None = None,
    dedupe: str = ImportBatch.Dedupe.UPDATE_EMPTY,
    dry_run: bool = False,
    unmapped: str = "ignore",
    categories: str = "interests",
    possible_duplicates: str = "skip",
    day_first: bool = False,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import a CSV or vCard file (managers): new people created in bulk, matched ones updated
    per ``dedupe`` (rows matched by name alone: ``possible_duplicates``), one short transaction
    per chunk; bad rows are listed, never half-written,
    and values dropped from good rows (a placeholder phone) are listed as warnings.

    A file that cannot be read ends the batch "failed" and raises Invalid on ``file``; a dry
    run writes nothing but the batch row. ``batch`` is a claimed batch to run (a queued job):
    its counts grow chunk by chunk, against ``total`` counted first, for the progress page.
    ``progress(rows, total)`` is called after each chunk.
    """
    require_role(actor, User.Role.MANAGER)
    check_options(dedupe, unmapped, categories, possible_duplicates)
    if batch is None:  # a queued batch's mapping was checked when it was queued
        check_mapping(path, format, mapping)
    direct = batch is None  # not a queued batch, which has its worker's lease
    stale_runs_fail()
    batch = batch or ImportBatch(file_name=Path(path).name[:255], created_by=actor)
    batch.state, batch.dedupe, batch.dry_run = ImportBatch.State.RUNNING, dedupe, dry_run
    batch.started_at = timezone.now()
    if direct:
        lease_take(batch)
    batch.save()
    options: dict[str, Any] = {
        "region": business_get().phone_region,
        "unmapped": unmapped,
        "categories": categories,
        "possible_duplicates": possible_duplicates,
        "today": timezone.now().date(),
    }
    seen = DryRunMemory() if dry_run else None
    indexes_restore()  # those of an import that was killed, if any
    window, problems = NONE, Problems(batch)
    links = Links(dry_run=dry_run)
    try:
        file = open_import(path, format=format)
        batch.format, batch.encoding, batch.size = file.format, file.encoding, file.size
        batch.total = count_rows(file)
        batch.save(update_fields=["format", "encoding", "size", "total"])
        chunks = _chunks(file.records(overrides=mapping, day_first=day_first), max(1, chunk))
        with unmapped_database(), fewer_checkpoints(), ExitStack() as deferring:
            paused = ChunkPauses()
            try:
                while True:
                    with paused():  # reading and writing a chunk
                        items = next(chunks, None)
                        if items is None:
                            break
                        _run_chunk(
                            batch,
                            items,
                            actor=actor,
                            options=options,
                            seen=seen,
                            problems=problems,
                            window=window,
                            links=links,
                        )
                    problems.save(COUNTS)
                    if direct:
                        lease_renew(batch)
                    if not window.open and should_defer(batch):
                        deferral = indexes_defer(batch)
                        if deferral.names:  # not already deferred by another import
                            window = Window(deferral.at, rows=batch.total - batch.rows)
                            deferring.enter_context(smaller_cache())
                    if progress is not None:
                        progress(batch.rows, batch.total)
            except BaseException:
                if window.open:  # built again however the run ended, and its own error reported
                    window.close()
                    indexes_restore_quietly()
                raise
            if direct:
                lease_renew(batch)  # before the steps without chunks
            if window.open:
                window.close()  # its memory is given back before the indexes are sorted
                indexes_restore()
            # The cards that name each other, once all are read (and the indexes are back).
            problems.warnings(*links.finish(actor=actor, detail=source_detail(batch), batch=batch))
            problems.save(COUNTS)
    except ImportFileError as exc:
        raise _fail(batch, exc.message) from exc
    except Exception as exc:
        if direct:
            run_failed(batch, exc)
        raise
    finally:
        window.close()
        links.close()
        if seen is not None:
            seen.close()
    batch.state = ImportBatch.State.DRY_RUN if dry_run else ImportBatch.State.DONE
    batch.finished_at = timezone.now()
    if direct:
        lease_give_back(batch)
    batch.save()
    return batch
