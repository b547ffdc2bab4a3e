"""Timeline pages: the quick log, a person's timeline in pages, correcting and removing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.services import business_get
from goodwill.core.errors import Invalid
from goodwill.core.web import add_form_errors, is_htmx
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user
from goodwill.timeline import selectors, services
from goodwill.timeline.forms import InteractionForm, QuickLogForm, initial_for


def _back(person_id: int) -> HttpResponse:
    return redirect(reverse("people:person_detail", args=[person_id]) + "#timeline")


@login_required
def person_timeline(request: AuthedRequest, person_id: int) -> HttpResponse:
    """One keyset page of a person's timeline (htmx: just the rows, for "load more")."""
    person = person_get_for_user(user=request.user, person_id=person_id)
    page = selectors.interaction_list_for_person(
        user=request.user, person=person, cursor=request.GET.get("cursor")
    )
    context = {"person": person, "page": page}
    template = (
        "timeline/_timeline.html#rows" if is_htmx(request) else "timeline/person_timeline.html"
    )
    return render(request, template, context)


def _log_response(request: AuthedRequest, person: Person, form: QuickLogForm) -> HttpResponse:
    status = 422 if form.errors else 200
    if not is_htmx(request):
        context = {"person": person, "form": form}
        return render(request, "timeline/interaction_form.html", context, status=status)
    page = selectors.interaction_list_for_person(user=request.user, person=person)
    context = {"person": person, "form": form, "page": page, "logged": not form.errors}
    return render(request, "timeline/_timeline.html#section", context, status=status)


@login_required
def interaction_log(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Quick log: what happened with this person, now unless said otherwise, and who saw them."""
    person = person_get_for_user(user=request.user, person_id=person_id)
    tz = business_get().time_zone
    form = QuickLogForm(request.POST or None, tz=tz, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_log(actor=request.user, person=person, **form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            if is_htmx(request):
                return _log_response(request, person, QuickLogForm(tz=tz, user=request.user))
            messages.success(request, _("Logged."))
            return _back(person.pk)
    return _log_response(request, person, form)


@login_required
def interaction_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct an interaction: its author, or a manager."""
    interaction = selectors.interaction_get_for_user(user=request.user, interaction_id=pk)
    if interaction.created_by_id != request.user.pk:
        require_role(request.user, User.Role.MANAGER)
    tz = business_get().time_zone
    form = InteractionForm(request.POST or None, tz=tz, initial=initial_for(interaction, tz))
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(
                actor=request.user, interaction=interaction, **form.cleaned_data
            )
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _back(interaction.person_id)
    context = {"interaction": interaction, "person": interaction.person, "form": form}
    status = 422 if form.errors else 200
    return render(request, "timeline/interaction_edit.html", context, status=status)


@login_required
@require_POST
def interaction_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove an interaction (managers)."""
    interaction = selectors.interaction_get_for_user(user=request.user, interaction_id=pk)
    services.interaction_delete(actor=request.user, interaction=interaction)
    messages.success(request, _("Removed from the timeline."))
    return _back(interaction.person_id)
