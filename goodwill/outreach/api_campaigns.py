"""Campaign endpoints: start a campaign for an offer, preview its audience (recipients with
their reason, the others counted by why), send it once, note replies and redeem codes."""

import datetime as dt
from dataclasses import asdict

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent, limit_query, paginate_list
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient
from goodwill.outreach.selectors.audience import REASONS
from goodwill.outreach.selectors.campaigns import (
    campaign_get,
    campaign_list,
    campaign_preview,
    campaign_recipient_get,
    campaign_stats,
)
from goodwill.outreach.selectors.offers import offer_get
from goodwill.outreach.services.campaigns import campaign_create, campaign_send
from goodwill.outreach.services.responses import code_redeem, response_record

campaigns_router = Router(tags=["campaigns"])
redemptions_router = Router(tags=["campaigns"])
REASONS_TEXT = ", ".join(REASONS)


class CampaignOut(Schema):
    """A campaign: a draft until sent; ``excluded`` counts who was left out, by reason, when it
    was queued."""

    id: int
    name: str
    offer_id: int
    state: str = Field(description="draft, sending (a worker is queueing it), queued or cancelled")
    queued_at: dt.datetime | None = Field(description="When Send was pressed")
    queued_count: int
    held_count: int
    send_done: int = Field(description="While sending: people queued so far")
    send_total: int = Field(description="While sending: people it is being queued for")
    send_error: str = Field(description="Why the last send stopped (back to draft), if it did")
    excluded: dict[str, int] = Field(description=f"Reason → people: {REASONS_TEXT}")
    created_at: dt.datetime


class CampaignStatsOut(Schema):
    queued: int
    sent: int
    held: int
    failed: int
    excluded: dict[str, int]
    unsubscribes: int
    redemptions: int
    responses: int
    response_rate: float | None = Field(description="Replies or redemptions per 100 sent")


class CampaignCreateOut(CampaignOut):
    pass


class CampaignSendOut(CampaignOut):
    pass


class CampaignGetOut(CampaignOut):
    stats: CampaignStatsOut


