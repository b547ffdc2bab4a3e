"""``goodwill feedback list [--status S] [--category C] [--sentiment S] [--source S] [--limit N]
[--as EMAIL] [--json]``: the feedback inbox, newest first (managers and owners)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email
from goodwill.core.management.base import GoodwillCommand
from goodwill.feedback.management.commands.heard import feedback_row
from goodwill.feedback.models import Feedback
from goodwill.feedback.selectors.feedback import feedback_inbox
from goodwill.occasions.selectors.settings import business_zone


class Command(GoodwillCommand):
    help = "List what customers told us, newest first (managers and owners)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="list")
        listing = sub.add_parser("list", help="List feedback, newest first.")
        listing.add_argument("--status", help=", ".join(Feedback.Status.values))
        listing.add_argument("--category", help=", ".join(Feedback.Category.values))
        listing.add_argument("--sentiment", help=", ".join(Feedback.Sentiment.values))
        listing.add_argument("--source", help=", ".join(Feedback.Source.values))
        listing.add_argument("--limit", type=int, default=50, help="At most this many (1-200).")
        listing.add_argument("--as", dest="as_email", help="List as this user (their role).")
        listing.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor: User | None = None
        if options["as_email"]:
            actor = user_get_by_email(actor=None, email=options["as_email"])
        page = feedback_inbox(
            user=actor,
            status=options["status"],
            category=options["category"],
            sentiment=options["sentiment"],
            source=options["source"],
            limit=options["limit"],
        )
        if options["json"]:
            self.write_json(
                {"items": [feedback_row(f) for f in page.items], "next_cursor": page.next_cursor}
            )
            return
        zone = business_zone()
        for item in page.items:
            who = item.person.full_name if item.person else "anonymous"
            text = " ".join(item.text.split())
            when = item.heard_at.astimezone(zone)
            self.stdout.write(
                f"{item.pk}\t{when:%Y-%m-%d %H:%M}\t{item.status}\t{item.category}\t"
                f"{item.sentiment}\t{who}\t{text}"
            )
        if not page.items:
            self.stdout.write("No feedback.")
