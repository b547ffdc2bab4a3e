"""``goodwill serve``: the production web server (waitress) for goodwill.wsgi.application."""

from __future__ import annotations

import os
import signal
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from goodwill.core.management.base import GoodwillCommand
from goodwill.core.prefork import Supervisor, listening_socket
from goodwill.exchange.services.imports import max_upload_bytes
from goodwill.outreach.worker import Worker

# Room around an import file in its request: the multipart headers and the other form fields
# (Django refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE of those, 2.5 MB by default).
ENVELOPE = 4 * 1024 * 1024


def max_request_body() -> int:
    """The largest request body waitress passes on (its own default is 1 GiB): an import file
    of up to ``GOODWILL_IMPORT_MAX_MB`` and its envelope, so that the app's own check refuses a
    larger file, naming it."""
    return max_upload_bytes() + ENVELOPE


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
        "unless --no-worker is given; with --processes N, N web processes share the port and the "
        "worker runs in a process of its own."
    )
    requires_migrations_checks = False  # checked below, and refused rather than warned about

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (8000).")
        parser.add_argument(
            "--threads", type=int, default=8, help="Request threads per process (8)."
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="Web processes sharing the port (1); more use more cores (Linux and macOS).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Run no background worker in this process (for teams running `goodwill "
            "worker` separately).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["threads"] < 1:
            raise CommandError("threads: give at least 1.", returncode=2)
        if options["processes"] < 1:
            raise CommandError("processes: give at least 1.", returncode=2)
        if options["processes"] > 1 and not hasattr(os, "fork"):
            raise CommandError(
                "processes: more than one needs Linux or macOS; run one per port instead.",
                returncode=2,
            )
        if not 0 <= options["port"] <= 65535:
            raise CommandError("port: give a number from 0 to 65535.", returncode=2)
        pending = pending_migrations()
        if pending:
            raise CommandError(
                f"The database lacks {pending} migration(s): run `goodwill migrate` first."
            )
        host, port = options["host"], options["port"]
        if options["processes"] == 1:
            self._serve_here(host, port, options)
        else:
            self._serve_forked(host, port, options)

    def _say_serving(self, host: str, port: int, processes: int, worker: str) -> None:
        where = f"http://{host}:{port}/"
        more = f" with {processes} web processes" if processes > 1 else ""
        self.stdout.write(f"goodwill is serving at {where}{more} (Ctrl+C stops it)")
        self.stdout.write(worker)
        self.stdout.flush()

    def _serve_here(self, host: str, port: int, options: dict[str, Any]) -> None:
        """One process: waitress's threads answer, the worker is a thread beside them."""
        import waitress  # type: ignore[import-untyped]

        from goodwill.wsgi import application

        worker = None if options["no_worker"] else Worker()
        if worker is not None:
            worker.start()
        self._say_serving(host, port, 1, _worker_line(worker is not None, own_process=False))
        # SIGTERM ends waitress like Ctrl+C does, so the worker below can stop cleanly.
        signal.signal(signal.SIGTERM, _exit)
        try:
            waitress.serve(
                application,
                host=host,
                port=port,
                threads=options["threads"],
                ident="goodwill",
                max_request_body_size=max_request_body(),
            )
        finally:
            if worker is not None:
                worker.stop()
                worker.join(timeout=60)

    def _serve_forked(self, host: str, port: int, options: dict[str, Any]) -> None:
        """Several processes (see goodwill.core.prefork): the parent binds the port before
        forking, so every web process accepts on it; the worker, if any, gets its own."""
        import waitress

        from goodwill.wsgi import application

        try:
            sock = listening_socket(host, port)
        except OSError as exc:
            raise CommandError(f"port: cannot listen on {host}:{port} ({exc.strerror}).") from exc
        connections.close_all()  # no connection may be shared with the children

        def web() -> None:
            waitress.serve(
                application,
                sockets=[sock],
                threads=options["threads"],
                ident="goodwill",
                max_request_body_size=max_request_body(),
            )

        jobs = {f"web {n + 1}": web for n in range(options["processes"])}
        if not options["no_worker"]:
            jobs["worker"] = _work
        port = sock.getsockname()[1]  # the one chosen for port 0
        worker = _worker_line(not options["no_worker"], own_process=True)
        self._say_serving(host, port, options["processes"], worker)
        code = Supervisor(jobs, say=self._say).run()
        sock.close()
        if code:
            raise CommandError("A process of the server kept failing as it started.")

    def _say(self, line: str) -> None:
        self.stderr.write(line)
        self.stderr.flush()


def _worker_line(running: bool, *, own_process: bool) -> str:
    if not running:
        return "No background worker runs here: run `goodwill worker` beside it."
    if own_process:
        return "A background worker runs in a process of its own (sending mail, the schedule)."
    return "A background worker runs in this process (sending mail, running the schedule)."


def _work() -> None:
    """The worker's process under ``--processes``: runs until SIGTERM or Ctrl+C."""
    worker = Worker()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: worker.request_stop())
    worker.run()


def _exit(*_args: object) -> None:
    raise SystemExit(0)
