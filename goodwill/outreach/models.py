"""The outbox (every message the system sends) and the schedule (periodic jobs). The database
is the source of truth for all deferred work; workers claim rows with leases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodwill.people.models import Person


class OutboxMessage(models.Model):
    """One message to send, rendered when queued, with a stable Message-ID.

    A worker owns a ``sending`` row until ``lease_expires_at``; the reaper puts rows whose lease
    expired back in the queue. ``idempotency_key`` makes enqueueing the same message twice a no-op.
    """

    class Kind(models.TextChoices):
        TRANSACTIONAL = "transactional", _("transactional")
        MARKETING = "marketing", _("marketing")
        INTERNAL = "internal", _("internal")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        HELD = "held", _("held for review")

    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    recipients = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    topic = models.ForeignKey(
        "outreach.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField(max_length=250, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    held_reason = models.CharField(_("held because"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at", "id"], name="outbox_due_idx"),
            models.Index(fields=["state", "lease_expires_at"], name="outbox_lease_idx"),
            models.Index(fields=["state", "created_at"], name="outbox_state_age_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)} ({self.state})"


class OutboxMention(models.Model):
    """A person an internal message names (a digest's entry, a quote of theirs), recorded when
    it is rendered, so that erasing the person can rewrite or redact it. Not unique: a merge
    re-points the mentions of the person merged away to the survivor, who may be named too."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.message_id} → {self.person_id}"


class ScheduledJob(models.Model):
    """A periodic job's bookkeeping: when it ran, when it runs next, how the last run ended.

    The job's code and cadence live in the schedule registry; a row is created for each
    registered job on first use. A worker leases the row while the job runs.
    """

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


from goodwill.outreach.models_campaigns import (  # noqa: E402,F401
    Campaign,
    CampaignRecipient,
    Offer,
    PreferenceLink,
)
from goodwill.outreach.models_consent import Consent, Topic  # noqa: E402,F401
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch, TouchPolicy  # noqa: E402,F401
