"""Settings pages: the business profile, users and roles (owners), API tokens (everyone)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from goodwill.accounts import selectors, services
from goodwill.accounts.forms import BusinessForm, TokenCreateForm, UserCreateForm, UserUpdateForm
from goodwill.accounts.http import AuthedRequest
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.core.web import add_form_errors


@login_required
def settings_index(request: AuthedRequest) -> HttpResponse:
    """The settings menu; owners see the business and user pages too."""
    return render(request, "accounts/settings.html", {})


@login_required
def business_edit(request: AuthedRequest) -> HttpResponse:
    """Owners edit the business name, address, contacts, time zone, phone region and currency."""
    require_role(request.user, User.Role.OWNER)
    business = services.business_get()
    initial = {name: getattr(business, name) for name in services.BUSINESS_FIELDS}
    form = BusinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_update(actor=request.user, **form.cleaned_data)
        except Invalid as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Business profile saved."))
            return redirect("accounts:business_edit")
    status = 422 if form.errors else 200
    return render(request, "accounts/business_form.html", {"form": form}, status=status)


def _users_page(request: AuthedRequest, status: int = 200, **extra: Any) -> HttpResponse:
    users = selectors.user_list(actor=request.user)
    context = {"users": users, "form": UserCreateForm(), "roles": User.Role.choices, **extra}
    return render(request, "accounts/user_list.html", context, status=status)


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    """Every login with its role (owners)."""
    return _users_page(request)


@never_cache
@login_required
@require_POST
def user_create(request: AuthedRequest) -> HttpResponse:
    """Create a login with a role; its generated password is shown once."""
    require_role(request.user, User.Role.OWNER)
    form = UserCreateForm(request.POST)
    if form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, **form.cleaned_data)
        except (Invalid, Conflict) as exc:
            add_form_errors(form, exc)
            return _users_page(request, status=exc.status, form=form)
        return _users_page(request, status=201, created=user, password=password)
    return _users_page(request, status=422, form=form)


@login_required
@require_POST
def user_update(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Change a user's role, or deactivate / reactivate them (owners)."""
    user = selectors.user_get(actor=request.user, user_id=user_id)
    form = UserUpdateForm(request.POST)
    if not form.is_valid():
        return _users_page(request, status=422, error=_("Choose a role."))
    try:
        services.user_update(actor=request.user, user=user, **form.cleaned_data)
    except (Invalid, Conflict) as exc:
        return _users_page(request, status=exc.status, error=exc.message)
    messages.success(request, _("Saved %(email)s.") % {"email": user.email})
    return redirect("accounts:user_list")


def _tokens_page(request: AuthedRequest, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    if user.is_owner:
        tokens = selectors.token_list(actor=user)
    else:
        tokens = selectors.token_list_for_user(user=user)
    context = {"tokens": tokens, "form": TokenCreateForm(), **extra}
    return render(request, "accounts/token_list.html", context, status=status)


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    """Your API tokens (owners: everyone's)."""
    return _tokens_page(request)


@never_cache
@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    """Issue a token for yourself; the raw token is shown this once."""
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, status=422, form=form)
    try:
        token, raw = services.token_create(
            actor=request.user, user=request.user, name=form.cleaned_data["name"]
        )
    except Invalid as exc:
        add_form_errors(form, exc)
        return _tokens_page(request, status=exc.status, form=form)
    return _tokens_page(request, status=201, created=token, raw=raw)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Revoke one of your tokens (owners: anyone's); it never works again."""
    token = services.token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("accounts:token_list")
