"""The dialect of a CSV file: its delimiter (comma, semicolon, tab or pipe, found from the
header line, or the one Excel's first line ``sep=X`` declares), a csv reader set up with it
that starts at the header, and the header again further down (two files joined end to end)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from django.utils.translation import gettext as _

from goodwill.exchange.parse.records import ImportFileError, RowError

if TYPE_CHECKING:
    from _csv import Reader

SNIFF_CHARS = 16 * 1024
DELIMITERS = ",;\t|"
# Excel's first line "sep=X" declares the delimiter X (repeated when a spreadsheet padded it).
_EXCEL_SEP = re.compile(r"\ufeff?sep=([^\"\r\n])\1*[ \t]*(?:\r\n|\n|\r|$)", re.IGNORECASE)


def declared_delimiter(sample: str) -> str:
    """The delimiter that Excel's first line ``sep=X`` declares in a CSV sample, or ""."""
    match = _EXCEL_SEP.match(sample)
    return match.group(1) if match else ""


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: csv.Sniffer when its answer appears in the header line,
    else the most frequent of comma, semicolon, tab and pipe in that line (comma when none;
    comma first on a tie, so a pipe inside a comma file's values stays a value)."""
    first = sample.lstrip("\ufeff\r\n").split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first:
        return sniffed
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(stream: TextIO) -> tuple[Reader, str]:
    """A csv reader over ``stream`` from its start, and the delimiter: the one Excel's first
    line ``sep=X`` declares (that line then read past, so the header comes from the next one
    and line numbers stay the file's), else the sniffed one."""
    sample = stream.read(SNIFF_CHARS)
    stream.seek(0)
    declared = declared_delimiter(sample)
    delimiter = declared or sniff_delimiter(sample)
    reader = csv.reader(stream, delimiter=delimiter, quotechar='"')
    if declared:
        next(reader, None)  # the "sep=" line
    return reader, delimiter


def read_header(stream: TextIO) -> tuple[list[str], str, int]:
    """The header row, delimiter and header's line of a CSV stream; the stream is left at its
    start."""
    reader, delimiter = csv_rows(stream)
    header = header_row(reader, file_name(stream))
    line = reader.line_num
    stream.seek(0)
    return header, delimiter, line


def has_rows(stream: TextIO) -> bool:
    """Whether a CSV stream has a row with something in it after its header; the stream is
    left at its start."""
    rows, _delimiter = csv_rows(stream)
    filled = (row for row in rows if any(c.strip() for c in row))
    try:
        next(filled, None)  # the header
        found = next(filled, None) is not None
    except csv.Error:  # a row that cannot be read: the run lists it
        found = True
    stream.seek(0)
    return found


def file_name(stream: TextIO) -> str:
    """The name of the file ``stream`` reads, for messages ("" for a stream of no file)."""
    return Path(str(getattr(stream, "name", ""))).name


def header_row(reader: Reader, name: str) -> list[str]:
    """The first row with something in it (the header), stripped; ImportFileError naming the
    file ``name`` and the line when it cannot be read (a line of more than 16 MiB)."""
    try:
        for row in reader:
            if any(c.strip() for c in row):
                return [h.strip().lstrip("\ufeff") for h in row]
    except csv.Error as exc:
        raise ImportFileError(
            _("%(name)s: line %(line)d cannot be read (%(e)s).")
            % {"name": name, "line": reader.line_num, "e": exc}
        ) from exc
    return []


def _plain(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().casefold()


class HeaderAgain:
    """Whether a row is the header again (the second of two files joined end to end, a byte
    order mark before it, another case or spaces around a name ignored)."""

    def __init__(self, header: list[str]) -> None:
        self.names = [_plain(name) for name in header]
        while self.names and not self.names[-1]:
            self.names.pop()
        self.first = self.names[0] if self.names else ""

    def __call__(self, row: list[str]) -> bool:
        # Most rows differ from the header in their first cell: one look at it suffices.
        if not row or self.first not in row[0].casefold():
            return False
        cells = [_plain(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        return cells == self.names


def repeated_header(line: int) -> RowError:
    """The RowError of a row that repeats the header, which is no person."""
    message = _("This row repeats the header (were two files joined?); it was not imported.")
    return RowError(line, "", message)


def check_header(name: str, header: list[str], line: int) -> None:
    """ImportFileError naming ``name`` when the header row (on ``line``) is missing or repeats
    a name."""
    if not any(header):
        raise ImportFileError(_("%(name)s: there is no header row.") % {"name": name})
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    for h in header:
        if h:
            first.setdefault(h.casefold(), h)
            counts[h.casefold()] = counts.get(h.casefold(), 0) + 1
    duplicates = [first[k] for k, n in counts.items() if n > 1]
    if duplicates:
        raise ImportFileError(
            _("%(name)s: the header on line %(line)d names these columns more than once: %(cols)s.")
            % {"name": name, "line": line, "cols": ", ".join(duplicates)}
        )
