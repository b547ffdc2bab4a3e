"""``goodwill createowner --email E [--password P]``: bootstrap an owner account."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.services import owner_create
from goodwill.core.management.base import GoodwillCommand


class Command(GoodwillCommand):
    help = "Create an owner login. Prints a generated password when none is given."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="The owner's login email.")
        parser.add_argument("--password", help="At least 12 characters; generated if left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        user, password = owner_create(email=options["email"], password=options["password"])
        self.stdout.write(f"Created owner {user.email}.")
        if not options["password"]:
            self.stdout.write(f"Password: {password}")
