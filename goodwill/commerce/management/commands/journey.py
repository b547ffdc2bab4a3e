"""``goodwill journey show PERSON_ID`` and ``goodwill journey recompute``: a person's stage and
why; everyone's stage recomputed now (what the nightly job does), with progress on stderr."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.selectors import journey_of
from goodwill.commerce.services import journey_recompute_all
from goodwill.core.management.base import GoodwillCommand
from goodwill.people.selectors import person_get_for_user


class Command(GoodwillCommand):
    help = "Show a person's journey stage, or recompute everyone's."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="show|recompute")
        show = sub.add_parser("show", help="A person's stage and why.")
        show.add_argument("person_id", type=int)
        again = sub.add_parser("recompute", help="Recompute every stage now (managers).")
        for p in (show, again):
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        if options["action"] == "recompute":
            require_role(actor, User.Role.MANAGER)
            done = journey_recompute_all(progress=None if options["json"] else _progress)
            if options["json"]:
                self.write_json(done)
            else:
                sys.stderr.write("\n")
                self.stdout.write(
                    f"{done['people']:,} people have a stage; {done['changed']:,} changed."
                )
            return
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        journey = journey_of(person)
        data = {
            "person_id": person.pk,
            "stage": journey.stage if journey else None,
            "reason": journey.reason if journey else "",
            "purchases": journey.purchases if journey else 0,
        }
        if options["json"]:
            self.write_json(data)
        elif journey is None:
            self.stdout.write(f"{person.full_name}: no stage yet (nothing bought or asked).")
        else:
            self.stdout.write(
                f"{person.full_name}: {journey.get_stage_display()}. {journey.reason}"
            )


def _progress(done: int, top: int) -> None:
    filled = round(30 * done / top) if top else 30
    sys.stderr.write(f"\r[{'#' * filled}{'-' * (30 - filled)}] {done:,} / {top:,} people")
    sys.stderr.flush()
