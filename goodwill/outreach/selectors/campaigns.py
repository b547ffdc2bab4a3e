"""Reading campaigns: the list, one campaign, what came of it (sent, held, unsubscribes,
redemptions, replies) and its preview — the audience with reasons, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import NotFound
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient, PreferenceLink
from goodwill.outreach.selectors.audience import REASONS, Audience, Recipient, audience

PAGE = 50


def campaign_list(*, user: User | None, offer_id: int | None = None) -> list[Campaign]:
    """The campaigns, newest first (any staff member); a business runs dozens, not thousands."""
    require_role(user, User.Role.STAFF)
    found = Campaign.objects.select_related("offer", "offer__topic")
    if offer_id is not None:
        found = found.filter(offer_id=offer_id)
    return list(found.order_by("-created_at", "-id")[:500])


def campaign_get(*, user: User | None, campaign_id: int) -> Campaign:
    """One campaign with its offer; NotFound when there is none."""
    require_role(user, User.Role.STAFF)
    found = Campaign.objects.select_related("offer", "offer__topic").filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(_("No such campaign."))
    return found


@dataclass(frozen=True)
class CampaignStats:
    """What came of a campaign; ``response_rate`` is replies or redemptions per message sent
    (a percentage with one decimal, None before anything was sent)."""

    queued: int
    sent: int
    held: int
    failed: int
    excluded: dict[str, int]
    unsubscribes: int
    redemptions: int
    responses: int
    response_rate: float | None


def campaign_stats(*, campaign: Campaign) -> CampaignStats:
    """The figures of ``campaign``, in three grouped queries."""
    recipients = CampaignRecipient.objects.filter(campaign=campaign)
    states = dict(recipients.values_list("message__state").annotate(n=Count("id")).order_by())
    answered = recipients.aggregate(
        redeemed=Count("id", filter=Q(redeemed_at__isnull=False)),
        replied=Count("id", filter=Q(responded_at__isnull=False)),
        either=Count("id", filter=Q(redeemed_at__isnull=False) | Q(responded_at__isnull=False)),
    )
    unsubscribes = PreferenceLink.objects.filter(
        message_id__in=recipients.values("message_id"), used_at__isnull=False
    ).count()
    sent = states.get(OutboxMessage.State.SENT, 0)
    rate = round(100 * answered["either"] / sent, 1) if sent else None
    excluded = {reason: int(campaign.excluded.get(reason, 0)) for reason in REASONS}
    return CampaignStats(
        queued=sum(states.values()),
        sent=sent,
        held=states.get(OutboxMessage.State.HELD, 0),
        failed=states.get(OutboxMessage.State.FAILED, 0),
        excluded=excluded,
        unsubscribes=unsubscribes,
        redemptions=answered["redeemed"],
        responses=answered["replied"],
        response_rate=rate,
    )


@dataclass(frozen=True)
class PreviewPage:
    """One page of the recipients, with the excluded counts and first people of each reason."""

    found: Audience
    items: list[Recipient]
    page: int
    pages: int

    @property
    def total(self) -> int:
        return len(self.found.recipients)


def campaign_preview(*, user: User | None, campaign: Campaign, page: int = 1) -> PreviewPage:
    """Who the campaign would go to now and why, and who would not (any staff member). Nothing
    is queued or changed."""
    require_role(user, User.Role.STAFF)
    found = audience(offer=campaign.offer)
    pages = max(1, -(-len(found.recipients) // PAGE))
    page = min(max(1, page), pages)
    items = found.recipients[(page - 1) * PAGE : page * PAGE]
    return PreviewPage(found=found, items=items, page=page, pages=pages)


def campaign_recipients(*, campaign: Campaign) -> QuerySet[CampaignRecipient]:
    """The people a queued campaign went to, with their message's state, by name."""
    return (
        CampaignRecipient.objects.filter(campaign=campaign)
        .select_related("person", "message")
        .order_by("person__sort_key", "person_id")
    )


def campaign_recipient_get(
    *, user: User | None, campaign_id: int, person_id: int
) -> CampaignRecipient:
    """One person's place in a campaign (any staff member); NotFound when the campaign is
    unknown or they were not sent it."""
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    recipient = CampaignRecipient.objects.filter(campaign=campaign, person_id=person_id).first()
    if recipient is None:
        raise NotFound(_("They were not sent this campaign."))
    return recipient
