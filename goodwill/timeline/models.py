"""The timeline: every touch in or out between the business and a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodwill.people.models import Person


class Interaction(models.Model):
    """One touch (visit, stay, call, email, note…); outbound ones say if they give or ask."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        STAY = "stay", _("stay")
        PURCHASE = "purchase", _("purchase")
        CALL = "call", _("call")
        EMAIL = "email", _("email")
        MEETING = "meeting", _("meeting")
        MESSAGE = "message", _("message")
        NOTE = "note", _("note")
        GREETING = "greeting", _("greeting")
        OFFER = "offer", _("offer")
        FEEDBACK = "feedback", _("feedback")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("inbound")
        OUTBOUND = "outbound", _("outbound")
        IN_PERSON = "in_person", _("in person")

    class Intent(models.TextChoices):
        GIVING = "giving", _("giving")
        ASKING = "asking", _("asking")
        NEUTRAL = "neutral", _("neutral")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.IN_PERSON
    )
    intent = models.CharField(
        _("intent"), max_length=10, choices=Intent.choices, default=Intent.NEUTRAL
    )
    channel = models.CharField(_("channel"), max_length=40, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff member"),
    )
    occurred_at = models.DateTimeField(_("when"))
    summary = models.CharField(_("summary"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["person", "-occurred_at", "-id"], name="interaction_person_time_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"
