"""Offer pages: the list, adding and editing (managers), archiving, and an offer's page with a
preview for a real person — what they would receive and whether it would be held for review."""

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
from goodwill.core.errors import Conflict, Invalid
from goodwill.core.web import add_form_errors
from goodwill.occasions.models import Occasion
from goodwill.outreach.forms_offers import OfferForm
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.salutation import is_urgent
from goodwill.outreach.selectors.offers import OfferPreview, offer_get, offer_list, offer_preview
from goodwill.outreach.services.offers import offer_archive, offer_create, offer_update
from goodwill.outreach.templating import PLACEHOLDER_HELP
from goodwill.people import selectors as people
from goodwill.people.models import Person

PICK_LIMIT = 10


def occasion_labels(offer: Offer) -> list[str]:
    """The offer's occasion kinds as people read them ("wedding anniversary")."""
    labels = dict(Occasion.Kind.choices)
    return [str(labels.get(kind, kind)) for kind in offer.occasion_kinds]


def _form_page(request: AuthedRequest, form: OfferForm, offer: Offer | None) -> HttpResponse:
    context = {"form": form, "offer": offer, "placeholders": PLACEHOLDER_HELP.items()}
    status = 422 if form.errors else 200
    return render(request, "outreach/offers/offer_form.html", context, status=status)


@login_required
def offer_list_view(request: AuthedRequest) -> HttpResponse:
    """Every offer, newest first (any staff member); archived ones with ``?archived=1``."""
    archived = request.GET.get("archived") == "1"
    offers = offer_list(user=request.user, include_archived=archived)
    rows = [(offer, occasion_labels(offer)) for offer in offers]
    context = {"rows": rows, "offers": offers, "archived": archived}
    return render(request, "outreach/offers/offer_list.html", context)


@login_required
def offer_create_view(request: AuthedRequest) -> HttpResponse:
    """Add an offer (managers and owners); each fault is shown next to its field."""
    require_role(request.user, User.Role.MANAGER)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_create(actor=request.user, **form.service_kwargs())
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Offer added."))
            return redirect("outreach:offer_detail", pk=offer.pk)
    return _form_page(request, form, None)


@login_required
def offer_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change an offer (managers and owners); an archived offer cannot change."""
    require_role(request.user, User.Role.MANAGER)
    offer = offer_get(user=request.user, offer_id=pk)
    form = OfferForm(request.POST or None, initial=OfferForm.initial_for(offer))
    if request.method == "POST" and form.is_valid():
        try:
            offer_update(actor=request.user, offer=offer, **form.service_kwargs())
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("outreach:offer_detail", pk=offer.pk)
    return _form_page(request, form, offer)


@login_required
@require_POST
def offer_archive_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Archive an offer (managers and owners): it leaves the list; its history stays."""
    offer = offer_get(user=request.user, offer_id=pk)
    offer_archive(actor=request.user, offer=offer)
    messages.success(request, _("“%(name)s” archived.") % {"name": offer.name})
    return redirect("outreach:offer_list")


def _pick(request: AuthedRequest) -> tuple[Person | None, list[Person], str]:
    """The person chosen with ``?person=<id>``, or the people matching ``?q=``."""
    chosen = request.GET.get("person", "")
    if chosen.isdigit():
        return people.person_get_for_user(user=request.user, person_id=int(chosen)), [], ""
    q = request.GET.get("q", "").strip()[:100]
    found = list(people.person_search(user=request.user, q=q, limit=PICK_LIMIT).items) if q else []
    return None, found, q


@login_required
def offer_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """An offer and its preview: pick a person (``?q=`` then ``?person=``) to see the subject
    and body they would get and whether the greeting would hold it for review."""
    offer = offer_get(user=request.user, offer_id=pk)
    person, candidates, q = _pick(request)
    preview: OfferPreview | None = None
    if person is not None:
        preview = offer_preview(offer=offer, person=person)
    context: dict[str, Any] = {
        "offer": offer,
        "person": person,
        "candidates": candidates,
        "q": q,
        "preview": preview,
        "urgent_subject": is_urgent(offer.subject_template),
        "occasions": occasion_labels(offer),
    }
    return render(request, "outreach/offers/offer_detail.html", context)
