"""The right of access (a person's data as a page or a JSON file) and erasure (owners)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.exchange.export.theirs import address_holders
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.services.erase import (
    person_erase,
    person_erase_refusal,
    person_was_erased,
)
from goodwill.people.selectors import person_get_for_user


@login_required
@require_http_methods(["GET"])
def person_access(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everything about one person, readable; ``?format=json`` downloads it (managers)."""
    require_role(request.user, User.Role.MANAGER)
    person = person_get_for_user(user=request.user, person_id=pk)
    data = person_access_export(actor=request.user, person=person)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="person-{pk}.json"'
        return response
    return render(request, "exchange/person_access.html", {"person": person, "data": data})


def _gone(request: AuthedRequest, pk: int) -> HttpResponse:
    """Back to the people list after an erasure posted twice (a double click), or for a person
    deleted meanwhile: what happened, instead of a bare "not found"."""
    if person_was_erased(pk):
        messages.info(request, _("The person was erased."))
    else:
        messages.info(request, _("That person is no longer here."))
    return redirect("people:person_list")


@login_required
@require_http_methods(["GET", "POST"])
def person_erase_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask for the person's full name, then erase them for good (owners). A person with a login
    is refused until it is unlinked: the page says so before anything is typed."""
    require_role(request.user, User.Role.OWNER)
    try:
        person = person_get_for_user(user=request.user, person_id=pk)
    except NotFound:
        if request.method == "POST":
            return _gone(request, pk)
        raise
    error, refusal, status = "", person_erase_refusal(person), 200
    if request.method == "POST":
        try:
            typed = request.POST.get("confirm_name", "")
            person_erase(actor=request.user, person=person, confirm_name=typed)
        except Invalid as exc:
            error, status = exc.fields.get("confirm_name", [exc.message])[0], exc.status
        except Conflict as exc:
            refusal, status = exc.message, exc.status
        except NotFound:  # erased by the first of two posts while this one waited
            return _gone(request, pk)
        else:
            messages.success(request, _("The person was erased."))
            return redirect("people:person_list")
    shared = sorted(address_holders(person).items())
    context = {"person": person, "error": error, "refusal": refusal, "shared": shared}
    return render(request, "exchange/person_erase_confirm.html", context, status=status)
