"""“Did you ask them?”: the purchases and stays nobody has asked about yet, with “I asked” (in
person or by phone, with the answer) on each; managers also see the follow-up rate per week
and per staff member. Sending a survey by email is outreach's (``outreach:survey_send``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.core.web import add_form_errors, render_page
from goodwill.feedback.forms import AskedForm, RatesForm
from goodwill.feedback.selectors.followups import (
    followup_purchase_get,
    followup_rates,
    followup_unasked,
)
from goodwill.feedback.services.followups import followup_mark_asked


@login_required
def followups(request: AuthedRequest) -> HttpResponse:
    """The un-asked list (anyone on staff) and, for managers, the follow-up rate."""
    page = followup_unasked(user=request.user, cursor=request.GET.get("cursor"))
    rates = None
    form = RatesForm(request.GET)
    if has_role(request.user, User.Role.MANAGER) and form.is_valid():
        rates = followup_rates(user=request.user, weeks=form.cleaned_data["weeks"] or 8)
    context = {"page": page, "rates": rates, "rates_form": form}
    return render_page(request, "feedback/followups.html", context, fragment="rows")


@login_required
def followup_asked(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record “I asked them” for one purchase or stay, with their answer (any staff member);
    the list's quick buttons post only the method."""
    purchase = followup_purchase_get(user=request.user, id=pk)
    form = AskedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_mark_asked(actor=request.user, purchase=purchase, **form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc)
        except Conflict as exc:
            messages.info(request, exc.message)
            return redirect("feedback:followups")
        else:
            messages.success(
                request, _("Noted: %(name)s was asked.") % {"name": purchase.person.full_name}
            )
            return redirect("feedback:followups")
    context = {"purchase": purchase, "form": form}
    status = 422 if form.errors else 200
    return render_page(request, "feedback/followup_asked.html", context, status=status)
