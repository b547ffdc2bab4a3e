"""Household pages: list, page with its members, add, edit, dissolve, members in and out."""

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
from goodwill.core.errors import NotFound
from goodwill.core.web import render_page, save_form
from goodwill.people import selectors, services
from goodwill.people.forms import HouseholdForm, MemberForm, PickForm
from goodwill.people.models import Household
from goodwill.people.services.households import HOUSEHOLD_FIELDS


@login_required
def household_list(request: AuthedRequest) -> HttpResponse:
    """Households by name, one keyset page at a time."""
    page = selectors.household_list(user=request.user, cursor=request.GET.get("cursor"))
    return render_page(request, "people/household_list.html", {"page": page}, fragment="results")


@login_required
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A household, its shared address and its members."""
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    members = selectors.household_members(household=household)
    context = {"household": household, "members": members}
    return render(request, "people/household_detail.html", context)


def _save(request: AuthedRequest, household: Household | None) -> HttpResponse:
    initial = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS} if household else None

    def save(data: dict[str, Any]) -> Household:
        if household is None:
            return services.household_create(actor=request.user, **data)
        return services.household_update(actor=request.user, household=household, **data)

    form = HouseholdForm(request.POST or None, initial=initial)
    context = {"household": household}
    return save_form(
        request, form, save=save, template="people/household_form.html", context=context
    )


@login_required
def household_create(request: AuthedRequest) -> HttpResponse:
    """Add a household."""
    return _save(request, None)


@login_required
def household_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a household's name, shared address and notes."""
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    return _save(request, household)


@login_required
def household_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm, then dissolve a household; its members stay, without it (managers)."""
    require_role(request.user, User.Role.MANAGER)
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    if request.method == "POST":
        services.household_delete(actor=request.user, household=household)
        messages.success(request, _("%(name)s dissolved.") % {"name": household.name})
        return redirect("people:household_list")
    return render(request, "people/household_confirm_delete.html", {"household": household})


@login_required
def household_member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pick a person and move them into this household."""
    household = selectors.household_get_for_user(user=request.user, household_id=pk)
    pick = PickForm(request.GET)
    q = pick.cleaned_data["q"] if pick.is_valid() else ""
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = selectors.person_get_for_user(
                user=request.user, person_id=form.cleaned_data["person_id"]
            )
        except NotFound:
            form.add_error("person_id", _("Choose a person from the list."))
        else:
            services.household_add_member(actor=request.user, household=household, person=person)
            return redirect("people:household_detail", pk=household.pk)
    candidates = selectors.person_options(user=request.user, q=q) if q else []
    context = {"household": household, "form": form, "pick": pick, "candidates": candidates}
    status = 422 if form.errors else 200
    return render_page(
        request, "people/household_member_form.html", context, fragment="candidates", status=status
    )


@login_required
@require_POST
def household_member_remove(request: AuthedRequest, pk: int, person_id: int) -> HttpResponse:
    """Take a person out of this household."""
    person = selectors.person_get_for_user(user=request.user, person_id=person_id)
    if person.household_id != pk:
        raise NotFound(_("This person is not in this household."))
    services.household_remove_member(actor=request.user, person=person)
    return redirect("people:household_detail", pk=pk)
