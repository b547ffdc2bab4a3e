"""Occasions (birthdays, anniversaries, custom dates), what we did for them each year, and the
settings and per-user preferences of the agenda and the calendar feed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goodwill.core.models import TimeStamped
from goodwill.people.models import FactSource, Household, Person, Relationship


class Occasion(TimeStamped):
    """A yearly date worth a touch, for a person, a couple (a relationship) or a household.

    ``year`` is optional (a birthday of ``--04-12``); ``md`` (month × 100 + day) is derived by the
    services and indexed, so the agenda reads a window of days, never the whole table.
    ``lead_days`` empty means the kind's default from :class:`OccasionSettings`.
    """

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("birthday")
        WEDDING = "wedding_anniversary", _("wedding anniversary")
        ANNIVERSARY = "anniversary", _("anniversary")
        CUSTOM = "custom", _("custom")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("What it is, for an anniversary or a custom date (“first stay”)."),
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="occasions"
    )
    relationship = models.ForeignKey(
        Relationship, null=True, blank=True, on_delete=models.CASCADE, related_name="occasions"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.CASCADE, related_name="occasions"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    md = models.PositiveSmallIntegerField(editable=False)
    lead_days = models.PositiveSmallIntegerField(
        _("reminder lead time (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the default for this kind, from the settings."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=FactSource.choices, default=FactSource.TOLD_US
    )
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["md", "id"], name="occasion_md_idx"),
            models.Index(fields=["lead_days"], name="occasion_lead_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, relationship__isnull=True, household__isnull=True)
                    | Q(person__isnull=True, relationship__isnull=False, household__isnull=True)
                    | Q(person__isnull=True, relationship__isnull=True, household__isnull=False)
                ),
                name="occasion_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="occasion_month_day_range",
            ),
            models.CheckConstraint(
                condition=Q(lead_days__isnull=True) | Q(lead_days__lte=365),
                name="occasion_lead_days_range",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="birthday"),
                name="occasion_one_birthday_per_person",
            ),
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(kind="wedding_anniversary"),
                name="occasion_one_wedding_per_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.date_label}"

    @property
    def title(self) -> str:
        """“Birthday”, “Wedding anniversary”, or the label of an anniversary or custom date."""
        if self.kind == self.Kind.CUSTOM or (self.kind == self.Kind.ANNIVERSARY and self.label):
            return self.label or str(self.get_kind_display())
        return str(self.get_kind_display()).capitalize()

    @property
    def date_label(self) -> str:
        """ISO 8601 date, or ``--MM-DD`` without a year."""
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"--{self.month:02d}-{self.day:02d}"


class OccasionYear(models.Model):
    """What we did for one occasion in one year: marked done (congratulated) and by whom."""

    occasion = models.ForeignKey(Occasion, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occasion", "year"], name="occasion_year_uniq"),
        ]
        indexes = [models.Index(fields=["year", "done_at"], name="occasion_year_done_idx")]

    def __str__(self) -> str:
        return f"{self.occasion} in {self.year}"


class OccasionTouch(models.Model):
    """One thing we did for an occasion in a year (a greeting, an offer, a call, a gift) and, for
    an offer, whether it was used."""

    class Kind(models.TextChoices):
        GREETING = "greeting", _("greeting sent")
        OFFER = "offer", _("offer made")
        CALL = "call", _("call")
        GIFT = "gift", _("gift")
        VISIT = "visit", _("visit")
        NOTE = "note", _("note")

    record = models.ForeignKey(OccasionYear, on_delete=models.CASCADE, related_name="touches")
    kind = models.CharField(_("what we did"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=200)
    channel = models.CharField(_("channel"), max_length=40, blank=True)
    offer_used = models.BooleanField(_("offer used"), null=True, blank=True)
    interaction = models.ForeignKey(
        "timeline.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"


class OccasionSettings(models.Model):
    """The business's occasion rules (one row, pk=1): Feb 29 in common years, default lead times
    per kind, and the local time of the morning digest."""

    class Feb29(models.TextChoices):
        FEB28 = "feb28", _("February 28")
        MAR1 = "mar1", _("March 1")

    feb29_rule = models.CharField(
        _("February 29 in other years is celebrated on"),
        max_length=5,
        choices=Feb29.choices,
        default=Feb29.FEB28,
    )
    lead_birthday = models.PositiveSmallIntegerField(_("birthday lead time (days)"), default=7)
    lead_wedding = models.PositiveSmallIntegerField(
        _("wedding anniversary lead time (days)"), default=7
    )
    lead_anniversary = models.PositiveSmallIntegerField(
        _("anniversary lead time (days)"), default=7
    )
    lead_custom = models.PositiveSmallIntegerField(_("custom date lead time (days)"), default=7)
    digest_time = models.TimeField(_("morning digest at (business time)"), default=dt.time(7, 30))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Occasion settings"

    def lead_for(self, kind: str) -> int:
        """The default lead time of ``kind``."""
        leads = {
            Occasion.Kind.BIRTHDAY.value: self.lead_birthday,
            Occasion.Kind.WEDDING.value: self.lead_wedding,
            Occasion.Kind.ANNIVERSARY.value: self.lead_anniversary,
        }
        return leads.get(kind, self.lead_custom)


class AgendaPreference(models.Model):
    """A user's own agenda choices: the morning digest by email (opt-in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_preference"
    )
    digest_email = models.BooleanField(_("email me the agenda every morning"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Agenda preference of {self.user}"


class CalendarFeed(models.Model):
    """A user's secret iCal URL: only the SHA-256 of its token is stored; regenerating replaces
    it, revoking deletes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} ({self.prefix}…)"
