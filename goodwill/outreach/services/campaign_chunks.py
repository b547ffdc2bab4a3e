"""Queueing one chunk of a campaign in one transaction: each recipient's message (their own
names, code, unsubscribe and preference links), a touch on their budget, an offer on their
timeline and, for an occasion, on that occasion's memory for the year. People already queued by
an earlier, interrupted run are skipped, so a run can always be resumed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from goodwill.core.tokens import token_hash
from goodwill.occasions.models import OccasionTouch, OccasionYear
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient, PreferenceLink
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.selectors.audience import Recipient
from goodwill.outreach.services.campaign_messages import Batch, codes_for, named
from goodwill.outreach.services.outbox_bulk import messages_enqueue_bulk
from goodwill.outreach.services.preferences import preference_links_bulk
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.people.services.bulk_sql import allocate_ids, db_value, insert_rows
from goodwill.timeline.models import Interaction

CHUNK = 2_000


def _timeline(batch: Batch, people: list[int]) -> dict[int, int]:
    """One offer on each person's timeline; person id → interaction id."""
    offer = batch.offer
    summary = (_("Offer: %(name)s") % {"name": offer.name})[:200]
    staff_id = batch.actor.pk if batch.actor is not None else None
    ids = allocate_ids(Interaction, len(people))
    when = db_value(Interaction, "occurred_at", batch.now)
    insert_rows(
        Interaction,
        (
            "id",
            "person_id",
            "kind",
            "direction",
            "intent",
            "channel",
            "staff_id",
            "occurred_at",
            "summary",
            "body",
            "created_by_id",
        ),  # fmt: skip
        [
            (
                pk,
                person_id,
                Interaction.Kind.OFFER,
                Interaction.Direction.OUTBOUND,
                offer.intent,
                "email",
                staff_id,
                when,
                summary,
                batch.campaign.name,
                staff_id,
            )
            for pk, person_id in zip(ids, people, strict=True)
        ],  # fmt: skip
    )
    return dict(zip(people, ids, strict=True))


def _memory(batch: Batch, chosen: list[Recipient], interactions: dict[int, int]) -> None:
    """One offer on the yearly memory of each occasion (a couple's shared one: once)."""
    firsts: dict[tuple[int, int], int] = {}
    for r in chosen:
        if r.occasion_id is not None:
            year = batch.occasion(r.occasion_id)[2]
            firsts.setdefault((r.occasion_id, year), interactions[r.person_id])
    if not firsts:
        return
    OccasionYear.objects.bulk_create(
        [OccasionYear(occasion_id=o, year=y) for o, y in firsts], ignore_conflicts=True
    )
    records = {
        (o, y): pk
        for pk, o, y in OccasionYear.objects.filter(
            occasion_id__in={o for o, _y in firsts}
        ).values_list("pk", "occasion_id", "year")
    }
    summary = (_("Offer sent: %(name)s") % {"name": batch.offer.name})[:200]
    OccasionTouch.objects.bulk_create(
        OccasionTouch(
            record_id=records[key],
            kind=OccasionTouch.Kind.OFFER,
            summary=summary,
            channel="email",
            interaction_id=interaction_id,
            occurred_at=batch.now,
            created_by=batch.actor,
        )
        for key, interaction_id in firsts.items()
    )


def _link_messages(campaign: Campaign, tokens: list[str]) -> None:
    """Point each new preference link at its person's message of this campaign (so the
    campaign's unsubscribes can be counted), in one statement."""
    key = Concat(
        Value(f"campaign:{campaign.pk}:person:"),
        Cast(OuterRef("person_id"), output_field=CharField()),
        output_field=CharField(),
    )
    message = OutboxMessage.objects.filter(idempotency_key=key).values("pk")[:1]
    PreferenceLink.objects.filter(token_hash__in=[token_hash(t) for t in tokens]).update(
        message_id=Subquery(message)
    )


def queue_chunk(batch: Batch, chunk: list[Recipient]) -> None:
    """Queue one chunk in one transaction. People already queued by an earlier, interrupted
    run are skipped."""
    campaign = batch.campaign
    done = set(
        CampaignRecipient.objects.filter(
            campaign=campaign, person_id__in=[r.person_id for r in chunk]
        ).values_list("person_id", flat=True)
    )
    chosen = [r for r in chunk if r.person_id not in done]
    if not chosen:
        return
    prefix = batch.offer.code_prefix.strip().upper()
    codes = codes_for(prefix, len(chosen)) if prefix else [""] * len(chosen)
    with transaction.atomic():
        tokens = preference_links_bulk(
            [(r.person_id, r.address, batch.offer.topic_id) for r in chosen]
        )
        drafts = [
            batch.message(r, named(r), code, token)
            for r, code, token in zip(chosen, codes, tokens, strict=True)
        ]
        created = messages_enqueue_bulk(actor=batch.actor, messages=drafts)
        messages = [created[d.idempotency_key] for d in drafts]
        _link_messages(campaign, tokens)
        message_of = {r.person_id: m.pk for r, m in zip(chosen, messages, strict=True)}
        # A couple's message is on both timelines and counts on both budgets.
        everyone = [(r, pk) for r in chosen for pk in (r.person_id, *r.partners)]
        interactions = _timeline(batch, [pk for _r, pk in everyone])
        touches_record(
            rows=[
                TouchRow(
                    person_id=pk,
                    at=batch.now,
                    purpose=Touch.Purpose.MARKETING,
                    intent=batch.offer.intent,
                    urgent=batch.urgent,
                    topic_id=batch.offer.topic_id,
                    summary=batch.offer.name,
                    message_id=message_of[r.person_id],
                    campaign_id=campaign.pk,
                    interaction_id=interactions[pk],
                    created_by_id=batch.actor.pk if batch.actor is not None else None,
                )
                for r, pk in everyone
            ]
        )
        insert_rows(
            CampaignRecipient,
            ("campaign_id", "person_id", "address", "reason", "code", "message_id", "occasion_id"),
            [
                (campaign.pk, r.person_id, r.address, r.reason[:200], code, m.pk, r.occasion_id)
                for r, code, m in zip(chosen, codes, messages, strict=True)
            ],
        )
        _memory(batch, chosen, interactions)
