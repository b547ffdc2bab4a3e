"""Offers (what we would like to give someone, and to whom it is relevant), campaigns (an offer
sent to an audience), their recipients with the reason each was chosen, and the preference links
every marketing message carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_consent import Topic
from goodwill.people.models import Interest, Person


class Offer(models.Model):
    """An offer: its topic, the interests, occasion kinds and purchase categories it is relevant
    to, the subject and body templates, whether it gives or asks, when it is valid, and the
    prefix of its per-person redemption codes (none: no codes)."""

    class Intent(models.TextChoices):
        GIVING = "giving", _("giving")
        ASKING = "asking", _("asking")

    name = models.CharField(_("name"), max_length=150)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="offers")
    interests = models.ManyToManyField(Interest, blank=True, related_name="+")
    occasion_kinds = models.JSONField(_("occasions"), default=list, blank=True)
    categories = models.JSONField(_("purchase categories"), default=list, blank=True)
    subject_template = models.CharField(_("subject"), max_length=300)
    body_template = models.TextField(_("body"))
    intent = models.CharField(
        _("intent"), max_length=10, choices=Intent.choices, default=Intent.GIVING
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    code_prefix = models.CharField(_("code prefix"), max_length=12, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """An offer sent to its audience once: a draft until Send, then sending while a worker
    queues its messages (``send_done`` of ``send_total`` so far; the worker holding it until
    ``lease_until``), then queued; a run that fails goes back to draft with ``send_error``.
    ``excluded`` keeps how many people were left out and why when it was queued."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        QUEUED = "queued", _("queued")
        CANCELLED = "cancelled", _("cancelled")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=150)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    excluded = models.JSONField(default=dict, blank=True)
    queued_count = models.PositiveIntegerField(default=0)
    held_count = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_total = models.PositiveIntegerField(default=0)
    send_done = models.PositiveIntegerField(default=0)
    send_error = models.TextField(blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CampaignRecipient(models.Model):
    """One person a campaign was queued for: the address, why they were chosen, their code, the
    message, and what came back (a reply, a redeemed code)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=254)
    reason = models.CharField(_("why"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True, db_index=True)
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occasion = models.ForeignKey(
        "occasions.Occasion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    redeemed_at = models.DateTimeField(_("redeemed"), null=True, blank=True)
    responded_at = models.DateTimeField(_("replied"), null=True, blank=True)
    response_note = models.CharField(_("reply"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="campaign_person_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.person_id}"


class PreferenceLink(models.Model):
    """The unsubscribe and preference link of one marketing message: only the SHA-256 of its
    unguessable token is stored; it stays valid for two years."""

    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=254)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Preference link {self.pk} for person {self.person_id}"
