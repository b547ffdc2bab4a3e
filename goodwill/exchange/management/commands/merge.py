"""``goodwill merge SURVIVOR_ID OTHER_ID [--take-other FIELD …] [--both-notes] [--as EMAIL]
[--json]``: merge a duplicate person into the one that stays."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.models import User
from goodwill.accounts.selectors import audit_list_for_person, user_get_by_email
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.management.base import GoodwillCommand
from goodwill.exchange.services.merge import MERGE_FIELDS, person_merge
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user


def _actor(email: str | None) -> User | None:
    """The ``--as`` user (their role applies); the command line itself when not given."""
    if not email:
        return None
    try:
        return user_get_by_email(actor=None, email=email)
    except NotFound as exc:
        raise Invalid.field("as", exc.message) from exc


def _person(actor: User | None, person_id: int, name: str) -> Person:
    try:
        return person_get_for_user(user=actor, person_id=person_id)
    except NotFound as exc:
        raise Invalid.field(name, exc.message) from exc


class Command(GoodwillCommand):
    help = "Merge OTHER_ID into SURVIVOR_ID: everything moves, then OTHER_ID is deleted."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("survivor_id", type=int, help="The person who stays.")
        parser.add_argument("other_id", type=int, help="The duplicate, merged in and deleted.")
        parser.add_argument(
            "--take-other",
            action="append",
            default=[],
            choices=MERGE_FIELDS,
            metavar="FIELD",
            help="Keep the other person's value of FIELD (repeatable; `birthday` keeps their "
            "birthday when both have one, `wedding` their wedding date with a spouse both "
            "have); default: the survivor's.",
        )
        parser.add_argument("--both-notes", action="store_true", help="Keep both people's notes.")
        parser.add_argument("--as", dest="as_email", help="Merge as this user (role applies).")
        parser.add_argument("--json", action="store_true", help="Print one JSON summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["as_email"])
        survivor = _person(actor, options["survivor_id"], "survivor_id")
        other = _person(actor, options["other_id"], "other_id")
        fields = dict.fromkeys(options["take_other"], "other")
        if options["both_notes"]:
            fields["notes"] = "both"
        name = other.full_name
        person_merge(actor=actor, survivor=survivor, other=other, fields=fields)
        entry = next(
            e
            for e in audit_list_for_person(user=None, person_id=survivor.pk)
            if e.action == "person.merge"
        )
        moved = entry.changes["moved"][1]
        # Which birthday and wedding date were kept, when the other person had one.
        kept = {
            field: entry.changes[field][1]
            for field in ("birthday", "wedding")
            if entry.changes.get(field, [None, None])[1]
        }
        if options["json"]:
            summary = {"survivor_id": survivor.pk, "merged_id": options["other_id"]}
            self.write_json({**summary, "merged_name": name, "moved": moved, **kept})
            return
        counts = ", ".join(f"{k} {v}" for k, v in sorted(moved.items()) if v)
        note = "".join(f"; {field} kept: {day}" for field, day in kept.items())
        self.stdout.write(
            f"Merged {name} into {survivor.full_name} (#{survivor.pk}): {counts}{note}"
        )
