"""``goodwill email PERSON --subject … --body … --giving|--asking [--override]``: a one-to-one
email through the same checks as the person page (``--as EMAIL`` acts with that user's role;
without it, as the operator). A check's warning refuses it unless ``--override``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.core.management.base import GoodwillCommand
from goodwill.outreach.services.direct import direct_email_send
from goodwill.people.selectors import person_get_for_user


class Command(GoodwillCommand):
    help = "Queue a one-to-one email to a person, through the consent and touch-budget checks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("person_id", type=int, metavar="PERSON")
        parser.add_argument("--subject", required=True)
        parser.add_argument("--body", required=True, help="The text of the email.")
        intent = parser.add_mutually_exclusive_group(required=True)
        intent.add_argument("--giving", dest="intent", action="store_const", const="giving")
        intent.add_argument("--asking", dest="intent", action="store_const", const="asking")
        parser.add_argument(
            "--override", action="store_true", help="Send despite the checks' warnings (logged)."
        )
        add_actor_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        message = direct_email_send(
            actor=actor,
            person=person,
            subject=options["subject"],
            body=options["body"],
            intent=options["intent"],
            override=options["override"],
        )
        result = {
            "id": message.pk,
            "recipients": message.recipients,
            "subject": message.subject,
            "state": message.state,
            "message_id": message.message_id,
        }
        to = ", ".join(message.recipients)
        self.write_result(options, result, f"Queued “{message.subject}” to {to}.")
