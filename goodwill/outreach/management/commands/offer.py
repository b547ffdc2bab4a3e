"""``goodwill offer list|show|create|render``: the offers, one offer, adding one, and what a
person would receive (``--as EMAIL`` acts with that user's role; without it, as the operator)."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.accounts.models import User
from goodwill.core.management.base import GoodwillCommand
from goodwill.occasions.selectors.occasions import occasion_get
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.selectors.offers import offer_get, offer_list, offer_preview
from goodwill.outreach.services.offers import offer_create
from goodwill.people.selectors import person_get_for_user


def offer_row(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "name": offer.name,
        "topic": offer.topic.key,
        "interests": [i.key for i in offer.interests.all()],
        "occasion_kinds": offer.occasion_kinds,
        "categories": offer.categories,
        "subject_template": offer.subject_template,
        "body_template": offer.body_template,
        "intent": offer.intent,
        "valid_from": offer.valid_from.isoformat() if offer.valid_from else None,
        "valid_until": offer.valid_until.isoformat() if offer.valid_until else None,
        "code_prefix": offer.code_prefix,
        "archived": offer.archived_at is not None,
    }


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _summary(offer: Offer) -> str:
    archived = " (archived)" if offer.archived_at else ""
    return f"{offer.pk}\t{offer.name}{archived}\t{offer.topic.name}\t{offer.intent}"


class Command(GoodwillCommand):
    help = "List offers, show one, add one, or render one for a person."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="list|show|create|render")
        listing = sub.add_parser("list", help="The offers, newest first.")
        listing.add_argument("--archived", action="store_true", help="Include archived offers.")
        show = sub.add_parser("show", help="One offer.")
        show.add_argument("offer_id", type=int)
        create = sub.add_parser("create", help="Add an offer (managers and owners).")
        create.add_argument("--name", required=True)
        create.add_argument("--topic", required=True, help="A topic's name or id.")
        create.add_argument("--interest", action="append", default=[], help="Repeatable.")
        create.add_argument("--occasion", action="append", default=[], help="Occasion kind.")
        create.add_argument("--category", action="append", default=[], help="Purchase category.")
        create.add_argument("--subject", required=True, help="Subject template (one line).")
        body = create.add_mutually_exclusive_group(required=True)
        body.add_argument("--body", help="Body template.")
        body.add_argument("--body-file", type=Path, help="Read the body template from a file.")
        create.add_argument("--intent", default="giving", help="giving (default) or asking.")
        create.add_argument("--valid-from", type=_date)
        create.add_argument("--valid-until", type=_date)
        create.add_argument("--code-prefix", default="")
        render = sub.add_parser("render", help="What a person would receive.")
        render.add_argument("offer_id", type=int)
        render.add_argument("--person", type=int, required=True, help="The person's id.")
        render.add_argument("--occasion", type=int, help="An occasion's id (names, years).")
        for p in (listing, show, create, render):
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        action = options["action"]
        if action == "list":
            offers = offer_list(user=actor, include_archived=options["archived"])
            text = "\n".join(_summary(o) for o in offers) or "No offers."
            self.write_result(options, [offer_row(o) for o in offers], text)
        elif action == "show":
            offer = offer_get(user=actor, offer_id=options["offer_id"])
            text = f"{_summary(offer)}\n{offer.subject_template}\n\n{offer.body_template}"
            self.write_result(options, offer_row(offer), text)
        elif action == "create":
            self._create(actor, options)
        else:
            self._render(actor, options)

    def _create(self, actor: User | None, options: dict[str, Any]) -> None:
        body_file: Path | None = options["body_file"]
        body = body_file.read_text(encoding="utf-8") if body_file else options["body"]
        offer = offer_create(
            actor=actor,
            name=options["name"],
            topic=options["topic"],
            interests=options["interest"],
            occasion_kinds=options["occasion"],
            categories=options["category"],
            subject_template=options["subject"],
            body_template=body,
            intent=options["intent"],
            valid_from=options["valid_from"],
            valid_until=options["valid_until"],
            code_prefix=options["code_prefix"],
        )
        self.write_result(options, offer_row(offer), f"Added offer {offer.pk}: {offer.name}.")

    def _render(self, actor: User | None, options: dict[str, Any]) -> None:
        offer = offer_get(user=actor, offer_id=options["offer_id"])
        person = person_get_for_user(user=actor, person_id=options["person"])
        occasion = occasion_get(user=actor, id=options["occasion"]) if options["occasion"] else None
        preview = offer_preview(offer=offer, person=person, occasion=occasion)
        data = {
            "subject": preview.subject,
            "body": preview.body,
            "held_reason": preview.held_reason,
            "urgent": preview.urgent,
        }
        held = f"Would be held for review: {preview.held_reason}\n\n" if preview.held_reason else ""
        self.write_result(options, data, f"{held}Subject: {preview.subject}\n\n{preview.body}")
