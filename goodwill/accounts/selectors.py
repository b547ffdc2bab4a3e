"""Reads for accounts: users, tokens, the audit trail."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from goodwill.accounts.models import ApiToken, AuditEntry, User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.core.errors import NotFound


def user_list(*, actor: User | None) -> QuerySet[User]:
    """Every login, for owners."""
    require_role(actor, User.Role.OWNER)
    return User.objects.order_by("email")


def user_get_by_email(*, actor: User | None, email: str) -> User:
    """One user by email; owners (and the command line) only."""
    require_role(actor, User.Role.OWNER)
    user = User.objects.filter(email=(email or "").strip().lower()).first()
    if user is None:
        raise NotFound(f"No user with email {email}.")
    return user


def user_get(*, actor: User | None, user_id: int) -> User:
    require_role(actor, User.Role.OWNER)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    return user


def token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (hashes only; raw tokens are never stored)."""
    return ApiToken.objects.filter(user=user)


def token_list(*, actor: User | None) -> QuerySet[ApiToken]:
    """Every token of every user, for owners."""
    require_role(actor, User.Role.OWNER)
    return ApiToken.objects.select_related("user")


def token_get_by_raw(*, actor: User | None, raw: str) -> ApiToken:
    """The token whose raw value is ``raw`` (found by its SHA-256, as stored); owners only."""
    require_role(actor, User.Role.OWNER)
    digest = hashlib.sha256((raw or "").strip().encode()).hexdigest()
    token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
    if token is None:
        raise NotFound("No such token.")
    return token


def audit_list_for_person(
    *, user: User | None, person_id: int, limit: int = 50
) -> list[AuditEntry]:
    """A person's history (newest first); managers and owners only, empty for staff."""
    if not has_role(user, User.Role.MANAGER):
        return []
    return list(AuditEntry.objects.filter(person_id=person_id).order_by("-at", "-id")[:limit])


def user_list_active(*, actor: User | None) -> QuerySet[User]:
    """Active logins, for choosing who on staff had a touch; any active user may ask."""
    require_role(actor, User.Role.STAFF)
    return User.objects.filter(is_active=True).order_by("email")
