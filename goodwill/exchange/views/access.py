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
from goodwill.core.errors import Invalid
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.services.erase import person_erase
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


@login_required
@require_http_methods(["GET", "POST"])
def person_erase_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask for the person's full name, then erase them for good (owners)."""
    require_role(request.user, User.Role.OWNER)
    person = person_get_for_user(user=request.user, person_id=pk)
    error = ""
    if request.method == "POST":
        try:
            typed = request.POST.get("confirm_name", "")
            person_erase(actor=request.user, person=person, confirm_name=typed)
        except Invalid as exc:
            error = exc.message
        else:
            messages.success(request, _("The person was erased."))
            return redirect("people:person_list")
    context = {"person": person, "error": error}
    return render(
        request, "exchange/person_erase_confirm.html", context, status=422 if error else 200
    )
