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
from goodwill.core.errors import Conflict, Forbidden, GoodwillError, Invalid, NotFound
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.merge import (
    MERGE_FIELDS,
    merge_pair_check,
    person_merge,
    person_merged_into,
)
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user, person_search


def _plain(exc: GoodwillError) -> str:
    """The message a person reads: the first field's message, without the field's key."""
    return next(iter(exc.fields.values()), [exc.message])[0]


def _other(request: AuthedRequest, raw: str) -> Person | None:
    """The person picked to merge in (``?other=`` or the form's ``other``); None: not here."""
    try:
        return person_get_for_user(user=request.user, person_id=int(raw))
    except (ValueError, NotFound):
        return None


def _picker(
    request: AuthedRequest, survivor: Person, error: str | None = None, status: int = 200
) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found = person_search(user=request.user, q=q, limit=20).items if q else []
    candidates = [p for p in found if p.pk != survivor.pk]
    context = {"person": survivor, "q": q, "candidates": candidates, "error": error}
    return render(request, "exchange/person_merge_pick.html", context, status=status)


def _gone(request: AuthedRequest, survivor: Person, raw: str) -> HttpResponse:
    """The other person is not here: merged into this one already (a second click), or not."""
    if raw.isdigit() and person_merged_into(int(raw)) == survivor.pk:
        message = _("The merge was done: #%(id)s is now part of this person.") % {"id": raw}
        messages.success(request, message)
        return redirect("people:person_detail", pk=survivor.pk)
    return _picker(request, survivor, _("The other person is no longer here."), status=404)


@login_required
@require_http_methods(["GET", "POST"])
def person_merge_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the picker, or both people side by side; POST: merge the other into this person."""
    require_role(request.user, User.Role.MANAGER)
    survivor = person_get_for_user(user=request.user, person_id=pk)
    raw = request.POST.get("other") or request.GET.get("other") or ""
    if not raw:
        return _picker(request, survivor)
    if (other := _other(request, raw)) is None:
        return _gone(request, survivor, raw)
    try:
        merge_pair_check(survivor, other)
    except Invalid as exc:  # themself: refused on opening the screen too, not only on merging
        return _picker(request, survivor, _plain(exc), status=exc.status)
    preview = merge_preview(user=request.user, survivor=survivor, other=other)
    error, status = None, 200
    if request.method == "POST":
        fields = {n: request.POST[n] for n in MERGE_FIELDS if request.POST.get(n)}
        try:
            person_merge(actor=request.user, survivor=survivor, other=other, fields=fields)
        except NotFound:  # merged by a click that came first, while this one waited
            return _gone(request, survivor, raw)
        except (Invalid, Conflict, Forbidden) as exc:
            error, status = _plain(exc), exc.status
        else:
            messages.success(request, _("%(name)s merged.") % {"name": preview.other.full_name})
            return redirect("people:person_detail", pk=survivor.pk)
    context = {"preview": preview, "person": survivor, "error": error}
    return render(request, "exchange/person_merge.html", context, status=status)
