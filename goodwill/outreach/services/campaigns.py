"""Campaigns: an offer sent once to its audience.

Queueing renders one message per recipient — their own names, code, unsubscribe and preference
links, the list headers and the business's footer — and holds for review every message whose
greeting does not carry the person's own name. In the same chunk it records each recipient with
why they were chosen, a touch on their budget, an offer on their timeline and, for an occasion,
on that occasion's memory for the year. Nothing is sent from here: the worker sends, outside
quiet hours, re-checking consent and suppression when it claims each message.

Send on the page or the API only checks and marks the campaign "sending"; a worker queues it
(``services/campaign_sending.py``). The command line queues in the foreground. Queueing is
chunked (2,000 people a transaction); a queue that stops half-way can be run again and adds only
the people still missing.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient, Offer
from goodwill.outreach.schedule.runner import run_soon
from goodwill.outreach.services.campaign_sending import (
    CAMPAIGNS_JOB,
    LEASE,
    Progress,
    error_text,
    excluded_sentence,
    queue_claimed,
    refuse_unless_draft,
    sendable,
)
from goodwill.outreach.services.outbox import MESSAGE_QUEUED

__all__ = ["campaign_create", "campaign_queue", "campaign_send", "excluded_sentence"]


def campaign_create(*, actor: User | None, offer: Offer, name: str) -> Campaign:
    """A draft campaign for ``offer`` (managers); nothing is sent until it is queued."""
    require_role(actor, User.Role.MANAGER)
    name = (name or "").strip()
    if not name:
        raise Invalid.field("name", _("Give the campaign a name."))
    if len(name) > 150:
        raise Invalid.field("name", _("At most %(n)d characters.") % {"n": 150})
    if offer.archived_at is not None:
        raise Invalid.field("offer_id", _("This offer is archived."))
    with transaction.atomic():
        campaign = Campaign.objects.create(offer=offer, name=name, created_by=actor)
        audit_record(
            actor=actor, action="campaign.create", target=campaign, changes={"name": [None, name]}
        )
    return campaign


def campaign_send(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Ask for the campaign to be sent (managers), once: everything that can be refused is
    refused now — sent or being sent already is a Conflict; an empty audience, a template fault,
    an offer not valid today or an unfinished footer is Invalid — then it is marked "sending"
    and a worker queues it in the background (``outreach.campaigns``), within seconds."""
    require_role(actor, User.Role.MANAGER)
    refuse_unless_draft(campaign)
    now = timezone.now()
    found = sendable(campaign, now=now)
    with transaction.atomic():
        _mark_sending(campaign, actor=actor, now=now, total=len(found.recipients), owner="")
        audit_record(
            actor=actor,
            action="campaign.send",
            target=campaign,
            changes={"state": [Campaign.State.DRAFT, Campaign.State.SENDING]},
        )
    # The job is due now, and a worker of this process (``goodwill serve``) wakes for it.
    run_soon(CAMPAIGNS_JOB)
    MESSAGE_QUEUED.set()
    return campaign


def _mark_sending(
    campaign: Campaign, *, actor: User | None, now: dt.datetime, total: int, owner: str
) -> None:
    """Draft → sending with a conditional update (a second Send at the same moment gets the
    Conflict); ``owner`` non-empty: leased to it already (the command line runs it itself)."""
    done = CampaignRecipient.objects.filter(campaign=campaign).count()  # a run that stopped
    claimed = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.DRAFT).update(
        state=Campaign.State.SENDING,
        queued_at=now,
        queued_by=actor,
        send_total=done + total,
        send_done=done,
        send_error="",
        lease_owner=owner,
        lease_until=now + LEASE if owner else None,
    )
    campaign.refresh_from_db()
    if claimed != 1:
        refuse_unless_draft(campaign)


def campaign_queue(
    *, actor: User | None, campaign: Campaign, progress: Progress | None = None
) -> Campaign:
    """Queue the campaign's message to everyone in its audience now, in this process (managers;
    the command line and tests), refusing exactly what ``campaign_send`` refuses; nothing is
    queued then. ``progress(done, total)`` hears after each chunk of 2,000."""
    require_role(actor, User.Role.MANAGER)
    refuse_unless_draft(campaign)
    now = timezone.now()
    found = sendable(campaign, now=now)
    owner = f"foreground-{os.getpid()}-{threading.get_ident()}"
    _mark_sending(campaign, actor=actor, now=now, total=len(found.recipients), owner=owner)
    try:
        return queue_claimed(campaign=campaign, actor=actor, owner=owner, progress=progress)
    except BaseException as exc:
        # Back to a draft so a manager can run it again; what was queued stays queued once.
        Campaign.objects.filter(pk=campaign.pk, lease_owner=owner).update(
            state=Campaign.State.DRAFT,
            send_error=error_text(exc)[:1000],
            lease_owner="",
            lease_until=None,
        )
        raise
