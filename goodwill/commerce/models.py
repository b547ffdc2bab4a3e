"""Purchases, stays, refunds and inquiries, the business's journey rules, and each person's
journey stage computed from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goodwill.occasions.models import Occasion
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction


class Purchase(models.Model):
    """One purchase, stay, refund or inquiry of a person: the facts their journey stage is
    computed from. A stay has check-in and check-out dates; an inquiry has no amount; a refund's
    amount is positive and points at what it refunds when known."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("purchase")
        STAY = "stay", _("stay")
        REFUND = "refund", _("refund")
        INQUIRY = "inquiry", _("inquiry")

    class Channel(models.TextChoices):
        IN_STORE = "in_store", _("in store")
        ONLINE = "online", _("online")
        PHONE = "phone", _("phone")
        WALK_IN = "walk_in", _("walk-in")

    class Source(models.TextChoices):
        STAFF = "staff", _("logged by staff")
        API = "api", _("API")
        POS = "pos", _("point-of-sale import")
        IMPORT = "import", _("import")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="purchases")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PURCHASE)
    occurred_at = models.DateTimeField(_("when"))
    check_in = models.DateField(_("check-in"), null=True, blank=True)
    check_out = models.DateField(_("check-out"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    description = models.CharField(_("what"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.IN_STORE
    )
    occasion = models.ForeignKey(
        Occasion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchases",
        verbose_name=_("for the occasion"),
    )
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="refunds"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    source_detail = models.CharField(_("source detail"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Receipt or booking number.")
    )
    followup_due_at = models.DateTimeField(
        _("ask how it was from"),
        null=True,
        blank=True,
        help_text=_("When the “how was it?” follow-up is due; none for refunds and inquiries."),
    )
    interaction = models.OneToOneField(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="purchase"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # Covers the nightly recompute's walk (person, when, kind) without reading the table.
            models.Index(fields=["person", "occurred_at", "kind"], name="purchase_person_time_idx"),
            models.Index(fields=["occurred_at"], name="purchase_time_idx"),
            # The follow-up rate counts due purchases per staff member from the index alone.
            models.Index(
                fields=["followup_due_at", "created_by"], name="purchase_followup_staff_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="purchase_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(check_in__isnull=True)
                | Q(check_out__isnull=True)
                | Q(check_out__gte=models.F("check_in")),
                name="purchase_checkout_after_checkin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description or ''}".strip()

    @property
    def counts(self) -> bool:
        """Whether it counts as buying (a purchase or a stay) for the journey."""
        return self.kind in (self.Kind.PURCHASE, self.Kind.STAY)


class CommerceSettings(models.Model):
    """The business's journey and follow-up rules (one row, pk=1)."""

    regular_purchases = models.PositiveSmallIntegerField(
        _("purchases within 12 months that make a regular"),
        default=4,
        validators=[MinValueValidator(2)],
    )
    followup_days_stay = models.PositiveSmallIntegerField(
        _("ask about a stay this many days after check-out"), default=1
    )
    followup_days_in_store = models.PositiveSmallIntegerField(
        _("ask about an in-store purchase after (days)"), default=3
    )
    followup_days_online = models.PositiveSmallIntegerField(
        _("ask about an online purchase after (days)"), default=3
    )
    followup_days_phone = models.PositiveSmallIntegerField(
        _("ask about a phone order after (days)"), default=3
    )
    followup_days_walk_in = models.PositiveSmallIntegerField(
        _("ask about a walk-in purchase after (days)"), default=3
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Commerce settings"

    def followup_days(self, kind: str, channel: str) -> int:
        """Days after the purchase (after check-out for a stay) to ask how it was."""
        if kind == Purchase.Kind.STAY:
            return self.followup_days_stay
        return int(getattr(self, f"followup_days_{channel}", self.followup_days_in_store))

    def followup_due(
        self,
        *,
        kind: str,
        channel: str,
        occurred_at: dt.datetime,
        check_out: dt.date | None,
        zone: dt.tzinfo,
    ) -> dt.datetime | None:
        """When to ask how it was: the channel's delay after a purchase, the stay's delay after
        noon on its check-out day (in ``zone``); None for refunds and inquiries."""
        if kind not in (Purchase.Kind.PURCHASE, Purchase.Kind.STAY):
            return None
        days = dt.timedelta(days=self.followup_days(kind, channel))
        if kind == Purchase.Kind.STAY and check_out is not None:
            return dt.datetime.combine(check_out, dt.time(12), tzinfo=zone) + days
        return occurred_at + days


class Journey(models.Model):
    """A person's journey stage as last computed from their purchases, referrals and scores,
    with the reason shown to staff and the facts it rests on. One row per person with any
    commerce fact; recomputed when those facts change and nightly (time moves stages on)."""

    class Stage(models.TextChoices):
        PROSPECT = "prospect", _("prospect")
        FIRST_TIME = "first_time", _("first-time")
        RETURNING = "returning", _("returning")
        REGULAR = "regular", _("regular")
        LAPSED = "lapsed", _("lapsed")
        ADVOCATE = "advocate", _("advocate")

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="journey"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    reason = models.CharField(_("why"), max_length=300)
    purchases = models.PositiveIntegerField(_("purchases and stays"), default=0)
    first_purchase_at = models.DateTimeField(null=True, blank=True)
    last_purchase_at = models.DateTimeField(
        _("last purchase or stay"),
        null=True,
        blank=True,
        help_text=_("The date implied consent for follow-up runs from."),
    )
    usual_interval_days = models.PositiveIntegerField(null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(
        _("best recommendation score"), null=True, blank=True
    )
    best_score_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["stage", "person"], name="journey_stage_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.stage}"


class LoyaltyNumber(models.Model):
    """A loyalty, member or card number of a person, as a till or booking system prints it on
    their receipts; stored normalised (no spaces or dashes, upper case), unique to one person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="loyalty_numbers")
    number = models.CharField(_("loyalty number"), max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.number
