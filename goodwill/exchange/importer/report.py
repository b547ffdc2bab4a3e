"""The end-of-import report: counts, and the bad rows as a CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from goodwill.exchange.export.csv import neutralise
from goodwill.exchange.models import ImportBatch, ImportProblem

_PIECE = 64 * 1024  # characters of the report sent at a time
SHOWN = ("line", "column", "message")  # a warning also keeps whose row it was, for erasure


def report(batch: ImportBatch, *, listed: bool = True) -> dict[str, Any]:
    """The batch's counts and (``listed``) every bad row and value left out, as lists; the
    CLI reads the counts only and streams the lists (``problems_all``)."""
    return {
        "batch_id": batch.pk,
        "file": batch.file_name,
        "format": batch.format,
        "state": batch.state,
        "dry_run": batch.dry_run,
        "dedupe": batch.dedupe,
        "rows": batch.rows,
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "skipped": batch.skipped,
        "possible_duplicates": batch.duplicates,
        "error_count": batch.error_count,
        "errors": list(problems_all(batch, ImportProblem.Kind.ERROR)) if listed else [],
        "warning_count": batch.warning_count,
        "warnings": list(problems_all(batch, ImportProblem.Kind.WARNING)) if listed else [],
        "message": batch.message,
    }


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    return neutralise("" if value is None else str(value))


def problems_listed(batch: ImportBatch, kind: str, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` problems of ``kind`` ("error" or "warning") as reports show them;
    a row not imported as a possible duplicate has the ``person_id`` of the person it may be
    (0: a row earlier in the file; None on the others), for the page to list it apart."""
    shown = (*SHOWN, "person_id") if kind == ImportProblem.Kind.ERROR else SHOWN
    return list(batch.problems.filter(kind=kind).values(*shown)[:limit])


def duplicates_listed(batch: ImportBatch, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows not imported as possible duplicates, each with the person it
    may be (``person_id``; None: a row earlier in the file)."""
    found = batch.problems.filter(kind=ImportProblem.Kind.ERROR, person_id__isnull=False)
    listed = list(found.values(*SHOWN, "person_id")[:limit])
    return [{**row, "person_id": row["person_id"] or None} for row in listed]


def bad_rows_listed(batch: ImportBatch, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows not imported, but for the possible duplicates of a person."""
    found = batch.problems.filter(kind=ImportProblem.Kind.ERROR, person_id__isnull=True)
    return list(found.values(*SHOWN)[:limit])


def problems_all(batch: ImportBatch, kind: str) -> Iterator[dict[str, Any]]:
    """Every problem of ``kind``, in the order they were listed, read a few thousand at a time
    (an import of a million bad rows lists a million)."""
    found: Iterator[dict[str, Any]] = (
        batch.problems.filter(kind=kind).values(*SHOWN).iterator(chunk_size=2000)
    )
    return found


def report_lines(batch: ImportBatch) -> Iterator[str]:
    """The batch's bad rows, then the values left out of imported rows, as CSV text for
    download, a piece at a time: line, column, message and kind ("error" or "warning"); every
    one of them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "column", "message", "kind"])
    for kind in (ImportProblem.Kind.ERROR, ImportProblem.Kind.WARNING):
        for problem in problems_all(batch, kind):
            writer.writerow([safe_cell(problem[key]) for key in SHOWN] + [kind.value])
            if out.tell() > _PIECE:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    yield out.getvalue()


def report_csv(batch: ImportBatch) -> str:
    """``report_lines`` as one text (the CLI and tests; the web streams the lines)."""
    return "".join(report_lines(batch))
