"""Record an opt-in or a withdrawal a person told staff about, from the person page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import GoodwillError
from goodwill.outreach.selectors.consent import topic_get
from goodwill.outreach.services.consent import consent_record
from goodwill.people import selectors as people


@login_required
@require_POST
def consent_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a ledger row with source "staff" (any staff member)."""
    person = people.person_get_for_user(user=request.user, person_id=pk)
    topic_id = request.POST.get("topic", "")
    topic = topic_get(topic_id=int(topic_id)) if topic_id.isdigit() else None
    try:
        consent_record(
            actor=request.user,
            person=person,
            address=request.POST.get("address", ""),
            topic=topic,
            basis=request.POST.get("basis", ""),
            source="staff",
            evidence=request.POST.get("evidence", ""),
        )
    except GoodwillError as exc:
        messages.error(request, next(iter(exc.fields.values()), [exc.message])[0])
    else:
        messages.success(request, _("Recorded on %(name)s's page.") % {"name": person.full_name})
    return redirect(reverse("people:person_detail", args=[person.pk]) + "#consent")
