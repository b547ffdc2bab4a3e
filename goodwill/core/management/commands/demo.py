"""``goodwill demo [--if-empty]``: load the demo business, Harris Hall B&B."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.core.management.base import GoodwillCommand
from goodwill.demo.data import BUSINESS, DEMO_PASSWORD
from goodwill.demo.loader import demo_load, demo_loaded, demo_logins, has_people


class Command(GoodwillCommand):
    help = "Load the demo business (Harris Hall B&B, Nova Scotia) with people and a timeline."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when people or logins already exist.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and has_people():
            self.stdout.write("This database is in use; the demo business was not loaded.")
            if demo_loaded():
                self.write_logins()
            else:
                self.stdout.write("Log in with your own account (goodwill createowner makes one).")
            return
        result = demo_load()
        self.stdout.write(
            f"Loaded {BUSINESS['name']}: {result.people} people, "
            f"{result.interactions} interactions, {result.occasions} occasions, "
            f"{result.purchases} purchases and stays."
        )
        self.write_logins()

    def write_logins(self) -> None:
        self.stdout.write(f"Log in with any of these (password: {DEMO_PASSWORD}):")
        for email, role in demo_logins():
            self.stdout.write(f"  {email:<32} {role}")
