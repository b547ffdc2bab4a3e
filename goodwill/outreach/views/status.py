"""The health of the background work: /healthz (JSON, no login, no secrets) and the status page
for owners and managers with the latest failed and held messages and their actions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.selectors.health import health, outbox_message_get, outbox_problems
from goodwill.outreach.services.outbox import message_cancel, message_release, message_retry

Action = Callable[..., OutboxMessage]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Outbox depth, oldest queued message, each job's runs: 200, or 503 when the database
    cannot be read."""
    try:
        facts = health()
    except DatabaseError:
        return JsonResponse({"status": "error", "error": "database unavailable"}, status=503)
    return JsonResponse(facts.as_dict())


@never_cache
@login_required
@require_GET
def status_page(request: AuthedRequest) -> HttpResponse:
    """The same facts as /healthz, plus the latest failed and held messages (owners, managers)."""
    require_role(request.user, User.Role.MANAGER)
    context = {"health": health(), "problems": outbox_problems(), "actions": True}
    return render(request, "outreach/status.html", context)


def _act(request: AuthedRequest, message_id: int, action: Action, done: str) -> HttpResponse:
    require_role(request.user, User.Role.MANAGER)
    message = action(actor=request.user, message=outbox_message_get(id=message_id))
    messages.success(request, done % {"subject": message.subject})
    return redirect("outreach:status")


@login_required
@require_POST
def message_release_view(request: AuthedRequest, message_id: int) -> HttpResponse:
    """Send a held message after all (managers)."""
    return _act(request, message_id, message_release, _("Released “%(subject)s”."))


@login_required
@require_POST
def message_retry_view(request: AuthedRequest, message_id: int) -> HttpResponse:
    """Queue a failed message again (managers)."""
    return _act(request, message_id, message_retry, _("“%(subject)s” will be tried again."))


@login_required
@require_POST
def message_cancel_view(request: AuthedRequest, message_id: int) -> HttpResponse:
    """Never send a held or failed message (managers)."""
    return _act(request, message_id, message_cancel, _("Cancelled “%(subject)s”."))
