"""Whether a CSV file's dates are written day first: a date with slashes or dashes whose first
part is above 12 ("31/12/1980") can only be read so, and when the file's first rows hold such a
date and none whose second part is above 12 ("12/31/1980"), its dates are all read day first
("06/12/1978" too), with a warning on the row that shows it. Only the first ``SCAN_ROWS`` rows
are looked at, so a large file costs no second reading; a day-first date further on is refused
with a hint at the option (``dates``)."""

from __future__ import annotations

import csv
import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from goodwill.exchange.parse.records import RowError

if TYPE_CHECKING:
    from _csv import Reader

SCAN_ROWS = 5000
# A date in numbers with slashes or dashes, its year last or left out, a time after it.
_NUMBERS = re.compile(r"'?(\d{1,2})[/-](\d{1,2})(?:[/-](?:\d{2}|\d{4}))?(?:[ T].*)?")


def day_first_row(reader: Reader, dated: list[tuple[int, str]], line: int) -> RowError | None:
    """The warning for the first row of ``reader`` (its header read; ``line``: the header's)
    that holds a date written day first in a column of ``dated`` ((index, header) pairs), when
    none of its first ``SCAN_ROWS`` rows holds one written month first; None otherwise."""
    found: RowError | None = None
    try:
        for count, row in enumerate(reader):
            if count >= SCAN_ROWS:
                break
            for index, header in dated:
                if index >= len(row) or not (cell := row[index].strip()):
                    continue
                for value in cell.split(":::"):  # Google's several events in one cell
                    if not (match := _NUMBERS.fullmatch(value.strip())):
                        continue
                    first, second = int(match[1]), int(match[2])
                    if second > 12:
                        return None  # month first: the file says so itself
                    if first > 12 and found is None:
                        found = RowError(line + 1, header, _message(value.strip()))
            line = reader.line_num
    except csv.Error:  # the run lists the row it cannot read
        pass
    return found


def _message(value: str) -> str:
    return _(
        "%(value)s and the other dates of the file are read day first: some are written so "
        "and none is written month first (12/31/1980)."
    ) % {"value": value}
