"""Every write of purchases, stays, refunds and inquiries: logging one (web, API, CLI) and
removing a mistaken one. Each lands on the person's timeline, sets when to ask how it was, and
brings their journey stage (and their referrer's) up to date in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.commerce.models import Purchase
from goodwill.commerce.money import parse_amount
from goodwill.commerce.selectors import commerce_settings
from goodwill.commerce.services.journey import journey_refresh, referrers_of
from goodwill.core.errors import Invalid, one_of
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.settings import business_zone
from goodwill.people.models import Person, Relationship
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

TIMELINE_KIND = {
    Purchase.Kind.PURCHASE: Interaction.Kind.PURCHASE,
    Purchase.Kind.STAY: Interaction.Kind.STAY,
    Purchase.Kind.REFUND: Interaction.Kind.PURCHASE,
    Purchase.Kind.INQUIRY: Interaction.Kind.MESSAGE,
}


def _local_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=business_zone())


def _when(
    kind: str, occurred_at: dt.datetime | None, check_in: dt.date | None, check_out: dt.date | None
) -> dt.datetime:
    """When it happened: a stay starts at check-in; the rest default to now."""
    if kind == Purchase.Kind.STAY:
        if check_in is None or check_out is None:
            field = "check_in" if check_in is None else "check_out"
            raise Invalid.field(field, _("A stay needs its check-in and check-out dates."))
        if check_out < check_in:
            raise Invalid.field("check_out", _("Check-out is before check-in."))
        occurred_at = occurred_at or _local_noon(check_in)
    elif check_in is not None or check_out is not None:
        raise Invalid.field("check_in", _("Only a stay has check-in and check-out dates."))
    occurred_at = occurred_at or timezone.now()
    if timezone.is_naive(occurred_at):
        raise Invalid.field("occurred_at", _("Give the time with its time zone."))
    if occurred_at > timezone.now() + dt.timedelta(days=1):
        raise Invalid.field("occurred_at", _("This is in the future."))
    return occurred_at


def _followup_due(purchase: Purchase) -> dt.datetime | None:
    """When to ask how it was, by the business's rules."""
    return commerce_settings().followup_due(
        kind=purchase.kind,
        channel=purchase.channel,
        occurred_at=purchase.occurred_at,
        check_out=purchase.check_out,
        zone=business_zone(),
    )


def _check_links(person: Person, occasion: Occasion | None, refund_of: Purchase | None) -> None:
    if occasion is not None:
        own = occasion.person_id == person.pk
        own |= occasion.household_id is not None and occasion.household_id == person.household_id
        if occasion.relationship_id is not None:
            own |= (
                Relationship.objects.filter(pk=occasion.relationship_id)
                .filter(Q(from_person=person) | Q(to_person=person))
                .exists()
            )
        if not own:
            raise Invalid.field("occasion", _("That occasion is not this person's."))
    if refund_of is not None and (refund_of.person_id != person.pk or not refund_of.counts):
        raise Invalid.field("refund_of", _("Refund one of this person's own purchases or stays."))


def purchase_summary(purchase: Purchase) -> str:
    """The one line a purchase shows on the timeline ("Stay: Basin Room · 240.00 EUR")."""
    what = purchase.description or purchase.category or purchase.get_kind_display()
    money = f" · {purchase.amount} {purchase.currency}" if purchase.amount is not None else ""
    label = {
        Purchase.Kind.REFUND: _("Refund: %(what)s"),
        Purchase.Kind.INQUIRY: _("Inquiry: %(what)s"),
        Purchase.Kind.STAY: _("Stay: %(what)s"),
    }.get(Purchase.Kind(purchase.kind), "%(what)s")
    return (label % {"what": what} + money)[:200]


def purchase_log(
    *,
    actor: User | None,
    person: Person,
    kind: str = Purchase.Kind.PURCHASE,
    occurred_at: dt.datetime | None = None,
    check_in: dt.date | None = None,
    check_out: dt.date | None = None,
    amount: str | Decimal | None = None,
    currency: str = "",
    description: str = "",
    category: str = "",
    channel: str = Purchase.Channel.IN_STORE,
    occasion: Occasion | None = None,
    refund_of: Purchase | None = None,
    source: str = Purchase.Source.STAFF,
    source_detail: str = "",
    reference: str = "",
) -> Purchase:
    """Log a purchase, stay, refund or inquiry of ``person`` (any staff member): on the timeline
    too, with its follow-up date, and the person's journey recomputed."""
    require_role(actor, User.Role.STAFF)
    one_of("kind", kind, Purchase.Kind.values)
    one_of("channel", channel, Purchase.Channel.values)
    one_of("source", source, Purchase.Source.values)
    money, code = parse_amount(amount, currency=currency, default_currency=business_get().currency)
    if kind == Purchase.Kind.REFUND and money is None:
        raise Invalid.field("amount", _("A refund needs its amount."))
    if kind == Purchase.Kind.INQUIRY and money is not None:
        raise Invalid.field("amount", _("An inquiry has no amount."))
    _check_links(person, occasion, refund_of)
    purchase = Purchase(
        person=person,
        kind=kind,
        occurred_at=_when(kind, occurred_at, check_in, check_out),
        check_in=check_in,
        check_out=check_out,
        amount=money,
        currency=code,
        description=_text("description", description, 300),
        category=_text("category", category, 100),
        channel=channel,
        occasion=occasion,
        refund_of=refund_of,
        source=source,
        source_detail=_text("source_detail", source_detail, 300),
        reference=_text("reference", reference, 100),
        created_by=actor,
    )
    purchase.followup_due_at = _followup_due(purchase)
    with transaction.atomic():
        purchase.interaction = interaction_log(
            actor=actor,
            person=person,
            kind=TIMELINE_KIND[Purchase.Kind(kind)],
            summary=purchase_summary(purchase),
            direction=Interaction.Direction.INBOUND
            if kind == Purchase.Kind.INQUIRY
            else Interaction.Direction.IN_PERSON,
            channel=purchase.get_channel_display(),
            occurred_at=purchase.occurred_at,
        )
        purchase.save()
        audit_record(
            actor=actor,
            action="purchase.log",
            target=purchase,
            person_id=person.pk,
            changes=_changes(purchase),
        )
        journey_refresh(person_ids={person.pk} | referrers_of([person.pk]))
    return purchase


def _text(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise Invalid.field(field, _("At most %(n)d characters.") % {"n": limit})
    return value


def _changes(purchase: Purchase) -> dict[str, Any]:
    shown = ("kind", "occurred_at", "amount", "currency", "description", "category", "channel")
    return {name: [None, str(getattr(purchase, name))] for name in shown}


def purchase_delete(*, actor: User | None, purchase: Purchase) -> None:
    """Remove a purchase logged by mistake (managers and owners), with its timeline entry; the
    person's journey is recomputed."""
    require_role(actor, User.Role.MANAGER)
    person_id = purchase.person_id
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="purchase.delete",
            target=purchase,
            person_id=person_id,
            changes={name: [value[1], None] for name, value in _changes(purchase).items()},
        )
        interaction = purchase.interaction
        purchase.delete()
        if interaction is not None:
            interaction.delete()
        journey_refresh(person_ids={person_id} | referrers_of([person_id]))
