"""Writes to the occasion settings (owners) and to each user's agenda preference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Forbidden, Invalid
from goodwill.occasions.models import AgendaPreference, OccasionSettings
from goodwill.occasions.selectors.settings import occasion_settings

LEAD_FIELDS = ["lead_birthday", "lead_wedding", "lead_anniversary", "lead_custom"]
SETTINGS_FIELDS = ["feb29_rule", *LEAD_FIELDS, "digest_time"]
MAX_LEAD_DAYS = 365


def _clean_lead(name: str, value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid.field(name, _("Give a number of days from 0 to 365."))
    if not 0 <= value <= MAX_LEAD_DAYS:
        raise Invalid.field(name, _("Give a number of days from 0 to 365."))
    return value


def _clean_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
        except ValueError:
            pass
    raise Invalid.field("digest_time", _("Give a time of day such as 07:30."))


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(SETTINGS_FIELDS))
    if unknown:
        raise Invalid.field(unknown[0], _("Unknown field."))
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "feb29_rule":
            if value not in OccasionSettings.Feb29.values:
                raise Invalid.field(name, _("Choose February 28 or March 1."))
            values[name] = value
        elif name == "digest_time":
            values[name] = _clean_time(value)
        else:
            values[name] = _clean_lead(name, value)
    return values


def _snapshot(row: OccasionSettings) -> dict[str, Any]:
    # The audit log stores JSON: the digest time as "HH:MM:SS".
    values = snapshot(row, SETTINGS_FIELDS)
    values["digest_time"] = row.digest_time.isoformat()
    return values


def occasion_settings_update(*, actor: User | None, **fields: Any) -> OccasionSettings:
    """Change the Feb 29 rule, the default lead times (0–365 days) or the digest time; owners
    only. A bad value raises Invalid naming its field and nothing is written."""
    require_role(actor, User.Role.OWNER)
    values = _clean(fields)
    with transaction.atomic():
        row = occasion_settings()
        before = _snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        changes = diff(before, _snapshot(row))
        if changes:
            row.save()
            audit_record(
                actor=actor, action="occasion_settings.update", target=row, changes=changes
            )
    return row


def agenda_preference_set(
    *, actor: User | None, user: User, digest_email: bool
) -> AgendaPreference:
    """Opt ``user`` in or out of the morning digest: users set their own, owners anyone's."""
    if actor is not None and actor.pk != user.pk:
        require_role(actor, User.Role.OWNER)
    if actor is not None and not actor.is_active:
        raise Forbidden(_("Your account is deactivated."))
    with transaction.atomic():
        pref, created = AgendaPreference.objects.get_or_create(user=user)
        if created or pref.digest_email != bool(digest_email):
            before = None if created else pref.digest_email
            pref.digest_email = bool(digest_email)
            pref.save()
            audit_record(
                actor=actor,
                action="agenda_preference.set",
                target=pref,
                changes={"digest_email": [before, pref.digest_email]},
            )
    return pref
