"""``goodwill campaign create|preview|send|redeem|list``: start a campaign for an offer, see
who it would go to and why (and who not), send it once, and redeem a code (``--as EMAIL`` acts
with that user's role; without it, as the operator)."""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import asdict
from typing import Any

from goodwill.accounts.cli import actor_from, add_actor_options
from goodwill.accounts.models import User
from goodwill.core.management.base import GoodwillCommand
from goodwill.outreach.models_campaigns import Campaign
from goodwill.outreach.selectors.audience import REASON_LABELS, REASONS
from goodwill.outreach.selectors.campaigns import campaign_get, campaign_list, campaign_preview
from goodwill.outreach.selectors.offers import offer_get
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.services.responses import code_redeem

ACTIONS = "create|preview|send|redeem|list"


def campaign_row(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "offer_id": c.offer_id,
        "state": c.state,
        "queued_at": c.queued_at.isoformat() if c.queued_at else None,
        "queued": c.queued_count,
        "held": c.held_count,
        "excluded": c.excluded,
        "send_error": c.send_error,
    }


class Command(GoodwillCommand):
    help = "Start, preview and send campaigns; redeem a code from an offer."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar=ACTIONS)
        create = sub.add_parser("create", help="A draft campaign for an offer.")
        create.add_argument("offer_id", type=int)
        create.add_argument("--name", required=True)
        preview = sub.add_parser("preview", help="Who it would go to and why; who not.")
        send = sub.add_parser(
            "send", help="Queue it to its audience, once, here and now (progress on stderr)."
        )
        for p in (preview, send):
            p.add_argument("campaign_id", type=int)
        redeem = sub.add_parser("redeem", help="Mark a code from an offer used.")
        redeem.add_argument("code")
        listing = sub.add_parser("list", help="Every campaign, newest first.")
        for p in (create, preview, send, redeem, listing):
            add_actor_options(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options)
        getattr(self, f"_{options['action']}")(actor, options)

    def _create(self, actor: User | None, options: dict[str, Any]) -> None:
        offer = offer_get(user=actor, offer_id=options["offer_id"])
        campaign = campaign_create(actor=actor, offer=offer, name=options["name"])
        self.write_result(
            options, campaign_row(campaign), f"Campaign {campaign.pk} “{campaign.name}” (draft)."
        )

    def _preview(self, actor: User | None, options: dict[str, Any]) -> None:
        campaign = campaign_get(user=actor, campaign_id=options["campaign_id"])
        found = campaign_preview(user=actor, campaign=campaign).found
        data = {
            "recipients": [asdict(r) for r in found.recipients],
            "excluded": found.excluded,
            "samples": {k: [asdict(e) for e in v] for k, v in found.samples.items() if v},
        }
        lines = [f"{r.person_id}\t{r.name}\t{r.address}\t{r.reason}" for r in found.recipients]
        lines.append(f"{len(found.recipients)} recipients; left out:")
        lines += [f"  {REASON_LABELS[r]}: {found.excluded[r]}" for r in REASONS]
        self.write_result(options, data, "\n".join(lines))

    def _send(self, actor: User | None, options: dict[str, Any]) -> None:
        campaign = campaign_get(user=actor, campaign_id=options["campaign_id"])
        campaign = campaign_queue(
            actor=actor,
            campaign=campaign,
            progress=lambda done, total: self.stderr.write(f"Queued {done} of {total}…"),
        )
        text = f"Queued {campaign.queued_count} messages; {campaign.held_count} held for review."
        self.write_result(options, campaign_row(campaign), text)

    def _redeem(self, actor: User | None, options: dict[str, Any]) -> None:
        recipient = code_redeem(actor=actor, code=options["code"])
        data = {
            "code": recipient.code,
            "campaign_id": recipient.campaign_id,
            "person_id": recipient.person_id,
            "redeemed_at": recipient.redeemed_at.isoformat() if recipient.redeemed_at else None,
        }
        text = f"{recipient.code} redeemed for {recipient.person.full_name}."
        self.write_result(options, data, text)

    def _list(self, actor: User | None, options: dict[str, Any]) -> None:
        rows = [campaign_row(c) for c in campaign_list(user=actor)]
        text = "\n".join(f"{r['id']}\t{r['state']}\t{r['queued']}\t{r['name']}" for r in rows)
        self.write_result(options, rows, text or "No campaigns.")
