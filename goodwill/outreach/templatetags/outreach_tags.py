"""``{% person_consents person %}``: the Consent section of the person page;
``{% person_balance person %}``: its Giving and asking section.

The people app shows it through this tag (looked up by name when the template renders), so
people never imports outreach code — as with commerce's purchases section.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role
from goodwill.outreach.models_touch import LIMIT_LABELS
from goodwill.outreach.selectors.balance import person_balance as person_balance_of
from goodwill.outreach.selectors.consent import consent_overview
from goodwill.people.models import Person

register = template.Library()
SHOWN = 20


@register.inclusion_tag("outreach/consent_section.html", takes_context=True)
def person_consents(context: template.Context, person: Person) -> dict[str, Any]:
    """Status per topic for the primary email, the ledger, and a form (three queries)."""
    request = context["request"]
    addresses = [person.primary_email] if person.primary_email else []
    overview = consent_overview(user=request.user, person=person, addresses=addresses)
    topics = [topic for _address, topic, _status in overview.statuses if topic is not None]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "person": person,
        "address": person.primary_email,
        "statuses": [(topic, status) for _address, topic, status in overview.statuses],
        "history": overview.history[:SHOWN],
        "more": len(overview.history) > SHOWN,
        "topics": topics,
        "add_url": reverse("outreach:consent_add", args=[person.pk]),
    }


@register.inclusion_tag("outreach/balance_section.html", takes_context=True)
def person_balance(context: template.Context, person: Person) -> dict[str, Any]:
    """The last year's giving and asking, what may go now, a form to log a call or visit and,
    for managers, the person's own limits (three queries)."""
    request = context["request"]
    balance = person_balance_of(person=person)
    rows = [
        (name, label, getattr(balance.own, name, None), getattr(balance.policy, name))
        for name, label in LIMIT_LABELS.items()
    ]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "person": person,
        "balance": balance,
        "can_manage": has_role(request.user, User.Role.MANAGER),
        "limit_rows": rows,
    }
