"""``{% person_timeline person %}``: the quick log and first timeline page on the person page.

The people app shows the timeline through this tag, so people never imports timeline code.
"""

from __future__ import annotations

from typing import Any

from django import template

from goodwill.people.models import Person
from goodwill.timeline.forms import QuickLogForm
from goodwill.timeline.selectors import interaction_list_for_person

register = template.Library()


@register.inclusion_tag("timeline/_timeline.html", takes_context=True)
def person_timeline(context: template.Context, person: Person) -> dict[str, Any]:
    """The quick-log form and the newest interactions of ``person``."""
    request = context["request"]
    business = context.get("business")
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "business": business,
        "person": person,
        "form": QuickLogForm(tz=business.time_zone if business else "UTC", user=request.user),
        "page": interaction_list_for_person(user=request.user, person=person),
    }
