"""``{% person_feedback person %}``: the Feedback section of the person page — a link to note
what they said and, for managers, their newest feedback.

The people app shows feedback through this tag (looked up by name when the template renders),
so people never imports feedback code — the same way occasions and the timeline show there.
"""

from __future__ import annotations

from typing import Any

from django import template

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role
from goodwill.feedback.selectors.feedback import feedback_list_for_person
from goodwill.people.models import Person

register = template.Library()


@register.inclusion_tag("feedback/_person_feedback.html", takes_context=True)
def person_feedback(context: template.Context, person: Person) -> dict[str, Any]:
    """A "Heard something from …?" link, and the 5 newest feedback for managers and owners."""
    user = context["request"].user
    show_list = has_role(user, User.Role.MANAGER)
    return {
        "person": person,
        "user": user,
        "show_list": show_list,
        "items": feedback_list_for_person(user=user, person=person) if show_list else [],
    }
