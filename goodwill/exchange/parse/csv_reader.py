"""Read contacts from a CSV file of any delimiter, lazily, one record per row.

Rows are mapped by precomputed column indexes (csv_mapping), so a million rows stream through
in seconds with flat memory. A bad row becomes a RowError with its first physical line and
never stops the rows after it; a date that does not exist is left out of its row and noted in
the record's ``dropped``.

A cell that a spreadsheet-safe export (goodwill's among them) neutralised with a leading ``'``
before ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read without that ``'``, so
``'--04-12`` is a birthday without a year and ``'+19025550101`` a phone number again. An event
without a label is an "Anniversary", except in goodwill's own export, where it is an
anniversary that has no label, and its "Goodwill Event Kinds" tell the custom dates. A formatted
address ("Address 1 - Formatted") is read when the row has none in parts (``address``).
In a Windows-1252 file, a cell that is UTF-8 text ("ZoÃ«") is read as such, with a warning
(``csv_mend``). Without ``day_first``, dates are read day first when the first rows show they
are written so (``csv_dates``). Of a row's several addresses (Outlook's Business and Home
columns), one is kept and the others listed (``address.row_address``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO

from django.utils.translation import gettext as _

from goodwill.exchange.parse.address import row_address
from goodwill.exchange.parse.csv_cells import (
    GOOGLE_MULTI,
    categories,
    kept,
    kinds_of,
    label_of,
    labels_of,
    neutralised,
    own_labels,
    own_list,
    shared,
    tidy_label,
)
from goodwill.exchange.parse.csv_dates import day_first_row
from goodwill.exchange.parse.csv_dialect import (
    HeaderAgain,
    check_header,
    csv_rows,
    header_row,
    repeated_header,
)
from goodwill.exchange.parse.csv_dialect import has_rows as has_rows
from goodwill.exchange.parse.csv_dialect import read_header as read_header
from goodwill.exchange.parse.csv_fields import CellError, joined_birthday, pair_work, set_text
from goodwill.exchange.parse.csv_mapping import (
    ADDRESS_FIELDS,
    FORMATTED_ADDRESS,
    LIST_FIELDS,
    TEXT_FIELDS,
    Target,
    apply_overrides,
    auto_mapping,
    column_name,
    is_goodwill_export,
)
from goodwill.exchange.parse.csv_mend import MENDED, mend_row
from goodwill.exchange.parse.csv_quotes import last_row, swallowed_rows, unreadable
from goodwill.exchange.parse.dates import parse_csv_date
from goodwill.exchange.parse.records import (
    ContactRecord,
    ImportFileError,
    RowError,
    YearlyDate,
)

_TEXT, _CONTACT, _ADDRESS, _CATEGORIES, _DATE, _SPLIT_DATE, _LIST, _KINDS = range(8)
_WORK = frozenset({"organisation", "job_title"})
csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str
    target: Target
    label_index: int  # the paired "… - Type" column, or -1
    kind: int  # one of the _KIND_* values, so each cell dispatches on a small int


def read_csv(
    stream: TextIO,
    *,
    name: str = "",
    overrides: dict[str, str] | None = None,
    day_first: bool = False,
    encoding: str = "",
) -> Iterator[ContactRecord | RowError]:
    """Every row of ``stream`` as a ContactRecord or RowError; ImportFileError for a file that
    has no usable header or no rows. ``encoding``: the one the stream was decoded from, whose
    cells holding UTF-8 text are mended (``csv_mend``)."""
    reader, delimiter = csv_rows(stream)
    header = header_row(reader, name)
    columns, extra = _plan(name, header, overrides or {}, reader.line_num)
    guessed = None  # the warning that the file's dates are read day first
    if not day_first and (dated := [(c.index, c.header) for c in columns if c.kind == _DATE]):
        guessed = day_first_row(reader, dated, reader.line_num)
        stream.seek(0)  # the rows again, from the first
        reader, delimiter = csv_rows(stream)
        header_row(reader, name)
    own = is_goodwill_export(header)
    rows = _Rows(header, columns, extra, day_first or bool(guessed), own=own, encoding=encoding)
    rows.guessed = guessed
    seen = 0
    previous = reader.line_num
    # Each row is handed out once the next one is read: the file's last row is checked for a
    # quote the end of the file left open.
    held: tuple[list[str], int, int] | None = None
    full = 0  # rows before the last, while each had every column (-1: one was short)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if held:
                yield _record(rows, *held, header, delimiter)
                held = None
            yield unreadable(exc, previous + 1, reader.line_num)
            previous = reader.line_num
            continue
        line, previous = previous + 1, reader.line_num
        if not any(row) or not "".join(row).strip():
            continue
        seen += 1
        if held:
            full = full + 1 if full >= 0 and len(held[0]) >= len(header) else -1
            yield _record(rows, *held, header, delimiter)
        held = (row, line, previous)
    if held:
        row, line, last = held
        record = _record(rows, *held, header, delimiter)
        at_end = last == reader.line_num and not isinstance(record, RowError)
        width = len(header) if full > 0 else 0  # else a hand-made file's rows may stop early
        lines = last - line + 1
        cut = last_row(stream, row, header, width, line, lines, delimiter) if at_end else None
        yield cut or record
    if not seen:
        raise ImportFileError(
            _("%(name)s: there are column headers but no rows to import.") % {"name": name}
        )


def _record(
    rows: _Rows, row: list[str], line: int, last: int, header: list[str], delimiter: str
) -> ContactRecord | RowError:
    """The record of ``row`` (lines ``line`` to ``last``), or why rows swallowed by an open
    quote, or a row that repeats the header, were not imported."""
    if last > line and (open_quote := swallowed_rows(row, header, line, last, delimiter)):
        return open_quote
    if rows.header_again(row):
        return repeated_header(line)
    return rows.build(row, line)


def _plan(
    name: str, header: list[str], overrides: dict[str, str], line: int
) -> tuple[list[_Column], list[tuple[int, str]]]:
    check_header(name, header, line)
    mapping = apply_overrides(header, auto_mapping(header), overrides)
    if not any(t and t.field != "ignore" for t in mapping):
        raise ImportFileError(
            _("%(name)s: no column matches a contact field (columns: %(cols)s); map them.")
            % {"name": name, "cols": ", ".join(h for h in header[:12] if h)}
        )
    labels = {(t.field, t.group): i for i, t in enumerate(mapping) if t and t.group}
    columns = []
    for i, target in enumerate(mapping):
        if target is None or target.field == "ignore" or target.field.endswith("_label"):
            continue  # a label column is read with its value's column (``label_index``)
        pair = labels.get((f"{target.field}_label", target.group), -1) if target.group else -1
        columns.append(_Column(i, header[i], target, pair, _kind(target.field)))
    used = {c.index for c in columns} | {c.label_index for c in columns}
    extra = [
        (i, column_name(header, i))
        for i in range(len(header))
        if i not in used and mapping[i] is None
    ]
    return columns, extra


def _kind(field: str) -> int:
    if field in TEXT_FIELDS:
        return _TEXT
    if field in LIST_FIELDS:
        return _LIST
    if field in ("email", "phone"):
        return _CONTACT
    if field in ADDRESS_FIELDS or field == FORMATTED_ADDRESS:
        return _ADDRESS
    if field == "event_kinds":
        return _KINDS
    if field == "categories":
        return _CATEGORIES
    if field in ("birthday", "anniversary", "event"):
        return _DATE
    return _SPLIT_DATE


class _Rows:
    """Builds one record from one row with the precomputed column plan."""

    def __init__(
        self,
        header: list[str],
        columns: list[_Column],
        extra: list[tuple[int, str]],
        day_first: bool,
        *,
        own: bool = False,
        encoding: str = "",
    ) -> None:
        self.header = header
        self.header_again = HeaderAgain(header)
        self.width = len(header)
        self.plan = [(c, c.index, c.kind, c.target.field) for c in columns if c.kind != _KINDS]
        # goodwill's "Goodwill Event Kinds": which of the row's events are custom dates.
        self.kinds = next((c.index for c in columns if c.kind == _KINDS), -1)
        self.encoding = encoding if encoding in MENDED else ""  # cells to mend
        self.extra = extra
        self.day_first = day_first
        self.guessed: RowError | None = None
        # goodwill's own export writes no label for an anniversary that has none, and joins
        # its interests with " ::: " only: one may hold a comma ("rock, paper").
        self.unlabelled = "" if own else "Anniversary"
        self.own = own
        self.columns: dict[str, str] = {}  # each field's first column, for messages
        for c in columns:
            self.columns.setdefault(c.target.field, c.header)
        if "event" in self.columns:
            self.columns.setdefault("anniversary", self.columns["event"])

    def build(self, row: list[str], line: int) -> ContactRecord | RowError:
        if len(row) > self.width and any(c.strip() for c in row[self.width :]):
            return RowError(
                line,
                "",
                _("The row has %(n)d columns but the header has %(m)d.")
                % {"n": len(row), "m": self.width},
            )
        joined = "".join(row)
        if "\ufffd" in joined or "\x00" in joined:  # NUL: no text, and PostgreSQL refuses it
            bad = next(i for i, c in enumerate(row) if "\ufffd" in c or "\x00" in c)
            return RowError(line, self._name(bad), _("The row has bytes that are not text."))
        record = ContactRecord(line=line, columns=self.columns)
        if self.guessed is not None and self.guessed.line == line:
            record.notices.append(self.guessed)
        if self.encoding and not joined.isascii():
            for index, message in mend_row(row, self.encoding):
                record.notices.append(RowError(line, self._name(index), message))
        self._fill(record, row)
        if not record.has_content():
            return RowError(line, "", _("The row has no name, email, phone or company."))
        return record

    def _name(self, index: int) -> str:
        return self.header[index] if index < self.width else f"#{index + 1}"

    def _fill(self, record: ContactRecord, row: list[str]) -> None:
        size = len(row)
        addresses: dict[str, dict[str, str]] = {}
        split_birthday: dict[str, tuple[str, str]] = {}
        work: dict[str, list[str]] = {}  # several organisations or titles in one cell
        kinds = kinds_of(row, self.kinds)
        for col, index, kind, field in self.plan:
            if index >= size:
                continue
            value = row[index]
            if not value or not (value := value.strip()):
                continue
            if value[0] == "'" and neutralised(value) and not (value := value[1:].strip()):
                continue
            if kind == _TEXT and field in _WORK and ":::" in value:
                if not getattr(record, field) and field not in work:
                    work[field] = shared(value)
                    setattr(record, field, work[field][0])
            elif kind == _TEXT:
                set_text(record, field, kept(value) if self.own else value)
            elif kind == _CONTACT:
                bucket = record.emails if field == "email" else record.phones
                if self.own and col.label_index >= 0:  # goodwill's labels, exactly
                    values = value.split(GOOGLE_MULTI)
                    for v, own in zip(
                        values, own_labels(row, col.label_index, len(values)), strict=True
                    ):
                        if v := v.strip():
                            bucket.append((v, own))
                            record.origins[field, v] = col.header
                elif GOOGLE_MULTI in value:
                    values = value.split(GOOGLE_MULTI)
                    labels = labels_of(row, col.label_index, len(values))
                    for i, v in enumerate(values):
                        if v := v.strip():
                            bucket.append((v, _contact_label(field, labels[i], col)))
                            record.origins[field, v] = col.header
                else:  # the common case, inline: a million rows pay for every call
                    label = label_of(row, col.label_index) or col.target.label
                    if field == "phone" and label and "fax" in label.casefold():
                        label = "fax"
                    bucket.append((value, label))
                    record.origins[field, value] = col.header
            elif kind == _ADDRESS:
                group = addresses.setdefault(col.target.group, {"column": col.header})
                group.setdefault(field, value)
            elif kind == _CATEGORIES:
                for category in own_list(value) if self.own else categories(value):
                    if category not in record.categories:
                        record.categories.append(category)
            elif kind == _DATE and field == "birthday":
                record.birthday = record.birthday or self._date(record, col, value)
            elif kind == _DATE:
                self._events(record, col, value, row, kinds)
            elif kind == _LIST:
                names: list[str] = getattr(record, field)
                found = own_list(value) if self.own else categories(value)
                names += [n for n in found if n not in names]
            else:
                split_birthday[field] = (col.header, value)
        if work:
            pair_work(record, work)
        if addresses:
            record.address, left_out = row_address(addresses, record.line)
            record.dropped += left_out
        if split_birthday and not record.birthday:
            try:
                record.birthday = joined_birthday(split_birthday)
            except CellError as exc:
                record.dropped.append(RowError(record.line, exc.column, exc.message))
        for index, header in self.extra:
            if index < size and (value := row[index].strip()):
                record.extra[header] = value

    def _events(
        self,
        record: ContactRecord,
        col: _Column,
        value: str,
        row: list[str],
        kinds: Iterator[str] | None = None,
    ) -> None:
        """An event's dates with their labels: several in one cell (and its label cell) are
        separated by " ::: ", as Google and goodwill write them. goodwill's own labels are
        read as written, and its custom dates (``kinds``) go to ``custom_dates``."""
        values = value.split(GOOGLE_MULTI) if GOOGLE_MULTI in value else [value]
        if self.own:
            labels = [str(label) for label in own_labels(row, col.label_index, len(values))]
        else:
            labels = [tidy_label(label) for label in labels_of(row, col.label_index, len(values))]
        for one, label in zip(values, labels, strict=True):
            if not one.strip():
                continue
            custom = kinds is not None and next(kinds, "") == "custom"
            date = self._date(record, col, one.strip())
            if date is not None:
                dates = record.custom_dates if custom else record.anniversaries
                dates.append((label or self.unlabelled, date))

    def _date(self, record: ContactRecord, col: _Column, value: str) -> YearlyDate | None:
        """The date of a cell; one that does not exist is left out and noted on the record."""
        try:
            return _cached_date(value, self.day_first)
        except ValueError as exc:
            record.dropped.append(RowError(record.line, col.header, str(exc)))
            return None


@lru_cache(maxsize=4096)
def _cached_date(value: str, day_first: bool) -> YearlyDate | None:
    # Exports repeat the same dates and labels many times: parse each distinct one once.
    return parse_csv_date(value, day_first=day_first)


def _contact_label(field: str, label: str, col: _Column) -> str:
    label = label or col.target.label
    return "fax" if field == "phone" and "fax" in label.casefold() else label
