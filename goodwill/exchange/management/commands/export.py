"""``goodwill export --format csv|vcard|json [--output PATH [--overwrite]] [--q TEXT]
[--stage S] [--tag T] [--bom] [--jobs N] [--as EMAIL]``: export people (all, or the people
list's filtered list) to a file or stdout; ``--what feedback --format csv [--status …]
[--category …] [--sentiment …] [--source …]``: the feedback inbox."""

from __future__ import annotations

import gc
import os
import sys
from argparse import ArgumentParser
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.export.feedback_csv import feedback_export
from goodwill.exchange.export.files import export_file_write, output_check
from goodwill.exchange.export.selectors import ExportFilters
from goodwill.exchange.services.export import FORMATS, ExportFile, people_export

MAX_JOBS = 4


def _actor(email: str | None) -> User | None:
    """The ``--as`` user (their role applies); the command line itself when not given."""
    if not email:
        return None
    try:
        return user_get_by_email(actor=None, email=email)
    except NotFound as exc:
        raise Invalid.field("as", exc.message) from exc


class Command(GoodwillCommand):
    help = "Export people to CSV (Google Contacts columns), vCard 4.0 or JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", required=True, choices=list(FORMATS), help="File format.")
        parser.add_argument(
            "--output", help="Write to this new file, owner-only (default: stdout)."
        )
        parser.add_argument(
            "--overwrite", action="store_true", help="Replace the --output file if it exists."
        )
        parser.add_argument("--q", default="", help="Only people the search finds.")
        parser.add_argument("--role", default="", help="Only people with this role.")
        parser.add_argument("--interest", default="", help="Only people who like this.")
        parser.add_argument("--organisation-id", type=int, help="Only this organisation's people.")
        parser.add_argument("--archived", action="store_true", help="Archived people only.")
        parser.add_argument(
            "--include-archived", action="store_true", help="Everyone, archived people too."
        )
        parser.add_argument("--stage", default="", help="Only people in this journey stage.")
        parser.add_argument("--tag", default="", help="Only people with this tag.")
        parser.add_argument(
            "--what", default="people", choices=["people", "feedback"], help="What to export."
        )
        for name in ("status", "category", "sentiment", "source"):
            parser.add_argument(f"--{name}", default="", help=f"Feedback: only this {name}.")
        parser.add_argument("--bom", action="store_true", help="Start a CSV with a BOM (Excel).")
        parser.add_argument("--as", dest="as_email", help="Export as this user (role applies).")
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(MAX_JOBS, os.cpu_count() or 1),
            help="Processes rendering an export of everyone (default: one per core, at most "
            f"{MAX_JOBS}); 1 renders it in this process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # What start-up loaded stays: keep the collector from rescanning it for every few
        # thousand rows of a million-row export (a fifth of the CPU time).
        gc.freeze()
        actor = _actor(options["as_email"])
        if options["jobs"] < 1:
            raise Invalid.field("jobs", _("Give at least 1."))
        if options["output"]:  # refused before anything is exported or audited
            output_check(Path(options["output"]), overwrite=options["overwrite"])
        if options["what"] == "feedback":
            self._feedback(actor, options)
            return
        filters = ExportFilters(
            q=options["q"],
            role=options["role"],
            interest=options["interest"],
            organisation_id=options["organisation_id"],
            archived=None if options["include_archived"] else options["archived"],
            stage=options["stage"],
            tag=options["tag"],
        )
        export = people_export(
            actor=actor,
            format=options["format"],
            filters=filters,
            bom=options["bom"],
            jobs=options["jobs"],
        )
        if options["output"]:
            path = Path(options["output"])
            export_file_write(export, path, overwrite=options["overwrite"])
            self.stderr.write(f"Exported {export.count} people to {path}")
            return
        self._stream(export.pieces)

    def _stream(self, pieces: Iterable[str]) -> None:
        """Write ``pieces`` to stdout; a reader that stops early (``| head``) ends it quietly."""
        try:
            for piece in pieces:
                self.stdout.write(piece, ending="")
            self.stdout.flush()
        except BrokenPipeError:
            # Python would report the pipe again when it flushes stdout on the way out.
            with suppress(OSError, ValueError):  # not a real file (a test's buffer)
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def _feedback(self, actor: User | None, options: dict[str, Any]) -> None:
        if options["format"] != "csv":
            raise Invalid.field("format", _("Feedback is exported as csv."))
        names = ("status", "category", "sentiment", "source")
        filters = {name: options[name] or None for name in names}
        filename, pieces = feedback_export(actor=actor, filters=filters, bom=options["bom"])
        export = ExportFile("csv", filename, "text/csv", pieces)
        if options["output"]:
            export_file_write(export, Path(options["output"]), overwrite=options["overwrite"])
            self.stderr.write(f"Exported the feedback to {options['output']}")
            return
        self._stream(export.pieces)
