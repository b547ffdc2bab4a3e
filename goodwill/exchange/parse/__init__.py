"""Pure parsing of contact import files (no database access).

``open_import(path)`` checks a file and detects its format and encoding; ``ImportFile.records()``
then yields a ContactRecord or a RowError for every row or card, lazily. File-level problems
(empty, binary, too large, no rows, duplicate headers) raise ImportFileError naming the file.
"""

from goodwill.exchange.parse.detect import ImportFile, open_import
from goodwill.exchange.parse.records import (
    Address,
    ContactRecord,
    ImportFileError,
    RowError,
    YearlyDate,
)

__all__ = [
    "Address",
    "ContactRecord",
    "ImportFile",
    "ImportFileError",
    "RowError",
    "YearlyDate",
    "open_import",
]
