"""The manager's feedback inbox: what customers told us, filtered, newest first, with
"Acknowledge" and "Acted on" on each item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.core.web import add_form_errors, is_htmx, render_page
from goodwill.feedback.forms import ActForm, InboxFilterForm
from goodwill.feedback.models import Feedback
from goodwill.feedback.selectors.feedback import feedback_get_for_user, feedback_inbox
from goodwill.feedback.services.feedback import feedback_acknowledge, feedback_act

ITEM = "feedback/_feedback_item.html"


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    """Feedback newest first, filtered by status, category, sentiment and source (managers)."""
    require_role(request.user, User.Role.MANAGER)
    form = InboxFilterForm(request.GET)
    page = None
    if form.is_valid():
        chosen = form.filters()
        page = feedback_inbox(
            user=request.user,
            status=chosen["status"],
            category=chosen["category"],
            sentiment=chosen["sentiment"],
            source=chosen["source"],
            cursor=request.GET.get("cursor"),
        )
    more = request.GET.copy()
    if page is not None and page.next_cursor:
        more["cursor"] = page.next_cursor
    context = {
        "form": form,
        "page": page,
        "more_query": more.urlencode(),
        "here": request.get_full_path(),
    }
    status = 422 if form.errors else 200
    return render_page(
        request, "feedback/feedback_inbox.html", context, fragment="rows", status=status
    )


@login_required
def feedback_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One piece of feedback with its actions (managers)."""
    item = feedback_get_for_user(user=request.user, feedback_id=pk)
    return _detail(request, item, ActForm())


def _detail(request: AuthedRequest, item: Feedback, form: ActForm) -> HttpResponse:
    context: dict[str, Any] = {"item": item, "act_form": form, "here": request.get_full_path()}
    status = 422 if form.errors else 200
    template = ITEM if is_htmx(request) else "feedback/feedback_detail.html"
    return render(request, template, context, status=status)


def _back(request: AuthedRequest, target: str | None) -> HttpResponse:
    """Back where the button was pressed (a local URL only), else the inbox."""
    target = target or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else reverse("feedback:inbox"))


@login_required
@require_POST
def feedback_acknowledge_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark feedback as seen (managers)."""
    item = feedback_get_for_user(user=request.user, feedback_id=pk)
    feedback_acknowledge(actor=request.user, feedback=item)
    if is_htmx(request):
        return _detail(request, item, ActForm())
    messages.success(request, _("Acknowledged."))
    return _back(request, request.POST.get("next"))


@login_required
@require_POST
def feedback_act_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record what was done about feedback (managers); without a note the form comes back."""
    item = feedback_get_for_user(user=request.user, feedback_id=pk)
    form = ActForm(request.POST)
    if form.is_valid():
        try:
            feedback_act(actor=request.user, feedback=item, action=form.cleaned_data["action"])
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            if is_htmx(request):
                return _detail(request, item, ActForm())
            messages.success(request, _("Saved what you did."))
            return _back(request, form.cleaned_data["next"])
    return _detail(request, item, form)
