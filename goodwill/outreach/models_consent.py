"""Topics a business writes about, and the consent ledger: an append-only record of every
opt-in and withdrawal, with who recorded it, how and in what words."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodwill.people.models import Person


class Topic(models.Model):
    """Something the business writes to people about (newsletter, offers, events); ``key`` is
    the folded name and unique."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    legitimate_interest = models.BooleanField(
        _("legitimate interest"),
        default=False,
        help_text=_("The business relies on legitimate interest for this topic."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """One ledger row: a person gave or withdrew consent for an address, for one topic or (topic
    null) for every topic. Rows are only ever added, never changed or deleted."""

    class Basis(models.TextChoices):
        EXPRESS = "express", _("opted in")
        LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        FORM = "form", _("the person, on a form")
        STAFF = "staff", _("staff")
        IMPORT = "import", _("import")
        API = "api", _("API")
        UNSUBSCRIBE = "unsubscribe", _("unsubscribe link")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    address = models.CharField(_("address"), max_length=254)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_detail = models.CharField(_("source detail"), max_length=300, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["person", "address", "recorded_at"], name="consent_person_addr_idx"
            )
        ]

    def __str__(self) -> str:
        topic = self.topic.name if self.topic_id is not None and self.topic else "everything"
        return f"{self.get_basis_display()}: {self.address} ({topic})"

    @property
    def self_withdrawal(self) -> bool:
        """Withdrawn by the person's own act (unsubscribe link or form)."""
        return self.basis == self.Basis.WITHDRAWN and self.source in (
            self.Source.UNSUBSCRIBE,
            self.Source.FORM,
        )
