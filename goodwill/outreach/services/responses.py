"""What comes back from a campaign: a redeemed code at the counter, a reply to the message.

Each is written once on the recipient's row, on the person's timeline and — for an offer made
for an occasion — on that occasion's memory of the year (a redeemed code marks the offer used).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.occasions.models import OccasionTouch
from goodwill.occasions.services.memory import occasion_offer_outcome, occasion_touch_log
from goodwill.outreach.models_campaigns import CampaignRecipient
from goodwill.outreach.models_touch import Touch
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

NOTE_MAX = 500


def _occasion_touch(recipient: CampaignRecipient) -> OccasionTouch | None:
    """The offer this campaign left on the occasion's memory (one for a couple)."""
    if recipient.occasion_id is None:
        return None
    interactions = Touch.objects.filter(campaign_id=recipient.campaign_id).values("interaction_id")
    return (
        OccasionTouch.objects.filter(
            record__occasion_id=recipient.occasion_id,
            kind=OccasionTouch.Kind.OFFER,
            interaction_id__in=interactions,
        )
        .order_by("-occurred_at", "-id")
        .first()
    )


def _recipient_by_code(code: str) -> CampaignRecipient:
    clean = (code or "").strip().upper()
    if not clean:
        raise Invalid.field("code", _("Type the code from the message."))
    found = (
        CampaignRecipient.objects.select_related("campaign__offer", "person")
        .filter(code=clean)
        .first()
    )
    if found is None:
        raise NotFound(_("No offer has code %(code)s.") % {"code": clean[:40]})
    return found


def code_redeem(*, actor: User | None, code: str) -> CampaignRecipient:
    """Mark the code used (any staff member): on the person's timeline and, for an occasion
    offer, as used on the occasion's memory. A code used before: Conflict saying when."""
    require_role(actor, User.Role.STAFF)
    recipient = _recipient_by_code(code)
    if recipient.redeemed_at is not None:
        when = date_format(timezone.localtime(recipient.redeemed_at), "j M Y H:i")
        raise Conflict(
            _("Code %(code)s was already redeemed on %(when)s.")
            % {"code": recipient.code, "when": when}
        )
    now = timezone.now()
    offer = recipient.campaign.offer
    with transaction.atomic():
        # Conditional: two tills redeeming the same code at once redeem it once.
        if (
            CampaignRecipient.objects.filter(pk=recipient.pk, redeemed_at=None).update(
                redeemed_at=now
            )
            != 1
        ):
            raise Conflict(_("Code %(code)s was just redeemed.") % {"code": recipient.code})
        recipient.redeemed_at = now
        interaction_log(
            actor=actor,
            person=recipient.person,
            kind=Interaction.Kind.OFFER,
            summary=(_("Redeemed %(code)s: %(offer)s") % {"code": recipient.code, "offer": offer})[
                :200
            ],
            direction=Interaction.Direction.IN_PERSON,
            occurred_at=now,
        )
        touch = _occasion_touch(recipient)
        if touch is not None:
            occasion_offer_outcome(actor=actor, touch=touch, used=True)
        audit_record(
            actor=actor,
            action="campaign.redeem",
            target=recipient.campaign,
            person_id=recipient.person_id,
            changes={"code": [None, recipient.code]},
        )
    return recipient


def response_record(
    *, actor: User | None, recipient: CampaignRecipient, note: str
) -> CampaignRecipient:
    """Note the person's reply to the campaign (any staff member): on their timeline and, for
    an occasion offer, on the occasion's memory. A later reply replaces the note."""
    require_role(actor, User.Role.STAFF)
    note = " ".join((note or "").split())
    if not note:
        raise Invalid.field("note", _("Say in a few words what they replied."))
    if len(note) > NOTE_MAX:
        raise Invalid.field("note", _("At most %(n)d characters.") % {"n": NOTE_MAX})
    now = timezone.now()
    campaign = recipient.campaign
    summary = (_("Replied to %(campaign)s: %(note)s") % {"campaign": campaign, "note": note})[:200]
    with transaction.atomic():
        before = recipient.response_note
        recipient.responded_at, recipient.response_note = now, note
        recipient.save(update_fields=["responded_at", "response_note"])
        interaction_log(
            actor=actor,
            person=recipient.person,
            kind=Interaction.Kind.EMAIL,
            summary=summary,
            direction=Interaction.Direction.INBOUND,
            body=note,
            occurred_at=now,
        )
        touch = _occasion_touch(recipient)
        if touch is not None:
            occasion_touch_log(
                actor=actor,
                occasion=touch.record.occasion,
                year=touch.record.year,
                kind=OccasionTouch.Kind.NOTE,
                summary=summary,
                channel="email",
                timeline=False,
                mark_done=False,
            )
        audit_record(
            actor=actor,
            action="campaign.response",
            target=campaign,
            person_id=recipient.person_id,
            changes={"response_note": [before, note]},
        )
    return recipient
