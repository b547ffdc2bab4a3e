"""``{% person_occasions person %}``, ``{% relationship_occasions rel %}`` and
``{% household_occasions household %}``: the Occasions section of the people app's pages.

The people app shows occasions through these tags (looked up by name when the template renders),
so people never imports occasions code — the same way the timeline shows itself there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from goodwill.occasions.dates import FEB28, next_occurrence
from goodwill.occasions.forms import OccasionForm
from goodwill.occasions.models import Occasion, OccasionSettings
from goodwill.occasions.selectors.occasions import occasions_for
from goodwill.occasions.selectors.settings import zone_of
from goodwill.people.models import Household, Person, Relationship

register = template.Library()
SECTION = "occasions/occasion_section.html"


def _rows(occasions: list[Occasion], today: dt.date) -> list[dict[str, Any]]:
    """Each occasion with the day it is next celebrated on."""
    rule = FEB28
    if any(o.month == 2 and o.day == 29 for o in occasions):
        # Read, never create, the settings row: showing a page must not write.
        stored = OccasionSettings.objects.filter(pk=1).values_list("feb29_rule", flat=True)
        rule = stored.first() or FEB28
    rows = []
    for occasion in occasions:
        upcoming = next_occurrence(occasion.month, occasion.day, today, rule)
        rows.append({"occasion": occasion, "next": upcoming, "days": (upcoming - today).days})
    return rows


def _today(context: template.Context) -> dt.date:
    """The business's date, from the profile the page already has (no extra query)."""
    return timezone.now().astimezone(zone_of(context.get("business"))).date()


def _section(
    context: template.Context, owner: str, target: Any, kwargs: dict[str, Any]
) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "owner": owner,
        "rows": _rows(occasions_for(user=request.user, **kwargs), _today(context)),
        "add_url": reverse(f"occasions:occasion_add_{owner}", args=[target.pk]),
        "form": OccasionForm(owner=owner, auto_id=f"id_occasion_{owner}_%s"),
        "show": True,
    }


@register.inclusion_tag(SECTION, takes_context=True)
def person_occasions(context: template.Context, person: Person) -> dict[str, Any]:
    """A person's birthday, anniversaries and custom dates, with a form to add one."""
    return _section(context, "person", person, {"person": person})


@register.inclusion_tag(SECTION, takes_context=True)
def relationship_occasions(context: template.Context, relationship: Relationship) -> dict[str, Any]:
    """A couple's wedding anniversary and other dates; nothing for other relationships."""
    if relationship.kind != Relationship.Kind.SPOUSE:
        return {"show": False}
    return _section(context, "relationship", relationship, {"relationship": relationship})


@register.inclusion_tag(SECTION, takes_context=True)
def household_occasions(context: template.Context, household: Household) -> dict[str, Any]:
    """A household's anniversaries and custom dates."""
    return _section(context, "household", household, {"household": household})


@register.filter
def occasion_date(occasion: Occasion) -> str:
    """“12 April 1985”, or “12 April” without a year (localised)."""
    day = dt.date(occasion.year or 2000, occasion.month, occasion.day)
    return date_format(day, "j F Y" if occasion.year else "j F")
