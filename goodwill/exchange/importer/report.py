"""The end-of-import report: counts, and the bad rows as a CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from goodwill.exchange.models import MAX_STORED_ERRORS, ImportBatch

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHOWN = ("line", "column", "message")  # a warning also stores its row's person_id, for erasure


def shown(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The problems as reports show them: line, column and message only."""
    return [{key: problem.get(key) for key in SHOWN} for problem in problems]


def report(batch: ImportBatch) -> dict[str, Any]:
    """The summary the CLI prints with --json and the API returns."""
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
        "errors": shown(batch.errors),
        "warning_count": batch.warning_count,
        "warnings": shown(batch.warnings),
        "message": batch.message,
    }


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def unlisted(batch: ImportBatch) -> tuple[int, int]:
    """How many bad rows and values left out the batch counted past those it keeps
    (MAX_STORED_ERRORS of each; possible duplicates are listed with the bad rows)."""
    errors = batch.error_count + batch.duplicates - len(batch.errors)
    warnings = batch.warning_count - len(batch.warnings)
    kept = MAX_STORED_ERRORS
    return (
        errors if len(batch.errors) >= kept and errors > 0 else 0,
        warnings if len(batch.warnings) >= kept and warnings > 0 else 0,
    )


def report_csv(batch: ImportBatch) -> str:
    """The batch's bad rows, then the values left out of imported rows, as CSV text for
    download: line, column, message and kind ("error" or "warning"). Past the first
    MAX_STORED_ERRORS of either, a last row of that kind says how many more there were."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "column", "message", "kind"])
    errors_more, warnings_more = unlisted(batch)
    lists = (
        ("error", batch.errors, errors_more),
        ("warning", batch.warnings, warnings_more),
    )
    for kind, problems, more in lists:
        for problem in problems:
            writer.writerow(
                [
                    safe_cell(problem.get("line")),
                    safe_cell(problem.get("column")),
                    safe_cell(problem.get("message")),
                    kind,
                ]
            )
        if more:
            note = _("%(n)d more not listed: an import keeps the first %(max)d.") % {
                "n": more,
                "max": MAX_STORED_ERRORS,
            }
            writer.writerow(["", "", note, kind])
    return out.getvalue()
