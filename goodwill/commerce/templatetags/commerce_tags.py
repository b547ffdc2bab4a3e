"""``{% person_purchases person %}``: the Purchases and journey section of the person page.

The people app shows it through this tag (looked up by name when the template renders), so
people never imports commerce code — as with occasions and the timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from goodwill.commerce.forms import PurchaseForm
from goodwill.commerce.selectors import Month, journey_of, purchase_list, purchase_months
from goodwill.occasions.selectors.occasions import occasions_for
from goodwill.occasions.selectors.settings import zone_of
from goodwill.people.models import Person

register = template.Library()
IMPLIED_CONSENT_DAYS = 730  # implied by purchase: two years from the last purchase or stay
SHOWN = 10


@register.inclusion_tag("commerce/purchase_section.html", takes_context=True)
def person_purchases(context: template.Context, person: Person) -> dict[str, Any]:
    """The person's journey stage and why, loyalty number, purchase history with a monthly
    chart, and a form."""
    request = context["request"]
    page = purchase_list(user=request.user, person_id=person.pk, limit=SHOWN)
    # Without any purchase, stay or inquiry there is no stage and nothing to chart.
    journey = journey_of(person) if page.items else None
    consent_until = None
    if journey is not None and journey.last_purchase_at is not None:
        consent_until = journey.last_purchase_at + dt.timedelta(days=IMPLIED_CONSENT_DAYS)
    zone = zone_of(context.get("business"))  # the page holds the profile: no query
    today = timezone.now().astimezone(zone).date()
    months = purchase_months(person=person, today=today, zone=zone) if page.items else []
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "business": context.get("business"),
        "person": person,
        "journey": journey,
        "consent_until": consent_until,
        "purchases": page.items,
        "more": page.next_cursor is not None,
        "months": months if any(m.count for m in months) else [],
        "bars": _bars(months),
        "chart_width": 10 * len(months),
        "chart_caption": ", ".join(
            f"{date_format(m.month, 'M Y')}: {m.count}" for m in months if m.count
        ),
        "add_url": reverse("commerce:purchase_add", args=[person.pk]),
        "loyalty_number": ", ".join(n.number for n in person.loyalty_numbers.all()),
        "loyalty_url": reverse("commerce:loyalty_number_set", args=[person.pk]),
        "form": PurchaseForm(
            occasions=occasions_for(user=request.user, person=person), auto_id="id_purchase_%s"
        ),
    }


def _bars(months: list[Month]) -> list[dict[str, Any]]:
    """One SVG bar per month: 10 units apart, up to 40 high, standing on the line y = 42."""
    bars = []
    for i, month in enumerate(months):
        height = round(month.height * 0.4)
        bars.append({"x": i * 10 + 1, "y": 42 - height, "height": height, "month": month})
    return bars
