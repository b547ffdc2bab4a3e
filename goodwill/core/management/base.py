"""What every goodwill command shares: core errors become exit codes with a clear message."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from goodwill.core.errors import GoodwillError


class GoodwillCommand(BaseCommand):
    """A management command whose NotFound/Forbidden/Conflict/Invalid exit with their code.

    The message goes to stderr as ``CommandError: <field>: <reason>`` (Django's own format), and
    the process exits with the error's ``exit_code`` (Invalid 2, NotFound 3, Forbidden 4,
    Conflict 5).
    """

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except GoodwillError as exc:
            raise CommandError(exc.message, returncode=exc.exit_code) from exc

    def write_result(self, options: dict[str, Any], data: object, text: str) -> None:
        """``data`` as JSON with ``--json``, else ``text``."""
        if options.get("json"):
            self.write_json(data)
        else:
            self.stdout.write(text)

    def write_json(self, data: object) -> None:
        """One JSON document on stdout (sorted keys, so output is stable)."""
        self.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str))

    def write_json_streamed(
        self, data: dict[str, object], lists: dict[str, Iterable[object]]
    ) -> None:
        """One JSON object on stdout, as ``write_json`` writes it, whose ``lists`` are written
        item by item as they are read: a report of a million bad rows is never held whole."""
        self.stdout.write("{", ending="")
        for i, key in enumerate(sorted({*data, *lists})):
            self.stdout.write(("," if i else "") + f"\n  {json.dumps(key)}: ", ending="")
            if key not in lists:
                value = json.dumps(data[key], indent=2, sort_keys=True, default=str)
                self.stdout.write(value.replace("\n", "\n  "), ending="")
                continue
            self.stdout.write("[", ending="")
            empty = True
            for item in lists[key]:
                text = json.dumps(item, sort_keys=True, default=str)
                self.stdout.write(("\n    " if empty else ",\n    ") + text, ending="")
                empty = False
            self.stdout.write("]" if empty else "\n  ]", ending="")
        self.stdout.write("\n}")
