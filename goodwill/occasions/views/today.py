"""The Today page (the landing page after login) and its one-click actions: log a call, mark
done, undo."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.core.errors import Invalid
from goodwill.core.web import add_form_errors, is_htmx, render_page
from goodwill.occasions import agenda_sections
from goodwill.occasions.forms import AgendaForm, CallForm, YearForm
from goodwill.occasions.models import OccasionTouch
from goodwill.occasions.selectors.agenda import AgendaPage, agenda, congratulated_this_year
from goodwill.occasions.selectors.occasions import occasion_call_names, occasion_get
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.memory import (
    occasion_mark_done,
    occasion_mark_undone,
    occasion_touch_log,
)


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    """Occasions today, coming up within their lead time, and who we already congratulated."""
    form = AgendaForm(request.GET)
    page: AgendaPage | None = None
    today_ = business_today()
    day = today_
    if form.is_valid():
        day = form.cleaned_data["date"] or today_
        try:
            page = agenda(user=request.user, date=day, cursor=form.cleaned_data["cursor"] or None)
        except Invalid as exc:
            add_form_errors(form, exc)
            day = today_
    shown = {entry.occasion.pk for entry in page.entries} if page else set()
    earlier = [
        c
        for c in congratulated_this_year(user=request.user, date=day)
        if c.record.occasion_id not in shown
    ]
    context = {
        "form": form,
        "page": page,
        "earlier": earlier,
        "day": day,
        "is_today": day == today_,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "here": request.get_full_path(),
        "fragment": is_htmx(request),
        "sections": agenda_sections.rendered(request.user, day, day == today_),
    }
    status = 422 if form.errors else 200
    return render_page(request, "occasions/today.html", context, fragment="entries", status=status)


def _back(request: AuthedRequest, form: YearForm) -> HttpResponse:
    """Back where the action was pressed (a local URL only), else the Today page."""
    target = form.cleaned_data.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else reverse("occasions:today"))


def _year_form(form: YearForm) -> YearForm:
    if not form.is_valid():
        raise Invalid(_("Say which year this is about."), fields={"year": [_("Give a year.")]})
    return form


@login_required
@require_POST
def occasion_call(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Log a call": a giving call on the timeline, this year's touch, marked done (staff)."""
    occasion = occasion_get(user=request.user, id=pk)
    form = _year_form(CallForm(request.POST))
    summary = form.cleaned_data["summary"] or _("Called to congratulate: %(what)s") % {
        "what": occasion.title
    }
    occasion_touch_log(
        actor=request.user,
        occasion=occasion,
        year=form.cleaned_data["year"],
        kind=OccasionTouch.Kind.CALL,
        summary=summary,
        channel="phone",
    )
    names = occasion_call_names(occasion)
    messages.success(request, _("Call with %(names)s logged.") % {"names": names})
    return _back(request, form)


@login_required
@require_POST
def occasion_done(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark an occasion congratulated for a year (staff)."""
    occasion = occasion_get(user=request.user, id=pk)
    form = _year_form(YearForm(request.POST))
    occasion_mark_done(actor=request.user, occasion=occasion, year=form.cleaned_data["year"])
    names = occasion_call_names(occasion)
    messages.success(request, _("%(names)s: marked done.") % {"names": names})
    return _back(request, form)


@login_required
@require_POST
def occasion_undone(request: AuthedRequest, pk: int) -> HttpResponse:
    """Undo "done" for a year (staff); what we did stays in the yearly memory."""
    occasion = occasion_get(user=request.user, id=pk)
    form = _year_form(YearForm(request.POST))
    occasion_mark_undone(actor=request.user, occasion=occasion, year=form.cleaned_data["year"])
    names = occasion_call_names(occasion)
    messages.success(request, _("%(names)s: no longer marked done.") % {"names": names})
    return _back(request, form)
