"""UTF-8 text in a Windows-1252 file: a cell pasted from elsewhere keeps its UTF-8 bytes in a
file an older program saved in Windows-1252 (or Turkish Windows-1254), and reads as gibberish
("Zoë" as "ZoÃ«"). Such a cell is read as the UTF-8 text it is, and the row says so.

A cell is mended only when its bytes, as the file has them, are valid UTF-8 and hold a
character beyond ASCII: Western text almost never does ("Müller" does not: its "ü" is one byte
that starts no UTF-8 character), and a cell that mixes both is left as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# The encodings a file is read in as Western text (``detect.WESTERN``), and their names.
MENDED = {"cp1252": "Windows-1252", "cp1254": "Windows-1254"}


def mended(cell: str, encoding: str) -> str | None:
    """``cell`` read as UTF-8 text, if its bytes in ``encoding`` are some; else None."""
    if cell.isascii():
        return None
    try:
        text = cell.encode(encoding).decode("utf-8")
    except UnicodeError:  # not UTF-8, or a character the encoding lacks
        return None
    return text if text != cell else None


def mend_row(row: list[str], encoding: str) -> list[tuple[int, str]]:
    """Mend each cell of ``row`` that is UTF-8 text in a file read as ``encoding``, in place:
    (column index, what the row's warning says) of each."""
    if encoding not in MENDED:
        return []
    notes = []
    for index, cell in enumerate(row):
        if (text := mended(cell, encoding)) is not None:
            row[index] = text
            notes.append(
                (
                    index,
                    _(
                        "%(was)r was read as %(now)r: the file is in %(encoding)s, but this "
                        "cell holds UTF-8 text."
                    )
                    % {"was": cell.strip(), "now": text.strip(), "encoding": MENDED[encoding]},
                )
            )
    return notes
