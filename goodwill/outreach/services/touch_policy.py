"""Changing the touch budget: the business's policy and a person's own limits (managers only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Journey
from goodwill.core.errors import Invalid
from goodwill.outreach.models_touch import PersonTouchPolicy, TouchPolicy
from goodwill.outreach.selectors.budget import LIMIT_FIELDS, touch_policy
from goodwill.people.models import Person

RANGES = {
    "short_max": (0, 50),
    "long_max": (0, 50),
    "short_days": (1, 365),
    "long_days": (1, 365),
    "min_gap_hours": (0, 336),
    "stay_in_touch_days": (1, 1095),
}
POLICY_FIELDS = [
    *LIMIT_FIELDS,
    "quiet_start",
    "quiet_end",
    "giving_before_asking",
    "stay_in_touch_days",
    "stay_in_touch_stages",
]


def _plain(policy: TouchPolicy) -> dict[str, Any]:
    values = snapshot(policy, POLICY_FIELDS)
    return {k: v.strftime("%H:%M") if isinstance(v, dt.time) else v for k, v in values.items()}


def _number(name: str, value: object) -> int:
    low, high = RANGES[name]
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or isinstance(value, bool | float) or not low <= number <= high:
        raise Invalid.field(
            name, _("A whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        )
    return number


def _clock(name: str, value: object) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = str(value).strip()
    try:
        if len(text) != 5 or text[2] != ":":
            raise ValueError(text)
        return dt.time(int(text[:2]), int(text[3:]))
    except ValueError:
        raise Invalid.field(name, _("A time of day as HH:MM, like 21:00.")) from None


def _stages(value: object) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple):
        names = []
    unknown = [str(n) for n in names if n not in Journey.Stage.values]
    if unknown or not names:
        raise Invalid.field(
            "stay_in_touch_stages",
            _("Choose among %(stages)s.") % {"stages": ", ".join(Journey.Stage.values)},
        )
    return list(dict.fromkeys(str(n) for n in names))


def _clean(name: str, value: object) -> Any:
    """``value`` for the policy field ``name``, or Invalid naming it."""
    if name in RANGES:
        return _number(name, value)
    if name in ("quiet_start", "quiet_end"):
        return _clock(name, value)
    if name == "stay_in_touch_stages":
        return _stages(value)
    if name == "giving_before_asking":
        if not isinstance(value, bool):
            raise Invalid.field(name, _("Yes or no."))
        return value
    raise Invalid.field(name, _("Not a setting of the touch policy."))


def touch_policy_update(*, actor: User | None, **fields: object) -> TouchPolicy:
    """Change the business's touch policy; every field is checked before anything is saved."""
    require_role(actor, User.Role.MANAGER)
    cleaned = {name: _clean(name, value) for name, value in fields.items()}
    policy = touch_policy()
    before = _plain(policy)
    for name, value in cleaned.items():
        setattr(policy, name, value)
    if policy.short_days > policy.long_days:
        raise Invalid.field(
            "short_days" if "short_days" in cleaned else "long_days",
            _("The short window must not be longer than the long one."),
        )
    policy.updated_by = actor
    with transaction.atomic():
        policy.save()
        audit_record(
            actor=actor,
            action="touch_policy.update",
            target=policy,
            changes=diff(before, _plain(policy)),
        )
    return policy


def person_touch_policy_set(
    *, actor: User | None, person: Person, **fields: object
) -> PersonTouchPolicy | None:
    """Set ``person``'s own limits (None or '' clears one: the business's applies); with none
    left and no note, the person simply follows the business's policy (returns None)."""
    require_role(actor, User.Role.MANAGER)
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "note":
            cleaned[name] = str(value or "").strip()[:200]
        elif name not in LIMIT_FIELDS:
            raise Invalid.field(name, _("Not one of a person's own limits."))
        else:
            cleaned[name] = None if value in (None, "") else _number(name, value)
    own = PersonTouchPolicy.objects.filter(person=person).first() or PersonTouchPolicy(
        person=person
    )
    keep = [*LIMIT_FIELDS, "note"]
    before = snapshot(own, keep) if own.pk else {}
    for name, value in cleaned.items():
        setattr(own, name, value)
    own.updated_by = actor
    with transaction.atomic():
        if all(getattr(own, n) is None for n in LIMIT_FIELDS) and not own.note:
            if own.pk:
                own.delete()
            own_left = None
        else:
            own.save()
            own_left = own
        audit_record(
            actor=actor,
            action="touch_policy.person",
            target=person,
            person_id=person.pk,
            changes=diff(before, snapshot(own, keep) if own_left else {}),
        )
    return own_left
