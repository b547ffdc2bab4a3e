"""``goodwill import PATH [--kind people|purchases] [--format csv|vcard] [--map COL=FIELD …]
[--dedupe POLICY] [--dry-run] [--possible-duplicates skip|create] [--unmapped notes|ignore]
[--categories interests|tags|notes|ignore] [--create-people] [--day-first] [--json]
[--as EMAIL]``:
import contacts, or (``--kind purchases``) a point-of-sale export, in the foreground, with a
progress bar on stderr."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.importer import import_run, report
from goodwill.exchange.importer.forms import mapping_from_pairs
from goodwill.exchange.importer.report import bad_rows_all, duplicates_all, problems_all
from goodwill.exchange.importer.rows import CATEGORY_CHOICES
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.parse import open_import
from goodwill.exchange.pos import pos_import_run, pos_report, pos_report_text


def _actor(email: str | None) -> User | None:
    """The ``--as`` user (their role applies); the command line itself when not given."""
    if not email:
        return None
    try:
        return user_get_by_email(actor=None, email=email)
    except NotFound as exc:
        raise Invalid.field("as", exc.message) from exc


def _columns(options: dict[str, Any]) -> dict[str, str]:
    """{column: the field it went to, "notes", or ""} of a CSV file; {} for a vCard."""
    file = open_import(options["path"], format=options["format"])
    found = file.columns(mapping_from_pairs(options["map"]))
    rest = "notes" if options["unmapped"] == "notes" else ""
    return {column: field or rest for column, field in found.items() if column}


BAR_WIDTH = 30


class Command(GoodwillCommand):
    help = "Import contacts from a CSV or vCard file, or purchases from a POS export (managers)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The CSV or vCard file.")
        parser.add_argument(
            "--kind",
            default="people",
            choices=list(ImportBatch.Kind.values),
            help="people (contacts, the default) or purchases (a till's or booking CSV export).",
        )
        parser.add_argument("--format", choices=["csv", "vcard"], help="Default: from the content.")
        parser.add_argument(
            "--map", action="append", default=[], metavar="COL=FIELD", help="Map a CSV column."
        )
        parser.add_argument(
            "--dedupe", default="update-empty", choices=list(ImportBatch.Dedupe.values)
        )
        parser.add_argument(
            "--possible-duplicates",
            default="skip",
            choices=["skip", "create"],
            help="Rows without email or phone whose full name is already here (default: skip).",
        )
        parser.add_argument("--unmapped", default="ignore", choices=["ignore", "notes"])
        parser.add_argument(
            "--categories",
            default="interests",
            choices=list(CATEGORY_CHOICES),
            help="Where CATEGORIES / Labels / Groups / Interests go (default: interests); "
            "a Tags column is always tags.",
        )
        parser.add_argument(
            "--create-people",
            action="store_true",
            help="Purchases: create the person of a row nobody matches when it has a name.",
        )
        parser.add_argument(
            "--day-first", action="store_true", help="Dates are written day first (31/12/2024)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON summary.")
        parser.add_argument("--as", dest="as_email", help="Import as this user (role applies).")

    def _progress(self, rows: int, total: int) -> None:
        """A bar on stderr, redrawn after each chunk: ``[#####-----]  50%  5,000 / 10,000``."""
        share = min(rows / total, 1.0) if total else 0.0
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        counts = _("%(rows)s / about %(total)s rows") % {"rows": f"{rows:,}", "total": f"{total:,}"}
        self.stderr.write(f"\r[{bar}] {share:4.0%}  {counts}", ending="")
        self.stderr.flush()

    def _purchases(self, options: dict[str, Any]) -> None:
        batch = pos_import_run(
            actor=_actor(options["as_email"]),
            path=options["path"],
            mapping=mapping_from_pairs(options["map"]),
            create_people=options["create_people"],
            day_first=options["day_first"],
            dry_run=options["dry_run"],
            progress=self._progress,
        )
        self.stderr.write("")
        if options["json"]:
            self.write_json_streamed(pos_report(batch, listed=False), self._lists(batch))
            return
        self.stdout.write(pos_report_text(batch))
        self._problems(batch, error_label=f" ({_('error')})")

    def _lists(self, batch: ImportBatch) -> dict[str, Iterable[object]]:
        """Every bad row and every value left out, read as they are written out."""
        return {
            "errors": problems_all(batch, ImportProblem.Kind.ERROR),
            "warnings": problems_all(batch, ImportProblem.Kind.WARNING),
        }

    def _people_lists(self, batch: ImportBatch) -> dict[str, Iterable[object]]:
        """The bad rows (as many as ``error_count``), the rows left out as possible duplicates
        (each with the ``person_id`` it may be; null: a row earlier in the file) and the values
        left out, read as they are written out."""
        return {
            "errors": bad_rows_all(batch),
            "duplicates": duplicates_all(batch),
            "warnings": problems_all(batch, ImportProblem.Kind.WARNING),
        }

    def _problems(self, batch: ImportBatch, *, error_label: str = "") -> None:
        """Every bad row, then every possible duplicate left out, then every value left out, one
        line each, read as they are written."""
        listed = (
            (bad_rows_all(batch), error_label),
            (duplicates_all(batch), f" ({_('possible duplicate')})"),
            (problems_all(batch, ImportProblem.Kind.WARNING), f" ({_('left out')})"),
        )
        for problems, label in listed:
            for problem in problems:
                self.stdout.write(
                    f"  line {problem['line']} {problem['column']}{label}: {problem['message']}"
                )

    def handle(self, *args: Any, **options: Any) -> None:
        if not Path(options["path"]).exists():
            raise NotFound(_("%(path)s: there is no such file.") % {"path": options["path"]})
        try:
            if options["kind"] == ImportBatch.Kind.PURCHASES:
                self._purchases(options)
            else:
                self._people(options)
        except Invalid as exc:
            if options["json"]:  # still one JSON object, the file's refusal as its error
                fields = exc.fields or {"": [exc.message]}
                errors = [
                    {"line": None, "column": field, "message": message}
                    for field, messages in fields.items()
                    for message in messages
                ]
                summary: dict[str, Any] = {"created": 0, "updated": 0, "skipped": 0}
                if options["kind"] != ImportBatch.Kind.PURCHASES:  # the keys of a run's summary
                    summary |= {"batch_id": None, "dry_run": options["dry_run"], "unchanged": 0}
                    summary |= {"possible_duplicates": 0, "mapping": {}, "warnings": []}
                    summary["duplicates"] = []
                summary["errors"] = errors
                self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            raise

    def _people(self, options: dict[str, Any]) -> None:
        batch = import_run(
            actor=_actor(options["as_email"]),
            path=options["path"],
            format=options["format"],
            mapping=mapping_from_pairs(options["map"]),
            dedupe=options["dedupe"],
            dry_run=options["dry_run"],
            unmapped=options["unmapped"],
            categories=options["categories"],
            possible_duplicates=options["possible_duplicates"],
            day_first=options["day_first"],
            progress=self._progress,
        )
        self.stderr.write("")
        summary = report(batch, listed=False)
        mapping = _columns(options)
        if options["json"]:
            keys = ("created", "updated", "skipped", "batch_id", "dry_run")
            counts = {k: summary[k] for k in (*keys, "unchanged", "possible_duplicates")}
            self.write_json_streamed({**counts, "mapping": mapping}, self._people_lists(batch))
            return
        self.stdout.write(
            _(
                "%(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                "%(skipped)d skipped (%(possible_duplicates)d possible duplicates), "
                "%(error_count)d bad rows, %(warning_count)d values left out%(dry)s "
                "(batch %(batch_id)s)."
            )
            % {**summary, "dry": _(" — dry run, nothing written") if batch.dry_run else ""}
        )
        if mapping:
            shown = "; ".join(
                f"{col} → {field or _('not imported')}" for col, field in mapping.items()
            )
            self.stdout.write(_("Columns: %(columns)s.") % {"columns": shown})
            if any(not field for field in mapping.values()):
                self.stdout.write(
                    _(
                        "  Import a column with --map COLUMN=FIELD, or keep the rest in notes "
                        "with --unmapped notes."
                    )
                )
        self._problems(batch)
