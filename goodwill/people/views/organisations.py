"""Organisation pages: list, page with its people, add, edit, archive/restore and delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.web import render_page, save_form
from goodwill.people import selectors, services
from goodwill.people.forms import OrganisationForm, PickForm
from goodwill.people.models import Organisation


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponse:
    """Organisations by name, filtered by ``q``, one keyset page at a time."""
    pick = PickForm(request.GET)
    q = pick.cleaned_data["q"] if pick.is_valid() else ""
    page = selectors.organisation_list(user=request.user, q=q, cursor=request.GET.get("cursor"))
    context = {"pick": pick, "page": page}
    return render_page(request, "people/organisation_list.html", context, fragment="results")


@login_required
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An organisation and its people with their job titles."""
    org = selectors.organisation_get_for_user(user=request.user, organisation_id=pk)
    members = selectors.organisation_members(organisation=org)
    context = {"organisation": org, "members": members}
    return render(request, "people/organisation_detail.html", context)


def _save(request: AuthedRequest, org: Organisation | None) -> HttpResponse:
    initial = {"name": org.name, "website": org.website, "notes": org.notes} if org else None

    def save(data: dict[str, Any]) -> Organisation:
        if org is None:
            return services.organisation_create(actor=request.user, **data)
        return services.organisation_update(actor=request.user, organisation=org, **data)

    form = OrganisationForm(request.POST or None, initial=initial)
    context = {"organisation": org}
    return save_form(
        request, form, save=save, template="people/organisation_form.html", context=context
    )


@login_required
def organisation_create(request: AuthedRequest) -> HttpResponse:
    """Add an organisation."""
    return _save(request, None)


@login_required
def organisation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit an organisation's name, website and notes."""
    org = selectors.organisation_get_for_user(user=request.user, organisation_id=pk)
    return _save(request, org)


@login_required
@require_POST
def organisation_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hide an organisation from lists and pickers (managers); restorable."""
    org = selectors.organisation_get_for_user(user=request.user, organisation_id=pk)
    services.organisation_archive(actor=request.user, organisation=org, archived=True)
    messages.success(request, _("%(name)s archived.") % {"name": org.name})
    return redirect("people:organisation_detail", pk=org.pk)


@login_required
@require_POST
def organisation_restore(request: AuthedRequest, pk: int) -> HttpResponse:
    """Bring an archived organisation back (managers)."""
    org = selectors.organisation_get_for_user(user=request.user, organisation_id=pk)
    services.organisation_archive(actor=request.user, organisation=org, archived=False)
    messages.success(request, _("%(name)s restored.") % {"name": org.name})
    return redirect("people:organisation_detail", pk=org.pk)


@login_required
def organisation_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm, then delete an organisation; its people stay (owners)."""
    require_role(request.user, User.Role.OWNER)
    org = selectors.organisation_get_for_user(user=request.user, organisation_id=pk)
    if request.method == "POST":
        services.organisation_delete(actor=request.user, organisation=org)
        messages.success(request, _("%(name)s deleted.") % {"name": org.name})
        return redirect("people:organisation_list")
    return render(request, "people/organisation_confirm_delete.html", {"organisation": org})
