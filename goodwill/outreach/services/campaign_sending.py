"""Sending a campaign in the background: Send marks it "sending" and returns at once; the
``outreach.campaigns`` job (any worker, or ``goodwill serve``'s own) claims it with a
conditional update, queues its audience chunk by chunk — the page shows how far it got — and
ends it queued. A run that fails puts it back to draft with the error on its page; what was
queued stays queued, once, and Send again adds only the people still missing. A worker that
stops mid-run loses its lease and another one carries on where it stopped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, GoodwillError, Invalid
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import Campaign, CampaignRecipient
from goodwill.outreach.selectors.audience import REASON_LABELS, Audience, audience
from goodwill.outreach.selectors.audience_consent import chunks
from goodwill.outreach.services.campaign_chunks import CHUNK, queue_chunk
from goodwill.outreach.services.campaign_messages import Batch
from goodwill.outreach.services.marketing_mail import footer_problem
from goodwill.outreach.templating import template_check

log = logging.getLogger("goodwill.campaigns")

CAMPAIGNS_JOB = "outreach.campaigns"
LEASE = dt.timedelta(minutes=10)  # a chunk takes about a second; renewed after each
ERROR_CHARS = 1000

Progress = Callable[[int, int], None]


class LeaseLost(Exception):
    """Another worker took the campaign over (this one was too slow to renew its lease)."""


def excluded_sentence(excluded: dict[str, int]) -> str:
    """“4 no consent for this topic, 2 no email address” (the reasons that left someone out)."""
    parts = [f"{n} {str(REASON_LABELS[r]).lower()}" for r, n in excluded.items() if n]
    return ", ".join(parts) or _("nobody matched")


def sendable(campaign: Campaign, *, now: dt.datetime) -> Audience:
    """The campaign's audience now, or Invalid: a template fault, a footer the business has not
    filled in, an offer that is not valid today, or nobody to send to (unless a run that
    stopped queued some already: the rest of them may all be queued too)."""
    offer = campaign.offer
    template_check(offer.subject_template, field="subject_template")
    template_check(offer.body_template, field="body_template")
    problem = footer_problem()
    if problem:
        raise Invalid.field("business", problem)
    found = audience(offer=offer, at=now, campaign_id=campaign.pk)
    if not found.recipients and not CampaignRecipient.objects.filter(campaign=campaign).exists():
        raise Invalid.field(
            "audience",
            _("No one to send to: %(why)s.") % {"why": excluded_sentence(found.excluded)},
        )
    return found


def campaign_claim(*, owner: str, now: dt.datetime | None = None) -> Campaign | None:
    """Lease the oldest campaign waiting to be sent to ``owner`` (or one whose worker stopped
    mid-run); a conditional update, so two workers never run the same one. None: none waits."""
    now = now or timezone.now()
    free = Q(state=Campaign.State.SENDING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    for pk in (
        Campaign.objects.filter(free).order_by("queued_at", "id").values_list("pk", flat=True)[:5]
    ):
        taken = Campaign.objects.filter(free, pk=pk).update(
            lease_owner=owner, lease_until=now + LEASE
        )
        if taken == 1:
            return Campaign.objects.select_related("offer", "queued_by").get(pk=pk)
    return None


def campaign_run_claimed(*, campaign: Campaign, owner: str) -> Campaign:
    """Queue a claimed campaign as the manager who pressed Send (their role is checked again
    now). A refusal puts it back to draft with the reason; an unexpected error too, and is
    raised again so the schedule's status page shows it."""
    actor = campaign.queued_by
    try:
        require_role(actor, User.Role.MANAGER)
        return queue_claimed(campaign=campaign, actor=actor, owner=owner)
    except LeaseLost:
        log.warning("Campaign %s was taken over by another worker.", campaign.pk)
        return campaign
    except GoodwillError as exc:
        _back_to_draft(campaign, owner, error_text(exc))
        return campaign
    except Exception as exc:
        _back_to_draft(
            campaign,
            owner,
            _(
                "Queueing stopped on an unexpected error (%(error)s). Everyone queued so far stays "
                "queued; Send again queues the rest."
            )  # fmt: skip
            % {"error": error_text(exc)},
        )
        raise


def error_text(exc: BaseException) -> str:
    """What the campaign's page says about a stopped run: a refusal's own words."""
    if isinstance(exc, GoodwillError):
        return str(next(iter(exc.fields.values()), [exc.message])[0])
    return f"{type(exc).__name__}: {exc}"


def _back_to_draft(campaign: Campaign, owner: str, error: str) -> None:
    Campaign.objects.filter(pk=campaign.pk, lease_owner=owner).update(
        state=Campaign.State.DRAFT,
        send_error=error[:ERROR_CHARS],
        lease_owner="",
        lease_until=None,
    )
    campaign.refresh_from_db()


def _renew(campaign: Campaign, owner: str, done: int, total: int) -> None:
    """Progress after a chunk, and the lease renewed; LeaseLost when another worker has it."""
    until = timezone.now() + LEASE
    kept = Campaign.objects.filter(pk=campaign.pk, lease_owner=owner).update(
        send_done=done, send_total=total, lease_until=until
    )
    if kept != 1:
        raise LeaseLost


def queue_claimed(
    *, campaign: Campaign, actor: User | None, owner: str, progress: Progress | None = None
) -> Campaign:
    """Queue everyone in the audience not queued yet, a chunk at a time, then end queued.
    ``campaign`` is leased to ``owner``; ``progress(done, total)`` hears after each chunk."""
    now = timezone.now()
    mine = CampaignRecipient.objects.filter(campaign=campaign)
    have = set(mine.values_list("person_id", flat=True))
    found = sendable(campaign, now=now)
    todo = [r for r in found.recipients if r.person_id not in have]
    done, total = len(have), len(have) + len(todo)
    _renew(campaign, owner, done, total)
    batch = Batch(campaign, actor, now, found.urgent)
    for chunk in chunks(todo, CHUNK):
        queue_chunk(batch, list(chunk))
        done += len(chunk)
        _renew(campaign, owner, done, total)
        if progress is not None:
            progress(done, total)
    held = mine.filter(message__state=OutboxMessage.State.HELD).count()
    queued = mine.count() - held
    with transaction.atomic():
        ended = Campaign.objects.filter(pk=campaign.pk, lease_owner=owner).update(
            state=Campaign.State.QUEUED,
            excluded=found.excluded,
            queued_count=queued,
            held_count=held,
            send_error="",
            lease_owner="",
            lease_until=None,
        )
        if ended != 1:
            raise LeaseLost
        campaign.refresh_from_db()
        audit_record(
            actor=actor,
            action="campaign.queue",
            target=campaign,
            changes={"queued": [0, queued], "held": [0, held], "excluded": found.excluded},
        )
    return campaign


def refuse_unless_draft(campaign: Campaign) -> None:
    """Conflict when the campaign is being sent or was sent already."""
    day = f"{campaign.queued_at:%-d %b %Y %H:%M}" if campaign.queued_at else "?"
    if campaign.state == Campaign.State.SENDING:
        raise Conflict(_("This campaign is already being sent (since %(day)s).") % {"day": day})
    if campaign.state != Campaign.State.DRAFT:
        raise Conflict(_("This campaign was already queued on %(day)s.") % {"day": day})
