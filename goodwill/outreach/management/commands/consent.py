"""``goodwill consent show|give|withdraw``: a person's consent ledger and status, and recording
what they told staff (``--as EMAIL`` acts with that user's role; without it, as the operator)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.core.management.base import GoodwillCommand
from goodwill.outreach.models_consent import Consent
from goodwill.outreach.selectors.consent import consent_overview, topic_get_by_key
from goodwill.outreach.services.consent import consent_record
from goodwill.people.selectors import person_get_for_user


def consent_row(c: Consent) -> dict[str, Any]:
    return {
        "id": c.pk,
        "address": c.address,
        "topic": c.topic.key if c.topic is not None else None,
        "basis": c.basis,
        "source": c.source,
        "source_detail": c.source_detail,
        "evidence": c.evidence,
        "recorded_at": c.recorded_at.isoformat(),
    }


class Command(GoodwillCommand):
    help = "Show a person's consent, or record an opt-in or a withdrawal they told you about."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="show|give|withdraw")
        show = sub.add_parser("show", help="The ledger and the status per address and topic.")
        give = sub.add_parser("give", help="Record an opt-in the person told you about.")
        withdraw = sub.add_parser("withdraw", help="Record a withdrawal they told you about.")
        for p in (give, withdraw):
            p.add_argument("--address", required=True, help="One of the person's emails.")
            p.add_argument("--topic", default="", help="A topic's name or key (default: all).")
            p.add_argument("--evidence", default="", help="What they said.")
        for p in (show, give, withdraw):
            p.add_argument("person_id", type=int)
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        if options["action"] == "show":
            addresses = [e.email for e in person.emails.all()]
            overview = consent_overview(user=actor, person=person, addresses=addresses)
            statuses = [
                {
                    "address": address,
                    "topic": topic.key if topic is not None else None,
                    "valid": status.valid,
                    "basis": status.basis,
                    "reason": status.reason,
                }
                for address, topic, status in overview.statuses
            ]
            text = "\n".join(
                f"{s['address']}\t{s['topic'] or '*'}\t{s['basis']}\t{s['reason']}"
                for s in statuses
            )
            history = [consent_row(c) for c in overview.history]
            self.write_result(
                options, {"statuses": statuses, "history": history}, text or "No address."
            )
            return
        topic = topic_get_by_key(key=options["topic"]) if options["topic"] else None
        row = consent_record(
            actor=actor,
            person=person,
            address=options["address"],
            topic=topic,
            basis="express" if options["action"] == "give" else "withdrawn",
            source="staff",
            evidence=options["evidence"],
        )
        self.write_result(options, consent_row(row), f"Recorded {row} for {person.full_name}.")