class CampaignListOut(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


class CampaignCreateIn(InSchema):
    offer_id: int
    name: str


class RecipientOut(Schema):
    """Someone the campaign would go to, and why."""

    person_id: int
    name: str
    address: str
    reason: str
    occasion_id: int | None
    partners: list[int] = Field(
        description="The others of a couple or household greeted in the same message"
    )


class ExcludedOut(Schema):
    person_id: int
    name: str
    detail: str = Field(description="The budget rule or name problem, when there is one")


class CampaignPreviewOut(Schema):
    """One page of recipients (by person id) and, for everyone left out, the count and the
    first few people of each reason. Nothing is queued."""

    items: list[RecipientOut]
    next_cursor: str | None
    total: int
    urgent: bool
    excluded: dict[str, int] = Field(description=f"Reason → people: {REASONS_TEXT}")
    samples: dict[str, list[ExcludedOut]]


class RedemptionCreateIn(InSchema):
    code: str


class RedemptionCreateOut(Schema):
    code: str
    campaign_id: int
    offer_id: int
    person_id: int
    redeemed_at: dt.datetime

    @staticmethod
    def resolve_offer_id(recipient: CampaignRecipient) -> int:
        return recipient.campaign.offer_id


class CampaignReplyIn(InSchema):
    note: str = Field(description="What they replied, in a few words (at most 500 characters)")


class CampaignReplyOut(Schema):
    campaign_id: int
    person_id: int
    responded_at: dt.datetime | None
    response_note: str


def actor(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    return user


@campaigns_router.get("", response={200: CampaignListOut, **ERRORS}, operation_id="campaign_list")
def list_campaigns(
    request: HttpRequest, cursor: str | None = None, limit: int | None = limit_query()
) -> CampaignListOut:
    """The campaigns, newest first (any staff member)."""
    found = campaign_list(user=actor(request))
    page = paginate_list(found, key=lambda c: [-c.pk], cursor=cursor, limit=limit)
    return CampaignListOut.model_validate(
        {"items": list(page.items), "next_cursor": page.next_cursor}
    )


@campaigns_router.post(
    "",
    response={201: CampaignCreateOut, **ERRORS},
    operation_id="campaign_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_campaign(request: HttpRequest, payload: CampaignCreateIn) -> Status[Campaign]:
    """Start a draft campaign for an offer (managers and owners); nothing is sent yet."""
    user = actor(request)
    offer = offer_get(user=user, offer_id=payload.offer_id)
    return Status(201, campaign_create(actor=user, offer=offer, name=payload.name))


@campaigns_router.get(
    "/{campaign_id}", response={200: CampaignGetOut, **ERRORS}, operation_id="campaign_get"
)
def get_campaign(request: HttpRequest, campaign_id: int) -> CampaignGetOut:
    """One campaign and what came of it: sent, held, unsubscribes, redemptions, replies."""
    campaign = campaign_get(user=actor(request), campaign_id=campaign_id)
    stats = campaign_stats(campaign=campaign)
    out = CampaignOut.model_validate(campaign).model_dump()
    return CampaignGetOut.model_validate(out | {"stats": asdict(stats)})


@campaigns_router.get(
    "/{campaign_id}/preview",
    response={200: CampaignPreviewOut, **ERRORS},
    operation_id="campaign_preview",
)
def preview_campaign(
    request: HttpRequest,
    campaign_id: int,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> CampaignPreviewOut:
    """Who it would go to now and why (a page at a time), and who not, by reason (an offer
    that cannot be sent: 422 naming the field). Nothing is queued."""
    user = actor(request)
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    found = campaign_preview(user=user, campaign=campaign).found
    page = paginate_list(found.recipients, key=lambda r: [r.person_id], cursor=cursor, limit=limit)
    return CampaignPreviewOut.model_validate(
        {
            "items": [asdict(r) for r in page.items],
            "next_cursor": page.next_cursor,
            "total": len(found.recipients),
            "urgent": found.urgent,
            "excluded": found.excluded,
            "samples": {k: [asdict(e) for e in v] for k, v in found.samples.items()},
        }
    )


@campaigns_router.post(
    "/{campaign_id}/send",
    response={202: CampaignSendOut, **ERRORS},
    operation_id="campaign_send",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def send_campaign(request: HttpRequest, campaign_id: int) -> Status[Campaign]:
    """Send the campaign to everyone in its audience (managers and owners), once: 202 with state
    "sending", and a worker queues it within seconds (GET it to follow ``send_done`` of
    ``send_total`` until "queued"; back to "draft" with ``send_error`` if it fails). Again is a
    409; an empty audience is a 422 saying who was left out and why."""
    user = actor(request)
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    return Status(202, campaign_send(actor=user, campaign=campaign))


@campaigns_router.post(
    "/{campaign_id}/recipients/{person_id}/response",
    response={200: CampaignReplyOut, **ERRORS},
    operation_id="campaign_reply",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def reply_campaign(
    request: HttpRequest, campaign_id: int, person_id: int, payload: CampaignReplyIn
) -> CampaignRecipient:
    """Note what a recipient replied (any staff member): on their timeline too."""
    user = actor(request)
    recipient = campaign_recipient_get(user=user, campaign_id=campaign_id, person_id=person_id)
    return response_record(actor=user, recipient=recipient, note=payload.note)


@redemptions_router.post(
    "",
    response={201: RedemptionCreateOut, **ERRORS},
    operation_id="redemption_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_redemption(
    request: HttpRequest, payload: RedemptionCreateIn
) -> Status[CampaignRecipient]:
    """Redeem a code from an offer (any staff member): unknown 404, used before 409."""
    return Status(201, code_redeem(actor=actor(request), code=payload.code))
