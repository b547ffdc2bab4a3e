"""``goodwill serve``: the production web server (waitress) for goodwill.wsgi.application."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from goodwill.core.management.base import GoodwillCommand
from goodwill.outreach.worker import Worker


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
        "whitenoise. A background worker (the outbox and the schedule) runs in the same process "
        "unless --no-worker is given."
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
            "worker` separately).",
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
        worker = None if options["no_worker"] else Worker()
        if worker is not None:
            worker.start()
        self.stdout.write(f"goodwill is serving at http://{host}:{port}/ (Ctrl+C stops it)")
        self.stdout.write(
            "No background worker runs here: run `goodwill worker` beside it."
            if worker is None
            else "A background worker runs in this process (sending mail, running the schedule)."
        )
        self.stdout.flush()
        # SIGTERM ends waitress like Ctrl+C does, so the worker below can stop cleanly.
        signal.signal(signal.SIGTERM, _exit)
        try:
            waitress.serve(
                application, host=host, port=port, threads=options["threads"], ident="goodwill"
            )
        finally:
            if worker is not None:
                worker.stop()
                worker.join(timeout=60)


def _exit(*_args: object) -> None:
    raise SystemExit(0)
