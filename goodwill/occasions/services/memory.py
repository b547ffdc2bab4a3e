"""Writes to the yearly memory of an occasion: what we did (a greeting, an offer, a call), whether
an offer was used, and whether the occasion is done (congratulated) for a year."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.occasions.dates import MIN_YEAR
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.occasions.selectors.occasions import occasion_people
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.occasions import audit_people
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

# How each touch shows on a person's timeline: (interaction kind, direction).
TIMELINE_KIND = {
    OccasionTouch.Kind.GREETING: (Interaction.Kind.GREETING, Interaction.Direction.OUTBOUND),
    OccasionTouch.Kind.OFFER: (Interaction.Kind.OFFER, Interaction.Direction.OUTBOUND),
    OccasionTouch.Kind.CALL: (Interaction.Kind.CALL, Interaction.Direction.OUTBOUND),
    OccasionTouch.Kind.GIFT: (Interaction.Kind.NOTE, Interaction.Direction.OUTBOUND),
    OccasionTouch.Kind.VISIT: (Interaction.Kind.VISIT, Interaction.Direction.IN_PERSON),
    OccasionTouch.Kind.NOTE: (Interaction.Kind.NOTE, Interaction.Direction.OUTBOUND),
}


def _check_year(year: object) -> int:
    """A year we can remember: from 1850 to next year (the agenda reaches into January)."""
    latest = business_today().year + 1
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= latest:
        raise Invalid.field(
            "year", _("Give a year from %(lo)d to %(hi)d.") % {"lo": MIN_YEAR, "hi": latest}
        )
    return year


def _audit(
    actor: User | None, action: str, record: OccasionYear, changes: dict[str, object]
) -> None:
    for person_id in audit_people(record.occasion):
        audit_record(
            actor=actor, action=action, target=record, person_id=person_id, changes=changes
        )


def _year_record(occasion: Occasion, year: int) -> OccasionYear:
    record, _created = OccasionYear.objects.get_or_create(occasion=occasion, year=year)
    record.occasion = occasion
    return record


def _mark_done(
    actor: User | None, record: OccasionYear, note: str, at: dt.datetime | None = None
) -> None:
    changes: dict[str, object] = {}
    if record.done_at is None:
        record.done_at = at or timezone.now()
        record.done_by = actor
        changes["done"] = [False, True]
    if note and note != record.note:
        changes["note"] = [record.note, note]
        record.note = note
    if changes:
        record.save()
        _audit(actor, "occasion.done", record, changes)


def occasion_mark_done(
    *, actor: User | None, occasion: Occasion, year: int, note: str = ""
) -> OccasionYear:
    """Mark ``occasion`` congratulated for ``year`` (staff); marking it again keeps the first
    time and who did it."""
    require_role(actor, User.Role.STAFF)
    year = _check_year(year)
    note = (note or "").strip()
    with transaction.atomic():
        record = _year_record(occasion, year)
        _mark_done(actor, record, note)
    return record


def occasion_mark_undone(*, actor: User | None, occasion: Occasion, year: int) -> None:
    """Take back the done mark of ``year`` (staff); what we did that year stays."""
    require_role(actor, User.Role.STAFF)
    year = _check_year(year)
    with transaction.atomic():
        record = OccasionYear.objects.filter(occasion=occasion, year=year).first()
        if record is None or record.done_at is None:
            return
        record.occasion = occasion
        record.done_at = None
        record.done_by = None
        record.save()
        _audit(actor, "occasion.undone", record, {"done": [True, False]})


def _check_when(occurred_at: dt.datetime | None) -> dt.datetime:
    if occurred_at is None:
        return timezone.now()
    if timezone.is_naive(occurred_at):
        raise Invalid.field("occurred_at", _("Give the time with its time zone."))
    if occurred_at > timezone.now() + dt.timedelta(days=1):
        raise Invalid.field("occurred_at", _("This is in the future."))
    return occurred_at


def _check_touch(kind: str, summary: str, channel: str, offer_used: bool | None) -> tuple[str, str]:
    if kind not in OccasionTouch.Kind.values:
        raise Invalid.field("kind", _("Unknown kind %(kind)s.") % {"kind": kind})
    summary = (summary or "").strip()
    if not summary:
        raise Invalid.field("summary", _("Say in a few words what we did."))
    if len(summary) > 200:
        raise Invalid.field("summary", _("At most %(n)d characters.") % {"n": 200})
    if offer_used is not None and kind != OccasionTouch.Kind.OFFER:
        raise Invalid.field("offer_used", _("Only an offer can be used."))
    return summary, (channel or "").strip()[:40]


def occasion_touch_log(
    *,
    actor: User | None,
    occasion: Occasion,
    year: int,
    kind: str,
    summary: str,
    channel: str = "",
    offer_used: bool | None = None,
    timeline: bool = True,
    mark_done: bool = True,
    occurred_at: dt.datetime | None = None,
) -> OccasionTouch:
    """Remember what we did for ``occasion`` in ``year`` (staff): one touch for a couple or a
    household; with ``timeline`` a giving interaction on each of their timelines too (the
    first is linked), with ``mark_done`` the year is marked done. ``occurred_at`` (default: now)
    says when, for what was done earlier."""
    require_role(actor, User.Role.STAFF)
    year = _check_year(year)
    summary, channel = _check_touch(kind, summary, channel, offer_used)
    occurred_at = _check_when(occurred_at)
    with transaction.atomic():
        record = _year_record(occasion, year)
        touch = OccasionTouch(
            record=record,
            kind=kind,
            summary=summary,
            channel=channel,
            offer_used=offer_used,
            occurred_at=occurred_at,
            created_by=actor,
        )
        if timeline:
            interaction_kind, direction = TIMELINE_KIND[OccasionTouch.Kind(kind)]
            for person in occasion_people(occasion):
                interaction = interaction_log(
                    actor=actor,
                    person=person,
                    kind=interaction_kind,
                    summary=summary,
                    direction=direction,
                    intent=Interaction.Intent.GIVING,
                    channel=channel,
                    occurred_at=occurred_at,
                )
                touch.interaction = touch.interaction or interaction
        touch.save()
        _audit(actor, "occasion.touch", record, {"touch": [None, f"{kind}: {summary}"]})
        if mark_done:
            _mark_done(actor, record, "", at=occurred_at)
    return touch


def occasion_offer_outcome(
    *, actor: User | None, touch: OccasionTouch, used: bool
) -> OccasionTouch:
    """Record whether the offer made for an occasion was used (staff)."""
    require_role(actor, User.Role.STAFF)
    if touch.kind != OccasionTouch.Kind.OFFER:
        raise Invalid.field("used", _("Only an offer can be used."))
    if touch.offer_used is used:
        return touch
    with transaction.atomic():
        before = touch.offer_used
        touch.offer_used = used
        touch.save(update_fields=["offer_used"])
        record = OccasionYear.objects.select_related("occasion__relationship").get(
            pk=touch.record_id
        )
        _audit(actor, "occasion.offer_outcome", record, {"offer_used": [before, used]})
    return touch
