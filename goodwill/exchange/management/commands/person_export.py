"""``goodwill person_export PERSON_ID [--output PATH [--overwrite]] [--as EMAIL]``: everything
about one person (the right of access) as JSON, to a file or stdout."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.export.files import export_file_write, output_check
from goodwill.exchange.management.commands.export import _actor
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.services.export import ExportFile
from goodwill.people.selectors import person_get_for_user


class Command(GoodwillCommand):
    help = (
        "Export everything about one person (the right of access) as JSON. --output writes a "
        "new file readable by its owner only (0600); an existing file is refused unless "
        "--overwrite is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("person_id", type=int, help="The person's id.")
        parser.add_argument("--output", help="Write to this new file (default: stdout).")
        parser.add_argument(
            "--overwrite", action="store_true", help="Replace the --output file if it exists."
        )
        parser.add_argument("--as", dest="as_email", help="Export as this user (role applies).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"]) if options["output"] else None
        if path is not None:  # refused before anything is exported or audited
            output_check(path, overwrite=options["overwrite"])
        actor = _actor(options["as_email"])
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        data = person_access_export(actor=actor, person=person)
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if path is not None:
            # Owner-only (0600), written beside it and renamed, as `goodwill export` does.
            export = ExportFile("json", path.name, "application/json", iter([text]))
            export_file_write(export, path, overwrite=options["overwrite"])
            self.stderr.write(f"Exported person {person.pk} to {path}")
            return
        self.stdout.write(text, ending="")
