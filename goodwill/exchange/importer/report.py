"""The end-of-import report: counts, and the bad rows as a CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from goodwill.exchange.models import ImportBatch

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        "errors": list(batch.errors),
        "message": batch.message,
    }


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_csv(batch: ImportBatch) -> str:
    """The batch's bad rows (line, column, message) as CSV text for download."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "column", "message"])
    for error in batch.errors:
        writer.writerow(
            [
                safe_cell(error.get("line")),
                safe_cell(error.get("column")),
                safe_cell(error.get("message")),
            ]
        )
    return out.getvalue()
