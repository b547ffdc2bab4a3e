"""The touch budget: the business's policy (one row), a person's own limits, and the ledger of
every outbound touch (marketing, one-to-one, transactional) with whether it gave or asked."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_consent import Topic
from goodwill.people.models import Person

# What each limit of a touch policy is called on pages (a person's limits, the merge screen).
LIMIT_LABELS = {
    "short_max": _("Marketing touches per short window"),
    "short_days": _("Short window (days)"),
    "long_max": _("Marketing touches per long window"),
    "long_days": _("Long window (days)"),
    "min_gap_hours": _("Minimum gap (hours)"),
}


class TouchPolicy(models.Model):
    """The business-wide budget (pk=1): at most ``short_max`` marketing touches per
    ``short_days`` and ``long_max`` per ``long_days``, ``min_gap_hours`` after any touch, nothing
    between ``quiet_start`` and ``quiet_end`` in the person's time zone."""

    short_max = models.PositiveSmallIntegerField(_("touches per short window"), default=1)
    short_days = models.PositiveSmallIntegerField(_("short window (days)"), default=14)
    long_max = models.PositiveSmallIntegerField(_("touches per long window"), default=4)
    long_days = models.PositiveSmallIntegerField(_("long window (days)"), default=90)
    min_gap_hours = models.PositiveSmallIntegerField(
        _("minimum gap after any touch (hours)"), default=48
    )
    quiet_start = models.TimeField(_("quiet hours start"), default=dt.time(21, 0))
    quiet_end = models.TimeField(_("quiet hours end"), default=dt.time(8, 0))
    giving_before_asking = models.BooleanField(
        _("a giving touch before every asking one"),
        default=True,
        help_text=_("An asking touch waits until the person has had a giving one since the last."),
    )
    stay_in_touch_days = models.PositiveSmallIntegerField(
        _("stay in touch after (days)"), default=182
    )
    stay_in_touch_stages = models.JSONField(
        _("stay in touch with"),
        default=list,
        blank=True,
        help_text=_("Journey stages listed on the agenda when no giving touch came in time."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.short_max}/{self.short_days} d, {self.long_max}/{self.long_days} d"


class PersonTouchPolicy(models.Model):
    """A person's own limits, overriding the business's where set (null: the business's)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="touch_policy")
    short_max = models.PositiveSmallIntegerField(null=True, blank=True)
    short_days = models.PositiveSmallIntegerField(null=True, blank=True)
    long_max = models.PositiveSmallIntegerField(null=True, blank=True)
    long_days = models.PositiveSmallIntegerField(null=True, blank=True)
    min_gap_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(_("why"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Touch limits of person {self.person_id}"


class Touch(models.Model):
    """One outbound touch. ``counts`` (marketing, or a one-to-one touch that asks) is what the
    budget counts; a touch whose message ended failed (never sent, or cancelled) does not count."""

    class Purpose(models.TextChoices):
        MARKETING = "marketing", _("marketing")
        ONE_TO_ONE = "one_to_one", _("one-to-one")
        TRANSACTIONAL = "transactional", _("transactional")

    class Intent(models.TextChoices):
        GIVING = "giving", _("giving")
        ASKING = "asking", _("asking")
        NEUTRAL = "neutral", _("neutral")

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        PHONE = "phone", _("phone")
        IN_PERSON = "in_person", _("in person")
        LETTER = "letter", _("letter")
        TEXT = "text", _("text message")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="touches")
    at = models.DateTimeField(_("when"))
    purpose = models.CharField(_("purpose"), max_length=15, choices=Purpose.choices)
    intent = models.CharField(_("intent"), max_length=10, choices=Intent.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    counts = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="touches"
    )
    interaction = models.ForeignKey(
        "timeline.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(
        "outreach.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touches",
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The manager who sent it past the budget or consent check."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["person", "at"], name="touch_person_at_idx"),
            models.Index(fields=["at"], name="touch_at_idx"),
            # Stay in touch: each person's last giving touch, read from the index alone.
            models.Index(
                fields=["person", "intent", "at", "message"], name="touch_person_intent_at_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.get_intent_display()} {self.at:%Y-%m-%d}"
