"""``goodwill serve``: the production web server (waitress) for goodwill.wsgi.application."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from goodwill.core.management.base import GoodwillCommand


def pending_migrations() -> int:
    """How many migrations the database still lacks (it is checked, never migrated here)."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    connection.close()
    return len(plan)


class Command(GoodwillCommand):
    help = (
        "Serve goodwill with waitress, a production WSGI server; static files come from "
        "whitenoise. The in-process background worker arrives with the scheduler: until then "
        "there is no worker to start, and --no-worker only states that none is wanted."
    )
    requires_migrations_checks = False  # checked below, and refused rather than warned about

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (8000).")
        parser.add_argument("--threads", type=int, default=8, help="Request threads (8).")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Run no background worker in this process (for teams running `goodwill "
            "worker` separately). The in-process worker arrives with the scheduler.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["threads"] < 1:
            raise CommandError("threads: give at least 1.", returncode=2)
        if not 0 <= options["port"] <= 65535:
            raise CommandError("port: give a number from 0 to 65535.", returncode=2)
        pending = pending_migrations()
        if pending:
            raise CommandError(
                f"The database lacks {pending} migration(s): run `goodwill migrate` first."
            )
        import waitress  # type: ignore[import-untyped]

        from goodwill.wsgi import application

        host, port = options["host"], options["port"]
        self.stdout.write(f"goodwill is serving at http://{host}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        waitress.serve(
            application, host=host, port=port, threads=options["threads"], ident="goodwill"
        )
