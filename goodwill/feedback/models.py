"""What customers tell us: a remark heard at the counter or on the phone, or a survey answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goodwill.people.models import Person

MAX_TEXT = 2000
MAX_SCORE = 10


class Feedback(models.Model):
    """Something a customer told us; text is required except for a survey answer (which may be
    only a score or a thumb); the person is null when we do not know who said it."""

    class Source(models.TextChoices):
        COUNTER = "counter", _("heard at the counter")
        PHONE = "phone", _("on the phone")
        SURVEY = "survey", _("survey")

    class Category(models.TextChoices):
        PRICE = "price", _("Price")
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")
        STAFF = "staff", _("Staff")
        PLACE = "place", _("Place")
        COMPETITOR = "competitor", _("Competitor")
        OTHER = "other", _("Other")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEGATIVE = "negative", _("negative")
        NEUTRAL = "neutral", _("neutral")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ACTED_ON = "acted_on", _("acted on")

    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.COUNTER
    )
    text = models.TextField(_("what they said"), max_length=MAX_TEXT, blank=True)
    category = models.CharField(_("about"), max_length=12, choices=Category.choices)
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("person"),
    )
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("heard by"),
    )
    heard_at = models.DateTimeField(_("heard at"))
    score = models.PositiveSmallIntegerField(_("score (0-10)"), null=True, blank=True)
    thumbs_up = models.BooleanField(_("thumbs up"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    action = models.TextField(_("what was done"), max_length=MAX_TEXT, blank=True)
    # A survey answer about a purchase: who served them and what they bought, copied from the
    # purchase when the answer arrives, so the scores group the answers alone.
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("served by"),
    )
    bought = models.CharField(_("what they bought"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["status", "-heard_at", "-id"], name="feedback_inbox_idx"),
            models.Index(fields=["heard_at"], name="feedback_heard_at_idx"),
            # The scores read a month of answers and their groups from this index alone.
            models.Index(
                fields=["source", "heard_at", "served_by", "bought", "score", "thumbs_up"],
                name="feedback_scores_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=MAX_SCORE),
                name="feedback_score_range",
            ),
            models.CheckConstraint(
                condition=Q(source="survey") | ~Q(text=""),
                name="feedback_text_unless_survey",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "acknowledged", "acted_on"]),
                name="feedback_status_valid",
            ),
        ]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        short = text if len(text) <= 60 else text[:59] + "…"
        return f"{self.get_category_display()}: {short or self.get_source_display()}"


class FollowUp(models.Model):
    """ "How was it?" asked after a purchase or stay: one row per purchase once someone asked, in
    person, by phone or by sending a survey. A purchase whose follow-up date has passed and has
    no row is on the un-asked list."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        PHONE = "phone", _("by phone")
        SURVEY = "survey", _("survey by email")

    purchase = models.OneToOneField(
        "commerce.Purchase", on_delete=models.CASCADE, related_name="followup"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="followups")
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"))
    due_at = models.DateTimeField(_("was due at"))
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("served by"),
        help_text=_("Who logged the purchase (the follow-up rate is per this staff member)."),
    )
    answer = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="followup"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The follow-up rate counts asked purchases per week and staff member from the index.
            models.Index(fields=["due_at", "served_by"], name="followup_due_staff_idx"),
            models.Index(fields=["asked_by", "due_at"], name="followup_staff_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.purchase_id})"


class Survey(models.Model):
    """A single-use survey link sent to a person, usually about a purchase or stay: only the
    SHA-256 of its unguessable token is stored; it expires, and records one answer."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="surveys")
    purchase = models.ForeignKey(
        "commerce.Purchase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey"
    )

    def __str__(self) -> str:
        return f"Survey {self.pk} for person {self.person_id}"
