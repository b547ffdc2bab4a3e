"""Interests: the shared vocabulary of what people like, and who likes or dislikes what (split
from ``models.py``, which imports them, so Django finds them as the people app's models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goodwill.people.models import FactSource, Person


class Interest(models.Model):
    """A shared vocabulary entry; ``key`` is the normalised form ("storm chasing")."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=100, unique=True)
    people_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class PersonInterest(models.Model):
    """Something a person likes or dislikes, with how we know it and who noted it."""

    class Attitude(models.TextChoices):
        LIKES = "likes", _("likes")
        DISLIKES = "dislikes", _("dislikes")

    Source = FactSource

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    interest = models.ForeignKey(
        Interest, on_delete=models.PROTECT, related_name="holders", db_index=False
    )
    attitude = models.CharField(
        _("attitude"), max_length=10, choices=Attitude.choices, default=Attitude.LIKES
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    noted_at = models.DateTimeField()
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "interest"], name="person_interest_uniq"),
        ]
        indexes = [
            models.Index(
                fields=["interest", "attitude", "person"], name="person_interest_holders_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.attitude} {self.interest}"
