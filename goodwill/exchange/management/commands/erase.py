"""``goodwill erase PERSON_ID --confirm-name "Full Name" [--as EMAIL]``: erase a person and
everything about them for good, keeping only a hash of their email addresses."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.management.commands.export import _actor
from goodwill.exchange.services.erase import person_erase
from goodwill.people.selectors import person_get_for_user


class Command(GoodwillCommand):
    help = "Erase a person and everything about them (the right to be forgotten)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("person_id", type=int, help="The person's id.")
        parser.add_argument(
            "--confirm-name", required=True, help="The person's full name, to confirm."
        )
        parser.add_argument("--as", dest="as_email", help="Erase as this user (owners only).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["as_email"])
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        person_erase(actor=actor, person=person, confirm_name=options["confirm_name"])
        self.stderr.write(f"Erased person {options['person_id']}.")
