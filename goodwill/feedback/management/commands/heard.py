"""``goodwill heard "TEXT" --category C --positive|--negative|--neutral [--person ID] [--as EMAIL]
[--json]``: note what a customer said."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email
from goodwill.core.management.base import GoodwillCommand
from goodwill.feedback.models import Feedback
from goodwill.feedback.services.feedback import feedback_heard_create
from goodwill.people.selectors import person_get_for_user


def feedback_row(feedback: Feedback) -> dict[str, object]:
    """A piece of feedback as plain JSON values (the text exactly as noted)."""
    return {
        "id": feedback.pk,
        "source": feedback.source,
        "text": feedback.text,
        "category": feedback.category,
        "sentiment": feedback.sentiment,
        "person_id": feedback.person_id,
        "heard_by": feedback.heard_by.email if feedback.heard_by else None,
        "heard_at": feedback.heard_at.isoformat(),
        "status": feedback.status,
        "handled_by": feedback.handled_by.email if feedback.handled_by else None,
        "handled_at": feedback.handled_at.isoformat() if feedback.handled_at else None,
        "action": feedback.action,
    }


class Command(GoodwillCommand):
    help = "Note what a customer said (the manager sees it in the feedback inbox)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("text", help="What they said.")
        parser.add_argument("--category", required=True, help=", ".join(Feedback.Category.values))
        mood = parser.add_mutually_exclusive_group(required=True)
        for value in Feedback.Sentiment.values:
            mood.add_argument(
                f"--{value}", dest="sentiment", action="store_const", const=value, help=value
            )
        parser.add_argument("--person", type=int, help="Who said it (a person's id).")
        parser.add_argument("--source", default="counter", help="counter or phone.")
        parser.add_argument("--as", dest="as_email", help="Who heard it (their role applies).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor: User | None = None
        if options["as_email"]:
            actor = user_get_by_email(actor=None, email=options["as_email"])
        person = None
        if options["person"] is not None:
            person = person_get_for_user(user=actor, person_id=options["person"])
        feedback = feedback_heard_create(
            actor=actor,
            text=options["text"],
            category=options["category"],
            sentiment=options["sentiment"],
            person=person,
            source=options["source"],
        )
        if options["json"]:
            self.write_json(feedback_row(feedback))
            return
        who = f" from {person.full_name}" if person else ""
        self.stdout.write(f"Noted feedback {feedback.pk}{who}: {feedback}")
