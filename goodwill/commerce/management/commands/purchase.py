"""``goodwill purchase log|list|remove``: purchases, stays, refunds and inquiries from the command
line (``--as EMAIL`` acts with that user's role; without it, as the operator)."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.commerce.models import Purchase
from goodwill.commerce.selectors import purchase_get, purchase_list
from goodwill.commerce.services import purchase_delete, purchase_log
from goodwill.core.management.base import GoodwillCommand
from goodwill.people.selectors import person_get_for_user


def purchase_row(p: Purchase) -> dict[str, Any]:
    return {
        "id": p.pk,
        "person_id": p.person_id,
        "kind": p.kind,
        "occurred_at": p.occurred_at.isoformat(),
        "check_in": p.check_in.isoformat() if p.check_in else None,
        "check_out": p.check_out.isoformat() if p.check_out else None,
        "amount": str(p.amount) if p.amount is not None else None,
        "currency": p.currency,
        "description": p.description,
        "category": p.category,
        "channel": p.channel,
        "followup_due_at": p.followup_due_at.isoformat() if p.followup_due_at else None,
    }


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class Command(GoodwillCommand):
    help = "Log, list or remove purchases, stays, refunds and inquiries."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="log|list|remove")
        log = sub.add_parser("log", help="Log a purchase, stay, refund or inquiry.")
        log.add_argument("person_id", type=int)
        log.add_argument("--kind", default="purchase", help=", ".join(Purchase.Kind.values))
        log.add_argument("--amount", help='A positive amount as written: "12.50", "12,50 €".')
        log.add_argument("--currency", default="", help="ISO 4217 (default: the business's).")
        log.add_argument("--what", dest="description", default="", help="What was bought.")
        log.add_argument("--category", default="")
        log.add_argument("--channel", default="in_store", help=", ".join(Purchase.Channel.values))
        log.add_argument("--check-in", type=_date, help="A stay's check-in (YYYY-MM-DD).")
        log.add_argument("--check-out", type=_date, help="A stay's check-out (YYYY-MM-DD).")
        log.add_argument("--at", type=dt.datetime.fromisoformat, help="When (ISO, with zone).")
        log.add_argument("--reference", default="", help="Receipt or booking number.")
        lst = sub.add_parser("list", help="A person's purchases, newest first.")
        lst.add_argument("person_id", type=int)
        lst.add_argument("--limit", type=int, default=50)
        rm = sub.add_parser("remove", help="Remove a purchase logged by mistake (managers).")
        rm.add_argument("purchase_id", type=int)
        for p in (log, lst, rm):
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        if options["action"] == "remove":
            purchase = purchase_get(user=actor, id=options["purchase_id"])
            purchase_delete(actor=actor, purchase=purchase)
            self.write_result(options, {"removed": purchase_row(purchase)}, f"Removed {purchase}.")
            return
        person = person_get_for_user(user=actor, person_id=options["person_id"])
        if options["action"] == "list":
            page = purchase_list(user=actor, person_id=person.pk, limit=options["limit"])
            rows: list[dict[str, Any]] = [purchase_row(p) for p in page.items]
            text = "\n".join(
                f"{r['id']}\t{r['occurred_at'][:10]}\t{r['kind']}\t{r['amount'] or ''} "
                f"{r['currency']}\t{r['description']}"
                for r in rows
            )
            self.write_result(options, rows, text or "No purchases.")
            return
        purchase = purchase_log(
            actor=actor,
            person=person,
            kind=options["kind"],
            amount=options["amount"],
            currency=options["currency"],
            description=options["description"],
            category=options["category"],
            channel=options["channel"],
            check_in=options["check_in"],
            check_out=options["check_out"],
            occurred_at=options["at"],
            reference=options["reference"],
        )
        self.write_result(
            options,
            purchase_row(purchase),
            f"Logged {purchase} {purchase.pk} for {person.full_name}.",
        )
