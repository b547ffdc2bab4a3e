"""Sending a “how was it?” survey by email from the follow-ups page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Conflict, Invalid
from goodwill.feedback.selectors.followups import followup_purchase_get
from goodwill.outreach.services.surveys import survey_send


@login_required
@require_POST
def survey_send_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue a survey email about one purchase or stay (any staff member)."""
    purchase = followup_purchase_get(user=request.user, id=pk)
    try:
        survey_send(actor=request.user, purchase=purchase)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("A survey is on its way to %(name)s.") % {"name": purchase.person.full_name}
        )
    return redirect("feedback:followups")
