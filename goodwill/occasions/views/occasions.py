"""Occasion pages: add for a person, a couple or a household, edit, delete, and the yearly
memory (what we did each year, whether the offer was used)."""

from __future__ import annotations

from typing import Any

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
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.core.web import add_form_errors
from goodwill.occasions.forms import (
    UPDATE_FIELDS,
    OccasionForm,
    OfferOutcomeForm,
    TouchForm,
    default_year,
    requested_year,
)
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.selectors.occasions import (
    occasion_get,
    occasion_history,
    occasion_people,
)
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.memory import occasion_offer_outcome, occasion_touch_log
from goodwill.occasions.services.occasions import (
    occasion_create,
    occasion_delete,
    occasion_update,
)
from goodwill.people import selectors as people


def target_url(owner: str, target: Any) -> str:
    """The page of a person, a couple (its relationship page) or a household, at its occasions."""
    if owner == "person":
        return reverse("people:person_detail", args=[target.pk]) + "#occasions"
    if owner == "relationship":
        args = [target.from_person_id, target.pk]
        return reverse("people:relationship_edit", args=args) + "#occasions"
    return reverse("people:household_detail", args=[target.pk]) + "#occasions"


def owner_url(occasion: Occasion) -> str:
    """The page the occasion is shown on: its person, couple or household."""
    if occasion.person_id:
        return target_url("person", occasion.person)
    if occasion.relationship_id:
        return target_url("relationship", occasion.relationship)
    return target_url("household", occasion.household)


def _owner(request: AuthedRequest, owner: str, pk: int) -> dict[str, Any]:
    """The person, relationship or household an occasion is added to, as service kwargs."""
    if owner == "person":
        return {"person": people.person_get_for_user(user=request.user, person_id=pk)}
    if owner == "relationship":
        rel = people.relationship_get_for_user(user=request.user, relationship_id=pk)
        return {"relationship": rel}
    return {"household": people.household_get_for_user(user=request.user, household_id=pk)}


def _form_page(request: AuthedRequest, form: OccasionForm, context: dict[str, Any]) -> HttpResponse:
    status = 422 if form.errors else 200
    return render(request, "occasions/occasion_form.html", context | {"form": form}, status=status)


@login_required
def occasion_add(request: AuthedRequest, owner: str, pk: int) -> HttpResponse:
    """Add a birthday, an anniversary or a custom date (staff)."""
    target = _owner(request, owner, pk)
    form = OccasionForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            occasion = occasion_create(actor=request.user, **target, **form.service_kwargs())
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%(what)s added.") % {"what": occasion.title})
            return redirect(owner_url(occasion))
    obj = next(iter(target.values()))
    return _form_page(request, form, {"target": obj, "back": target_url(owner, obj)})


@login_required
def occasion_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct an occasion's date, label, lead time, source or note (staff)."""
    occasion = occasion_get(user=request.user, id=pk)
    initial = {name: getattr(occasion, name) for name in UPDATE_FIELDS}
    form = OccasionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            occasion_update(actor=request.user, occasion=occasion, **form.service_kwargs())
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("occasions:occasion_detail", pk=occasion.pk)
    back = reverse("occasions:occasion_detail", args=[occasion.pk])
    return _form_page(request, form, {"occasion": occasion, "back": back})


@login_required
def occasion_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm, then delete an occasion and its yearly memory (managers)."""
    require_role(request.user, User.Role.MANAGER)
    occasion = occasion_get(user=request.user, id=pk)
    if request.method == "POST":
        back = owner_url(occasion)
        occasion_delete(actor=request.user, occasion=occasion)
        messages.success(request, _("%(what)s deleted.") % {"what": occasion.title})
        return redirect(back)
    context = {"occasion": occasion, "people": occasion_people(occasion)}
    return render(request, "occasions/occasion_confirm_delete.html", context)


def _detail(request: AuthedRequest, occasion: Occasion, form: TouchForm, year: int) -> HttpResponse:
    history = occasion_history(occasion=occasion)
    context = {
        "occasion": occasion,
        "people": occasion_people(occasion),
        "history": history,
        "year": year,
        "last_year_number": year - 1,
        "last_year": next((h for h in history if h.year == year - 1), None),
        "form": form,
        "owner_url": owner_url(occasion),
    }
    status = 422 if form.errors else 200
    return render(request, "occasions/occasion_detail.html", context, status=status)


@login_required
def occasion_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An occasion, its people and the yearly memory, last year's touch first."""
    occasion = occasion_get(user=request.user, id=pk)
    year = requested_year(request.GET.get("year"), occasion, business_today())
    return _detail(request, occasion, TouchForm.for_year(year), year)


@login_required
@require_POST
def occasion_touch_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Log what we did for an occasion this year (staff); a giving touch on the timeline."""
    occasion = occasion_get(user=request.user, id=pk)
    form = TouchForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            occasion_touch_log(
                actor=request.user,
                occasion=occasion,
                year=data["year"],
                kind=data["kind"],
                summary=data["summary"],
                channel=data["channel"],
                mark_done=data["mark_done"],
            )
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Logged."))
            return redirect("occasions:occasion_detail", pk=occasion.pk)
    year = form.cleaned_data.get("year") or default_year(occasion, business_today())
    return _detail(request, occasion, form, year)


@login_required
@require_POST
def touch_outcome(request: AuthedRequest, pk: int, touch_id: int) -> HttpResponse:
    """Record whether an offer was used (staff)."""
    occasion = occasion_get(user=request.user, id=pk)
    touches: list[OccasionTouch] = [
        t for h in occasion_history(occasion=occasion) for t in h.touches.all()
    ]
    touch = next((t for t in touches if t.pk == touch_id), None)
    if touch is None:
        raise NotFound(_("No such touch."))
    form = OfferOutcomeForm(request.POST)
    if not form.is_valid():
        raise Invalid(_("Say whether the offer was used."), fields={"used": [_("Choose one.")]})
    occasion_offer_outcome(actor=request.user, touch=touch, used=form.cleaned_data["used"])
    messages.success(request, _("Saved."))
    return redirect("occasions:occasion_detail", pk=occasion.pk)
