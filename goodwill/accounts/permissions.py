"""Who may do what. ``actor=None`` is the operator at the server's command line (full rights)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.core.errors import Forbidden

RANK = {User.Role.STAFF: 1, User.Role.MANAGER: 2, User.Role.OWNER: 3}


def has_role(actor: User | None, minimum: str) -> bool:
    """True for the command-line operator, or an active user of at least ``minimum``."""
    if actor is None:
        return True
    if not actor.is_active:
        return False
    return RANK.get(User.Role(actor.role), 0) >= RANK[User.Role(minimum)]


def require_role(actor: User | None, minimum: str) -> None:
    """Raise Forbidden unless ``has_role``; call before anything is changed."""
    if not has_role(actor, minimum):
        raise Forbidden(_("Your role does not allow this."))
