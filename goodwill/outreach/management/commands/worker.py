"""``goodwill worker``: send the outbox and run the schedule until SIGTERM/SIGINT."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from goodwill.core.management.base import GoodwillCommand
from goodwill.outreach.worker import Worker, WorkerConfig

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(GoodwillCommand):
    help = (
        "Send queued messages and run scheduled jobs. Several workers may share a database. "
        "SIGTERM or Ctrl+C: the message being sent finishes, the rest go back to the queue."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Work until nothing is due, then exit."
        )
        parser.add_argument("--batch", type=int, help="Messages claimed at a time (50).")
        parser.add_argument("--poll", type=float, help="Seconds between looks when idle (1).")
        parser.add_argument("--name", default="", help="Lease owner name (hostname:pid:random).")
        parser.add_argument(
            "--lease", type=float, help="Seconds a claimed message is this worker's (300)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = WorkerConfig.build(
                name=options["name"],
                batch=options["batch"],
                poll=options["poll"],
                lease_seconds=options["lease"],
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        worker = Worker(config, stop_when_idle=options["once"])
        previous = {s: signal.signal(s, lambda *_: worker.request_stop()) for s in STOP_SIGNALS}
        self.stdout.write(f"goodwill worker {config.name} is running (SIGTERM or Ctrl+C stops it)")
        self.stdout.flush()
        try:
            counts = worker.run()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "nothing"
        self.stdout.write(f"goodwill worker {config.name} stopped: {summary}.")
