"""Read a point-of-sale CSV export lazily: one PosRecord (the mapped cells of a row) or RowError
per row, with the delimiter sniffing, header checks and bad-row handling of the contacts reader.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from django.utils.translation import gettext as _

from goodwill.exchange.parse.csv_dialect import check_header, csv_rows, file_name, header_row
from goodwill.exchange.parse.csv_quotes import unreadable
from goodwill.exchange.parse.detect import ImportFile
from goodwill.exchange.parse.records import ImportFileError, RowError
from goodwill.exchange.pos.columns import apply_overrides, auto_mapping, check_mapping


@dataclass(frozen=True, slots=True)
class PosRecord:
    """One row: {field: (column header, cell)} for its mapped, non-empty cells; ``headers``
    (shared by every row) names the first column of each mapped field."""

    line: int
    cells: dict[str, tuple[str, str]]
    headers: dict[str, str]

    def value(self, field: str) -> str:
        return self.cells[field][1] if field in self.cells else ""

    def column(self, field: str) -> str:
        if field in self.cells:
            return self.cells[field][0]
        return self.headers.get(field, field)


def read_header(stream: TextIO) -> tuple[list[str], Any]:
    """The header row of ``stream`` and a reader positioned after it (after Excel's ``sep=X``
    line too)."""
    reader, _delimiter = csv_rows(stream)
    return header_row(reader, file_name(stream)), reader


def pos_mapping(name: str, header: list[str], overrides: dict[str, str], line: int) -> list[str]:
    """The checked field of each column (the header on ``line``); ImportFileError naming the
    file when it cannot be imported as purchases."""
    check_header(name, header, line)
    mapping = apply_overrides(header, auto_mapping(header), overrides)
    check_mapping(name, header, mapping)
    return mapping


def pos_columns(file: ImportFile, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """{header: field or ""} as the mapping step shows it."""
    with file.open_text() as stream:
        header, _reader = read_header(stream)
    return dict(
        zip(header, apply_overrides(header, auto_mapping(header), overrides or {}), strict=True)
    )


def read_pos(
    file: ImportFile, *, overrides: dict[str, str] | None = None
) -> Iterator[PosRecord | RowError]:
    """Every row of a POS export; ImportFileError for a file without a usable header or rows."""
    with file.open_text() as stream:
        header, reader = read_header(stream)
        mapping = pos_mapping(file.name, header, overrides or {}, reader.line_num)
        plan = [(i, header[i], field) for i, field in enumerate(mapping) if field]
        headers: dict[str, str] = {}
        for _i, column, field in plan:
            headers.setdefault(field, column)
        seen, previous = 0, reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield unreadable(exc, previous + 1, reader.line_num)
                previous = reader.line_num
                continue
            line, previous = previous + 1, reader.line_num
            if not "".join(row).strip():
                continue
            seen += 1
            yield _record(row, line, plan, header, headers)
    if not seen:
        raise ImportFileError(
            _("%(name)s: there are column headers but no rows to import.") % {"name": file.name}
        )


def _record(
    row: list[str],
    line: int,
    plan: list[tuple[int, str, str]],
    header: list[str],
    headers: dict[str, str],
) -> PosRecord | RowError:
    width = len(header)
    if len(row) > width and any(c.strip() for c in row[width:]):
        message = _("The row has %(n)d columns but the header has %(m)d.")
        return RowError(line, "", message % {"n": len(row), "m": width})
    joined = "".join(row)
    if "\ufffd" in joined or "\x00" in joined:  # NUL: no text, and PostgreSQL refuses it
        bad = next(i for i, c in enumerate(row) if "\ufffd" in c or "\x00" in c)
        column = header[bad] if bad < width else f"#{bad + 1}"
        return RowError(line, column, _("The row has bytes that are not text."))
    cells: dict[str, tuple[str, str]] = {}
    for index, column, field in plan:
        if index < len(row) and (value := row[index].strip()) and field not in cells:
            cells[field] = (column, value)
    return PosRecord(line, cells, headers)
