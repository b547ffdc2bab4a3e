"""What every goodwill command shares: core errors become exit codes with a clear message."""

from __future__ import annotations

import json
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
