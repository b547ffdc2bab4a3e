"""A quote that is never closed: the CSV reader then takes the following lines, whole rows, as
part of one value, up to the next quote or the end of the file, and those rows would be lost
without a word. A value that runs over several lines is fine (an address, a note); one whose
later lines have exactly as many columns as the header is rows swallowed by an open quote.
A quote still open when the file ends (a download cut short in its last row) makes that row
one value of everything after it: such a last row is read again, strictly, from its lines as
they are in the file (``open_at_end``). A download cut short outside quotes leaves a last row
without its line break and short of columns (``last_row``): it is refused too, never stored
half-written."""

from __future__ import annotations

import csv
from collections import deque
from typing import TextIO

from django.utils.translation import gettext as _

from goodwill.exchange.parse.csv_mapping import column_name
from goodwill.exchange.parse.records import RowError


def _looks_like_rows(value: str, width: int, delimiter: str) -> int:
    """How many of the lines after the first of ``value`` split into ``width`` columns."""
    later = [text for text in value.split("\n")[1:] if text.strip()]
    return sum(1 for cells in csv.reader(later, delimiter=delimiter) if len(cells) == width)


def _swallowed(found: int, width: int, short: bool, value: str) -> bool:
    """Whether ``found`` row-like lines in a value mean an open quote: two or more; one in a
    record that came out short of columns (the quote ran to the end of the file), one holding
    a stray quote (where a later quote closed it), or one as wide as a wide file (five columns
    or more: an address or a note does not hold that many separators in a line)."""
    return found >= 2 or (found == 1 and (short or '"' in value or width >= 5))


def swallowed_rows(
    row: list[str], header: list[str], first: int, last: int, delimiter: str
) -> RowError | None:
    """A RowError for the record read from lines ``first`` to ``last`` when one of its values
    holds what look like rows swallowed by a quote left open (``_swallowed``)."""
    width = len(header)
    if width < 2:
        return None
    short = len(row) < width
    for index, value in enumerate(row):
        if "\n" not in value:
            continue
        found = _looks_like_rows(value, width, delimiter)
        if _swallowed(found, width, short, value):
            column = header[index] if index < width else f"#{index + 1}"
            message = _(
                "A quote opened in %(column)s on line %(first)d is not closed before line "
                "%(last)d, so lines %(next)d to %(last)d were read as part of it and none of "
                "them was imported; close the quote and import the file again (rows already "
                "imported are not added twice)."
            ) % {"column": column, "first": first, "next": first + 1, "last": last}
            return RowError(first, column, message)
    return None


def open_at_end(stream: TextIO, row: list[str], width: int, lines: int, delimiter: str) -> bool:
    """Whether the file's last row (``row``, its last ``lines`` lines) ends inside a quote: read
    again, strictly, from the file. Only a row that could be one is read again (short of
    columns, a value holding a line break or the delimiter, as one quote open to the end makes
    it, or a file that does not end with a line break): a last row like the others costs
    nothing."""
    odd = len(row) < width or any("\n" in v or "\r" in v or delimiter in v for v in row)
    if not odd and _ends_a_line(stream):
        return False
    stream.seek(0)
    raw = deque(stream, maxlen=lines)
    try:
        for _row in csv.reader(raw, delimiter=delimiter, quotechar='"', strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _ends_a_line(stream: TextIO) -> bool:
    """Whether the file ends with a line break (a download cut short seldom does); True when
    its bytes cannot be looked at."""
    return _ends_with(stream, (b"\n", b"\r"))


def _ends_a_quote(stream: TextIO) -> bool:
    """Whether the file's last value ends with its closing quote: the value is whole."""
    return _ends_with(stream, (b'"',))


def _ends_with(stream: TextIO, ends: tuple[bytes, ...]) -> bool:
    """Whether the file's last character is one of ``ends`` (ASCII); True when its bytes
    cannot be looked at."""
    raw = getattr(stream, "buffer", None)
    if raw is None or not raw.seekable():
        return True
    size = raw.seek(0, 2)
    raw.seek(max(size - 2, 0))
    last = raw.read(2)  # UTF-16 writes a line break as "\n\x00" or "\x00\n"
    return last.rstrip(b"\x00").endswith(ends) or last in (b"\x00" + end for end in ends)


def last_row(
    stream: TextIO,
    row: list[str],
    header: list[str],
    width: int,
    line: int,
    lines: int,
    delimiter: str,
) -> RowError | None:
    """Why the file's last row (``row``, on its last ``lines`` lines from ``line``) is not
    imported: a quote the end of the file left open (``cut_short``), or the file ends in the
    middle of it: no line break after it, and fewer columns than ``width``, the columns every
    row before it had (0: rows may be short) (``cut_off``). None for a last row like the others."""
    if open_at_end(stream, row, len(header), lines, delimiter):
        return cut_short(row, header, line)
    if len(row) < width and not _ends_a_line(stream) and not _ends_a_quote(stream):
        return cut_off(row, header, line)
    return None


def cut_off(row: list[str], header: list[str], line: int) -> RowError:
    """The RowError of a last row the end of the file cut off outside quotes."""
    column = column_name(header, max(len(row) - 1, 0))
    message = _(
        "The file ends in the middle of line %(line)d, in %(column)s, with %(n)d of the "
        "header's %(m)d columns and no line break: it seems cut short, so the row was not "
        "imported."
    ) % {"line": line, "column": column, "n": len(row), "m": len(header)}
    return RowError(line, column, message)


def cut_short(row: list[str], header: list[str], line: int) -> RowError:
    """The RowError of a last row whose quote the end of the file left open."""
    index = max(len(row) - 1, 0)
    column = header[index] if index < len(header) else f"#{index + 1}"
    message = _(
        "A quote opened in %(column)s on line %(line)d is not closed before the file ends "
        "(was the file cut short?); the row was not imported."
    ) % {"column": column, "line": line}
    return RowError(line, column, message)


def unreadable(exc: Exception, first: int, last: int) -> RowError:
    """The RowError of a record the csv reader gave up on: a value that grew past 16 MiB is a
    quote left open, which took every line up to ``last``; else the reader's reason."""
    if "field larger than field limit" not in str(exc):
        return RowError(first, "", _("The row cannot be read: %(e)s.") % {"e": exc})
    message = _(
        "A quote opened on line %(first)d is not closed within 16 MiB, so lines %(next)d to "
        "%(last)d were read as part of it and none of them was imported; close the quote and "
        "import the file again (rows already imported are not added twice)."
    ) % {"first": first, "next": first + 1, "last": last}
    return RowError(first, "", message)
