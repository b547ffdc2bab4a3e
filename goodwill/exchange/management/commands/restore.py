"""``goodwill restore PATH``: bring a backup back into an empty database."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.backup import backup_restore


class Command(GoodwillCommand):
    help = (
        "Restore a backup made by `goodwill backup` into an EMPTY database (no people, users or "
        "other data), then apply any newer migrations. The file is checked first; a backup from "
        "a newer goodwill is refused. SQLite: stop every goodwill process (serve, worker) first, "
        "the database file is replaced while nothing else uses it. PostgreSQL: needs pg_restore "
        "on PATH."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        backup = backup_restore(actor=None, path=options["path"])
        self.stdout.write(f"Restored {backup.path}; the database is migrated and ready.")
