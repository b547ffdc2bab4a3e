"""The end-of-import report: counts, and the bad rows, the possible duplicates left out and the
values left out, as a CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from goodwill.exchange.export.csv import neutralise
from goodwill.exchange.models import ImportBatch, ImportProblem

_PIECE = 64 * 1024  # characters of the report sent at a time
SHOWN = ("line", "column", "message")  # a warning also keeps whose row it was, for erasure
# The report's kind of a row left out as a possible duplicate, as the import page lists them.
DUPLICATE = "possible duplicate"


def report(batch: ImportBatch, *, listed: bool = True) -> dict[str, Any]:
    """The batch's counts and (``listed``) every bad row, possible duplicate left out and value
    left out, as lists; the CLI reads the counts only and streams the lists (``bad_rows_all``,
    ``duplicates_all``, ``problems_all``)."""
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
        "errors": list(bad_rows_all(batch)) if listed else [],
        "duplicates": list(duplicates_all(batch)) if listed else [],
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


def _duplicates(batch: ImportBatch) -> QuerySet[ImportProblem]:
    """The rows not imported as possible duplicates (each names the person it may be)."""
    return batch.problems.filter(kind=ImportProblem.Kind.ERROR, person_id__isnull=False)


def _bad_rows(batch: ImportBatch) -> QuerySet[ImportProblem]:
    """The rows not imported, but for the possible duplicates of a person."""
    return batch.problems.filter(kind=ImportProblem.Kind.ERROR, person_id__isnull=True)


def _person(row: dict[str, Any]) -> dict[str, Any]:
    """A possible duplicate as listed: ``person_id`` None for a row earlier in the file (0)."""
    return {**row, "person_id": row["person_id"] or None}


def duplicates_listed(batch: ImportBatch, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows not imported as possible duplicates, each with the person it
    may be (``person_id``; None: a row earlier in the file)."""
    return [_person(row) for row in _duplicates(batch).values(*SHOWN, "person_id")[:limit]]


def bad_rows_listed(batch: ImportBatch, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows not imported, but for the possible duplicates of a person."""
    return list(_bad_rows(batch).values(*SHOWN)[:limit])


def duplicates_all(batch: ImportBatch) -> Iterator[dict[str, Any]]:
    """``duplicates_listed``, every one, read a few thousand at a time."""
    found = _duplicates(batch).values(*SHOWN, "person_id").iterator(chunk_size=2000)
    return (_person(row) for row in found)


def bad_rows_all(batch: ImportBatch) -> Iterator[dict[str, Any]]:
    """``bad_rows_listed``, every one, read a few thousand at a time (they agree with
    ``error_count``)."""
    found: Iterator[dict[str, Any]] = _bad_rows(batch).values(*SHOWN).iterator(chunk_size=2000)
    return found


def problems_all(batch: ImportBatch, kind: str) -> Iterator[dict[str, Any]]:
    """Every problem of ``kind``, in the order they were listed, read a few thousand at a time
    (an import of a million bad rows lists a million)."""
    found: Iterator[dict[str, Any]] = (
        batch.problems.filter(kind=kind).values(*SHOWN).iterator(chunk_size=2000)
    )
    return found


def report_lines(batch: ImportBatch) -> Iterator[str]:
    """The batch's bad rows, then the rows left out as possible duplicates, then the values left
    out of imported rows, as CSV text for download, a piece at a time: line, column, message
    and kind ("error", "possible duplicate" or "warning"); every one of them."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "column", "message", "kind"])
    listed = (
        (bad_rows_all(batch), ImportProblem.Kind.ERROR.value),
        (duplicates_all(batch), DUPLICATE),
        (problems_all(batch, ImportProblem.Kind.WARNING), ImportProblem.Kind.WARNING.value),
    )
    for problems, kind in listed:
        for problem in problems:
            writer.writerow([safe_cell(problem[key]) for key in SHOWN] + [kind])
            if out.tell() > _PIECE:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    yield out.getvalue()


def report_csv(batch: ImportBatch) -> str:
    """``report_lines`` as one text (the CLI and tests; the web streams the lines)."""
    return "".join(report_lines(batch))
