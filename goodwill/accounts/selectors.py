"""Reads for accounts: users, tokens, the audit trail."""

from __future__ import annotations

import hashlib

from django.db.models import Q, QuerySet

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
    """A person's history (newest first); managers and owners only, empty for staff. One query:
    the entries under their id or about them (as their data page finds them), and the bulk
    entry of the import that created them, which names its people by their range of ids."""
    if not has_role(user, User.Role.MANAGER):
        return []
    entries = AuditEntry.objects.filter(audit_about_person(person_id))
    return list(entries.order_by("-at", "-id")[:limit])


# The most people one bulk entry names: an import writes at most a chunk (5,000 rows) at a time.
BULK_SPAN = 50_000


def audit_about_person(person_id: int) -> Q:
    """The audit entries under ``person_id``, about the person row itself, or written for many
    people at once with them among them (``person.bulk_create``: ``ids`` is its first and last)."""
    person = "people.person"
    bulk = Q(
        action="person.bulk_create",
        target_type=person,
        target_id__lte=person_id,
        target_id__gt=person_id - BULK_SPAN,  # a short walk of the target index, not all of it
        changes__ids__0__lte=person_id,
        changes__ids__1__gte=person_id,
    )
    return Q(person_id=person_id) | Q(target_type=person, target_id=person_id) | bulk


def user_list_active(*, actor: User | None) -> QuerySet[User]:
    """Active logins, for choosing who on staff had a touch; any active user may ask."""
    require_role(actor, User.Role.STAFF)
    return User.objects.filter(is_active=True).order_by("email")
