"""``goodwill followup list|asked|survey|rates``: “did you ask them?” from the command line
(``--as EMAIL`` acts with that user's role; without it, as the operator)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.core.management.base import GoodwillCommand
from goodwill.feedback.models import Feedback, FollowUp
from goodwill.feedback.selectors.followups import (
    followup_purchase_get,
    followup_rates,
    followup_unasked,
)
from goodwill.feedback.services.followups import followup_mark_asked
from goodwill.outreach.services.surveys import survey_send


def _followup_row(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "purchase_id": f.purchase_id,
        "person_id": f.person_id,
        "method": f.method,
        "asked_at": f.asked_at.isoformat(),
        "answer_id": f.answer_id,
    }


class Command(GoodwillCommand):
    help = "List purchases nobody asked about, record asking, send a survey, show the rate."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="list|asked|survey|rates")
        sub.add_parser("list", help="Purchases and stays due for “how was it?”, not asked yet.")
        asked = sub.add_parser("asked", help="Record that you asked (in person or by phone).")
        asked.add_argument("purchase_id", type=int)
        asked.add_argument("--method", required=True, help="in_person or phone")
        asked.add_argument("--answer", default="", help="What they said.")
        asked.add_argument("--category", default="other", help=", ".join(Feedback.Category.values))
        asked.add_argument("--sentiment", default="neutral", help="positive, negative, neutral")
        survey = sub.add_parser("survey", help="Email them a survey link.")
        survey.add_argument("purchase_id", type=int)
        rates = sub.add_parser("rates", help="Asked / due per week and staff member (managers).")
        rates.add_argument("--weeks", type=int, default=8)
        for p in sub.choices.values():
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        action = options["action"]
        if action == "list":
            page = followup_unasked(user=actor, limit=200)
            rows: list[dict[str, Any]] = [
                {"purchase_id": p.pk, "person": p.person.full_name, "kind": p.kind,
                 "what": p.description or p.category, "due": p.followup_due_at.isoformat()}
                for p in page.items
                if p.followup_due_at
            ]  # fmt: skip
            text = "\n".join(
                f"{r['purchase_id']}\t{r['due'][:10]}\t{r['person']}\t{r['kind']}\t{r['what']}"
                for r in rows
            )
            self.write_result(options, rows, text or "Everyone has been asked.")
        elif action == "rates":
            found = followup_rates(user=actor, weeks=options["weeks"])
            data = {k: [r.__dict__ | {"percent": r.percent} for r in v] for k, v in found.items()}
            text = "\n".join(
                f"{r['label']}\t{r['asked']}/{r['due']}"
                for k in ("weeks", "staff")
                for r in data[k]
            )
            self.write_result(options, data, text)
        else:
            purchase = followup_purchase_get(user=actor, id=options["purchase_id"])
            if action == "survey":
                followup = survey_send(actor=actor, purchase=purchase)
            else:
                followup = followup_mark_asked(
                    actor=actor,
                    purchase=purchase,
                    method=options["method"],
                    answer=options["answer"],
                    category=options["category"],
                    sentiment=options["sentiment"],
                )
            self.write_result(options, _followup_row(followup), f"Recorded: {followup}.")
