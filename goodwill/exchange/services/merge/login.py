"""A merge's part in the two people's logins: a person has one, and only an owner may move it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role
from goodwill.core.errors import Conflict, Forbidden
from goodwill.people.models import Person

LOGINS_BOTH = _lazy(
    "Both have a login (%(mine)s for %(keep)s, %(theirs)s for %(drop)s) and a person has only "
    "one: an owner must unlink one of them before they are merged."
)

LOGIN_OWNERS_ONLY = _lazy(
    "The login %(theirs)s of %(drop)s would move to %(keep)s, and only an owner may link a "
    "login: an owner must do this merge, or unlink the login first."
)


@dataclass(frozen=True)
class LoginPlan:
    """What a merge does with the two people's logins (their emails): ``outcome`` is "none",
    "kept" (the survivor's), "moves" (the other's, to the survivor) or "refused"; ``message``
    says it in words."""

    survivor: str | None
    other: str | None
    outcome: str
    message: str


def merge_login_plan(actor: User | None, survivor: Person, other: Person) -> LoginPlan:
    """Refused when both have a login (a person has one), or when only the other has one and
    ``actor`` is no owner (moving a login links it: owners only)."""
    mine = survivor.user.email if survivor.user_id is not None and survivor.user else None
    theirs = other.user.email if other.user_id is not None and other.user else None
    names = {"mine": mine, "theirs": theirs, "keep": survivor.full_name, "drop": other.full_name}
    if mine and theirs:
        outcome, text = "refused", str(LOGINS_BOTH)
    elif theirs and not has_role(actor, User.Role.OWNER):
        outcome, text = "refused", str(LOGIN_OWNERS_ONLY)
    elif theirs:
        outcome, text = "moves", _("The login %(theirs)s moves to %(keep)s.")
    elif mine:
        outcome, text = "kept", _("%(keep)s keeps the login %(mine)s.")
    else:
        outcome, text = "none", _("Neither has a login.")
    return LoginPlan(mine, theirs, outcome, text % names)


def login_move(actor: User | None, survivor: Person, other: Person) -> dict[str, list[Any]]:
    """The other's login moves to the survivor (owners), refused as ``merge_login_plan`` says;
    the audit change naming the login moved."""
    plan = merge_login_plan(actor, survivor, other)
    if plan.outcome == "refused":
        raise (Conflict if plan.survivor else Forbidden)(plan.message)
    if plan.outcome != "moves":
        return {}
    user_id = other.user_id
    Person.objects.filter(pk=other.pk).update(user=None)
    survivor.user_id = user_id
    return {"login": [None, plan.other]}
