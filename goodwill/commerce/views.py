"""Commerce pages: log a purchase from the person page, remove a mistaken one, and the journey
and follow-up rules."""

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
from goodwill.commerce.forms import SETTINGS_FIELDS, CommerceSettingsForm, PurchaseForm
from goodwill.commerce.selectors import commerce_settings, purchase_get
from goodwill.commerce.services import (
    commerce_settings_update,
    loyalty_number_set,
    purchase_delete,
    purchase_log,
)
from goodwill.core.errors import GoodwillError, Invalid
from goodwill.core.web import add_form_errors
from goodwill.occasions.selectors.occasions import occasions_for
from goodwill.occasions.selectors.settings import business_zone
from goodwill.people import selectors as people


def _person_url(pk: int) -> str:
    return reverse("people:person_detail", args=[pk]) + "#purchases"


@login_required
def purchase_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Log a purchase, stay, refund or inquiry for a person (any staff member)."""
    person = people.person_get_for_user(user=request.user, person_id=pk)
    form = PurchaseForm(
        request.POST or None, occasions=occasions_for(user=request.user, person=person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            purchase_log(
                actor=request.user, person=person, **form.service_kwargs(zone=business_zone())
            )
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Logged on %(name)s's page.") % {"name": person.full_name})
            return redirect(_person_url(person.pk))
    return render(request, "commerce/purchase_form.html", {"person": person, "form": form})


@login_required
@require_POST
def purchase_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a purchase logged by mistake (managers and owners)."""
    require_role(request.user, User.Role.MANAGER)
    purchase = purchase_get(user=request.user, id=pk)
    purchase_delete(actor=request.user, purchase=purchase)
    messages.success(request, _("The purchase was removed."))
    return redirect(_person_url(purchase.person_id))


@login_required
@require_POST
def loyalty_number_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set or clear a person's loyalty number from their page (any staff member)."""
    person = people.person_get_for_user(user=request.user, person_id=pk)
    try:
        loyalty_number_set(actor=request.user, person=person, number=request.POST.get("number", ""))
    except GoodwillError as exc:
        messages.error(request, exc.fields.get("number", [exc.message])[0])
    else:
        messages.success(request, _("Loyalty number saved."))
    return redirect(_person_url(person.pk))


@login_required
def settings_page(request: AuthedRequest) -> HttpResponse:
    """The journey and follow-up rules (managers and owners)."""
    require_role(request.user, User.Role.MANAGER)
    form = CommerceSettingsForm(request.POST or None, instance=commerce_settings())
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
        try:
            commerce_settings_update(actor=request.user, **values)
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Journey and follow-up rules saved."))
            return redirect("commerce:settings")
    return render(request, "commerce/settings.html", {"form": form})
