"""Settings page “Occasions and agenda”: the business's rules (owners), each user's morning
digest opt-in and their secret calendar feed URL (shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.core.web import add_form_errors
from goodwill.occasions.forms_settings import AgendaPreferenceForm, OccasionSettingsForm
from goodwill.occasions.selectors.feed import agenda_preference_for, calendar_feed_for, feed_url
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.occasions.services.feeds import calendar_feed_create, calendar_feed_revoke
from goodwill.occasions.services.settings import (
    SETTINGS_FIELDS,
    agenda_preference_set,
    occasion_settings_update,
)


def _page(request: AuthedRequest, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "digest_form": AgendaPreferenceForm(
            initial={"digest_email": agenda_preference_for(user=user)}
        ),
        "feed": calendar_feed_for(user=user),
    }
    if user.is_owner and "rules_form" not in extra:
        row = occasion_settings()
        initial = {name: getattr(row, name) for name in SETTINGS_FIELDS}
        context["rules_form"] = OccasionSettingsForm(initial=initial)
    context.update(extra)
    return render(request, "occasions/settings.html", context, status=status)


@login_required
@require_GET
def occasion_settings_page(request: AuthedRequest) -> HttpResponse:
    """The page: rules (owners edit them), my digest opt-in, my calendar feed."""
    return _page(request)


@login_required
@require_POST
def occasion_settings_edit(request: AuthedRequest) -> HttpResponse:
    """Owners change the Feb 29 rule, default lead times and the digest time."""
    require_role(request.user, User.Role.OWNER)
    form = OccasionSettingsForm(request.POST)
    if form.is_valid():
        try:
            occasion_settings_update(actor=request.user, **form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Occasion settings saved."))
            return redirect("occasions:settings")
    return _page(request, status=422, rules_form=form)


@login_required
@require_POST
def digest_set(request: AuthedRequest) -> HttpResponse:
    """Opt in or out of the morning digest email (for oneself)."""
    form = AgendaPreferenceForm(request.POST)
    form.is_valid()  # a checkbox: absent means off, never invalid
    wanted = bool(form.cleaned_data.get("digest_email"))
    agenda_preference_set(actor=request.user, user=request.user, digest_email=wanted)
    if wanted:
        messages.success(request, _("You will get your agenda by email every morning."))
    else:
        messages.success(request, _("No morning agenda email for you."))
    return redirect("occasions:settings")


@never_cache
@login_required
@require_POST
def feed_create(request: AuthedRequest) -> HttpResponse:
    """Create or regenerate my calendar feed; its secret URL is shown this once."""
    feed, raw = calendar_feed_create(actor=request.user, user=request.user)
    return _page(request, status=201, feed=feed, feed_url=feed_url(raw))


@login_required
@require_POST
def feed_revoke(request: AuthedRequest) -> HttpResponse:
    """Revoke my calendar feed: its URL stops working at once."""
    calendar_feed_revoke(actor=request.user, user=request.user)
    messages.success(request, _("Calendar feed revoked."))
    return redirect("occasions:settings")
