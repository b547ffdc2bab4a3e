"""The merge screen: pick the duplicate, compare both people side by side, merge (managers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid, NotFound
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.merge import MERGE_FIELDS, person_merge
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user, person_search


def _other(request: AuthedRequest, raw: str | None) -> Person | None:
    """The person picked to merge in (``?other=`` or the form's ``other``); None: not yet."""
    if not raw:
        return None
    try:
        return person_get_for_user(user=request.user, person_id=int(raw))
    except (ValueError, NotFound) as exc:
        raise Invalid.field("other", _("No such person.")) from exc


def _picker(request: AuthedRequest, survivor: Person) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found = person_search(user=request.user, q=q, limit=20).items if q else []
    candidates = [p for p in found if p.pk != survivor.pk]
    context = {"person": survivor, "q": q, "candidates": candidates}
    return render(request, "exchange/person_merge_pick.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_merge_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the picker, or both people side by side; POST: merge the other into this person."""
    require_role(request.user, User.Role.MANAGER)
    survivor = person_get_for_user(user=request.user, person_id=pk)
    other = _other(request, request.POST.get("other") or request.GET.get("other"))
    if other is None:
        return _picker(request, survivor)
    preview = merge_preview(user=request.user, survivor=survivor, other=other)
    error = None
    if request.method == "POST":
        fields = {n: request.POST[n] for n in MERGE_FIELDS if request.POST.get(n)}
        try:
            person_merge(actor=request.user, survivor=survivor, other=other, fields=fields)
        except Invalid as exc:
            error = exc.message
        else:
            messages.success(request, _("%(name)s merged.") % {"name": preview.other.full_name})
            return redirect("people:person_detail", pk=survivor.pk)
    context = {"preview": preview, "person": survivor, "error": error}
    return render(request, "exchange/person_merge.html", context, status=422 if error else 200)
