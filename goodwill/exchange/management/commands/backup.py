"""``goodwill backup [PATH]``: a consistent backup of the live database, while goodwill runs."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.backup import BackupFile, backup_create, backup_list


def size_text(size: int) -> str:
    """``size`` bytes for people: 512 bytes, 3.4 KB, 12.0 MB."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")  # pragma: no cover


class Command(GoodwillCommand):
    help = (
        "Write a consistent backup of the whole database while goodwill keeps running (SQLite: "
        "the online backup API; PostgreSQL: pg_dump --format=custom, which must be on PATH). "
        "PATH defaults to DATA_DIR/backups/goodwill-<database>-<UTC time>.<sqlite3|dump> (-2, "
        "-3, … after the time for more backups in the same second); an existing folder as PATH "
        "gets the backup under that name inside it; an existing file is never overwritten. "
        "`goodwill restore PATH` brings it back."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, help="The new backup file, or a folder for it."
        )
        parser.add_argument(
            "--list", action="store_true", help="List the backups in DATA_DIR/backups instead."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            found = backup_list()
            if options["json"]:
                self.write_json([self._plain(b) for b in found])
            for backup in [] if options["json"] else found:
                self.stdout.write(f"{backup.path}  {size_text(backup.size)}")
            return
        backup = backup_create(actor=None, path=options["path"])
        if options["json"]:
            self.write_json(self._plain(backup))
        else:
            self.stdout.write(f"Backup written to {backup.path} ({size_text(backup.size)}).")

    @staticmethod
    def _plain(backup: BackupFile) -> dict[str, object]:
        return {"path": str(backup.path), "size": backup.size, "taken_at": backup.taken_at}
