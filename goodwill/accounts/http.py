"""Typing for views behind ``login_required``: ``request.user`` is a real User there."""

from __future__ import annotations

from django.http import HttpRequest

from goodwill.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is authenticated (use only under ``login_required``)."""

    user: User
