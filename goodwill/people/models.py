"""People, their organisations and households, relationships between them, and what they like."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goodwill.core.models import TimeStamped

StrOrPromise = str | Promise


class FactSource(models.TextChoices):
    """How we know a fact: a person's contact facts, an interest."""

    TOLD_US = "told_us", _("told us")
    STAFF_OBSERVED = "staff_observed", _("staff observed")
    IMPORTED = "imported", _("imported")
    FORM = "form", _("form")


class Sourced(models.Model):
    """Where one contact fact (an email, a phone, an organisation) came from: ``source`` says
    how we know it, ``source_detail`` where exactly ("guests.csv, import 12")."""

    source = models.CharField(
        _("source"),
        max_length=20,
        choices=FactSource.choices,
        default=FactSource.TOLD_US,
        db_default=FactSource.TOLD_US.value,
    )
    source_detail = models.CharField(
        _("source detail"), max_length=300, blank=True, default="", db_default=""
    )

    class Meta:
        abstract = True


class Address(models.Model):
    """Abstract postal address (a person's own, or a household's shared one)."""

    street = models.CharField(_("street"), max_length=200, blank=True)
    locality = models.CharField(_("town or city"), max_length=100, blank=True)
    region = models.CharField(_("province or state"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)

    class Meta:
        abstract = True

    @property
    def address_lines(self) -> list[str]:
        region_line = " ".join(p for p in (self.locality, self.region, self.postal_code) if p)
        return [line for line in (self.street, region_line, self.country) if line]


def household_uid_new() -> str:
    """A new household's UID: a random UUID, without ``urn:uuid:``."""
    return str(uuid.uuid4())


class Household(Address, TimeStamped):
    """People who live together (a couple, a family), with their shared address. ``uid`` names
    the household in every export and import (goodwill's vCard): an import joins the household
    of the UID its file gives, on any site; it never changes."""

    name = models.CharField(_("name"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    uid = models.CharField(
        _("UID"), max_length=255, unique=True, default=household_uid_new, editable=False
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:household_detail", args=[self.pk])


class Organisation(TimeStamped):
    """A company, supplier or partner that people belong to."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    website = models.CharField(_("website"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name_key", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:organisation_detail", args=[self.pk])


class Person(Address, TimeStamped):
    """Anyone the business deals with: guest, customer, staff, supplier, partner or lead.

    ``sort_key``/``family_key``/``search_doc`` are derived by the services for ordering and search.
    """

    given_name = models.CharField(_("given name"), max_length=150, blank=True)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=150,
        blank=True,
        help_text=_("What they like to be called."),
    )
    primary_email = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    primary_phone = models.CharField(max_length=20, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=35, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("household"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=FactSource.choices, default=FactSource.TOLD_US
    )
    # Where exactly, when the source says too little: "guests.csv (import 12)".
    source_detail = models.CharField(
        _("source detail"), max_length=300, blank=True, default="", db_default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    sort_key = models.CharField(max_length=310, editable=False)
    family_key = models.CharField(max_length=150, editable=False)
    search_doc = models.TextField(editable=False, blank=True)
    # Not columns: the lists selectors load for pages and lists (``persons.list_prefetches``,
    # ``person_detail_related``, the API's ``with_facts``).
    email_list: list[PersonEmail]
    phone_list: list[PersonPhone]
    role_list: list[PersonRole]
    membership_list: list[Membership]
    tag_link_list: list[PersonTag]

    class Meta:
        indexes = [
            models.Index(fields=["sort_key", "id"], name="person_sort_idx"),
            models.Index(fields=["family_key", "sort_key", "id"], name="person_family_sort_idx"),
            # An import's name matches among the people lacking an email or a phone (the only
            # namesakes a row with both can be: importer/namesakes.py); small, as most have both.
            models.Index(
                fields=["sort_key"],
                condition=Q(primary_email="") | Q(primary_phone=""),
                name="person_short_contact_idx",
            ),
            # The archived, in name order: their list and their search read only them.
            models.Index(
                fields=["sort_key", "id"],
                condition=Q(archived_at__isnull=False),
                name="person_archived_sort_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_name="", family_name=""), name="person_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    @property
    def call_name(self) -> str:
        """How to address them: their preferred name, else their given name."""
        return self.preferred_name or self.given_name or self.full_name


class PersonEmail(Sourced):
    """One email address of a person, normalised (lower-case domain and local part)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(_("email"), max_length=254, db_index=True)
    label = models.CharField(_("label"), max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "email"], name="person_email_uniq"),
        ]

    def __str__(self) -> str:
        return self.email


class PersonPhone(Sourced):
    """One phone number of a person, stored in E.164 (+15551234567)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    e164 = models.CharField(_("phone"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "e164"], name="person_phone_uniq"),
        ]

    def __str__(self) -> str:
        return self.e164


class PersonRole(models.Model):
    """A role a person has for the business; several at once."""

    class Role(models.TextChoices):
        GUEST = "guest", _("Guest / customer")
        STAFF = "staff", _("Staff")
        SUPPLIER = "supplier", _("Supplier")
        PARTNER = "partner", _("Partner")
        LEAD = "lead", _("Lead")

    # Indexed by person_role_uniq (person, role); the keys below whose own index is
    # dropped are likewise the first column of another index.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", db_index=False
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="person_role_uniq"),
        ]
        indexes = [models.Index(fields=["role", "person"], name="person_role_role_idx")]

    def __str__(self) -> str:
        return self.get_role_display()


class Membership(Sourced):
    """A person's place in an organisation, with their job title."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="membership_uniq"),
        ]
        indexes = [models.Index(fields=["organisation", "person"], name="membership_org_idx")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"


class Relationship(TimeStamped):
    """A typed tie between two people, stored once and shown from both sides.

    ``from_person`` is the ``kind`` of ``to_person`` ("Ann is the parent of Ben").
    """

    class Kind(models.TextChoices):
        SPOUSE = "spouse", _("spouse / partner")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("sibling")
        FRIEND = "friend", _("friend")
        COLLEAGUE = "colleague", _("colleague")
        REFERRED_BY = "referred_by", _("referred by")
        CUSTOM = "custom", _("custom")

    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships_from", db_index=False
    )
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    custom_label = models.CharField(_("label"), max_length=60, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=F("to_person")), name="relationship_not_self"
            ),
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind", "custom_label"],
                name="relationship_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} — {self.label_from()} — {self.to_person}"

    def label_from(self) -> str:
        """How ``from_person`` relates to ``to_person``."""
        if self.kind == self.Kind.CUSTOM:
            return self.custom_label
        return str(FORWARD_LABELS[self.kind])

    def label_for(self, person_id: int) -> str:
        """How the *other* person relates to ``person_id`` ("Jack is Ann's spouse")."""
        if self.kind == self.Kind.CUSTOM:
            return self.custom_label
        if person_id == self.to_person_id:
            return str(FORWARD_LABELS[self.kind])
        return str(REVERSE_LABELS[self.kind])

    def other(self, person_id: int) -> Person:
        return self.to_person if person_id == self.from_person_id else self.from_person


FORWARD_LABELS: dict[str, StrOrPromise] = {
    Relationship.Kind.SPOUSE: _("spouse / partner"),
    Relationship.Kind.PARENT: _("parent"),
    Relationship.Kind.SIBLING: _("sibling"),
    Relationship.Kind.FRIEND: _("friend"),
    Relationship.Kind.COLLEAGUE: _("colleague"),
    Relationship.Kind.REFERRED_BY: _("was referred by"),
}
REVERSE_LABELS: dict[str, StrOrPromise] = {
    Relationship.Kind.SPOUSE: _("spouse / partner"),
    Relationship.Kind.PARENT: _("child"),
    Relationship.Kind.SIBLING: _("sibling"),
    Relationship.Kind.FRIEND: _("friend"),
    Relationship.Kind.COLLEAGUE: _("colleague"),
    Relationship.Kind.REFERRED_BY: _("referred"),
}


from goodwill.people.models_interests import Interest as Interest  # noqa: E402
from goodwill.people.models_interests import PersonInterest as PersonInterest  # noqa: E402
from goodwill.people.models_tags import PersonTag as PersonTag  # noqa: E402
from goodwill.people.models_tags import Tag as Tag  # noqa: E402
