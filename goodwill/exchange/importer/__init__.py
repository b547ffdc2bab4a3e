"""The import write path: check parsed records, match them to stored people, write in chunks."""

from goodwill.exchange.importer.report import report, report_csv
from goodwill.exchange.importer.run import import_run

__all__ = ["import_run", "report", "report_csv"]
