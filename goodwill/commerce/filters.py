"""The people list's "journey stage" filter (registered with ``people.list_filters``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from goodwill.commerce.models import Journey
from goodwill.people.list_filters import ListFilter, register


def _condition(stage: str) -> Q:
    return Q(Exists(Journey.objects.filter(person=OuterRef("pk"), stage=stage)))


def register_stage_filter() -> None:
    """Offer ``?stage=`` on the people list, the people API and the export."""
    register(
        ListFilter(
            name="stage",
            label=_("Journey stage"),
            any_label=_("Any stage"),
            choices=lambda: Journey.Stage.choices,
            condition=_condition,
        )
    )
