"""``goodwill log PERSON_ID --kind K --summary S [--as EMAIL] [--staff EMAIL]``: add a touch to a
person's timeline."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email
from goodwill.core.errors import Invalid, NotFound
from goodwill.core.management.base import GoodwillCommand
from goodwill.people.selectors import person_get_for_user
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log


def interaction_row(interaction: Interaction) -> dict[str, object]:
    return {
        "id": interaction.pk,
        "person_id": interaction.person_id,
        "kind": interaction.kind,
        "direction": interaction.direction,
        "intent": interaction.intent,
        "summary": interaction.summary,
        "body": interaction.body,
        "occurred_at": interaction.occurred_at.isoformat(),
        "staff": interaction.staff.email if interaction.staff else None,
    }


def _staff_member(email: str | None) -> User | None:
    """The active user named by ``--staff`` (None: the ``--as`` user); anyone else is invalid."""
    if not email:
        return None
    try:
        staff = user_get_by_email(actor=None, email=email)
    except NotFound:
        staff = None
    if staff is None or not staff.is_active:
        raise Invalid.field("staff", _("No active user with email %(email)s.") % {"email": email})
    return staff


class Command(GoodwillCommand):
    help = "Log an interaction (visit, stay, call, note…) on a person's timeline."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("person_id", type=int, help="The person's id (see `people search`).")
        parser.add_argument("--kind", required=True, help=", ".join(Interaction.Kind.values))
        parser.add_argument("--summary", required=True, help="A few words on what happened.")
        parser.add_argument("--body", default="", help="Details.")
        parser.add_argument(
            "--direction",
            default=Interaction.Direction.IN_PERSON,
            help=", ".join(Interaction.Direction.values),
        )
        parser.add_argument(
            "--intent",
            default=Interaction.Intent.NEUTRAL,
            help=", ".join(Interaction.Intent.values),
        )
        parser.add_argument("--as", dest="as_email", help="Log as this user (their role applies).")
        parser.add_argument(
            "--staff", dest="staff_email", help="Who had the touch (an active user; default: --as)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor: User | None = None
        if options["as_email"]:
            actor = user_get_by_email(actor=None, email=options["as_email"])
        staff = _staff_member(options["staff_email"])
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        interaction = interaction_log(
            actor=actor,
            person=person,
            kind=options["kind"],
            summary=options["summary"],
            body=options["body"],
            direction=options["direction"],
            intent=options["intent"],
            staff=staff,
        )
        if options["json"]:
            self.write_json(interaction_row(interaction))
            return
        self.stdout.write(
            f"Logged {interaction.kind} {interaction.pk} for {person.full_name}: "
            f"{interaction.summary}"
        )
