"""Tags: the business's own labels for people, and which person carries which (split from
``models.py``, which imports them, so Django finds them as the people app's models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from goodwill.people.models import Person, Sourced


class Tag(models.Model):
    """The business's own label for people ("VIP", "Christmas card list"): not a fact about the
    person but how the business groups them. ``key`` is the folded name, so "VIP" and "vip " are
    one tag; ``people_count`` is kept by the services so the tags page never counts links."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=100, unique=True)
    people_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person_list") + "?" + urlencode({"tag": self.name})


class PersonTag(Sourced):
    """One tag on one person: how it got there (typed by hand, or imported with the batch in
    ``source_detail``), who added it and when."""

    # Indexed by person_tag_uniq (person, tag); the tag side by person_tag_tag_idx.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="tag_links", db_index=False
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="links", db_index=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "tag"], name="person_tag_uniq"),
        ]
        # "Everyone tagged X" walks this index alone, however many people there are.
        indexes = [models.Index(fields=["tag", "person"], name="person_tag_tag_idx")]

    def __str__(self) -> str:
        return f"{self.person} #{self.tag}"
