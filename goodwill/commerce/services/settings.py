"""The business's journey and follow-up rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import CommerceSettings
from goodwill.commerce.services.journey_all import journey_recompute_all
from goodwill.core.errors import Invalid

LIMITS = {
    "regular_purchases": (2, 365),
    "followup_days_stay": (0, 60),
    "followup_days_in_store": (0, 60),
    "followup_days_online": (0, 60),
    "followup_days_phone": (0, 60),
    "followup_days_walk_in": (0, 60),
}


def _clean(name: str, value: Any) -> int:
    if name not in LIMITS:
        raise Invalid.field(name, _("Unknown setting."))
    low, high = LIMITS[name]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid.field(name, _("A whole number, please.")) from None
    if not low <= number <= high:
        raise Invalid.field(name, _("Between %(low)d and %(high)d.") % {"low": low, "high": high})
    return number


def commerce_settings_update(*, actor: User | None, **fields: Any) -> CommerceSettings:
    """Change the journey and follow-up rules (owners and managers); a new "regular" threshold
    recomputes every stage. Later follow-up delays apply to purchases logged from now on."""
    require_role(actor, User.Role.MANAGER)
    values = {name: _clean(name, value) for name, value in fields.items()}
    with transaction.atomic():
        row, _created = CommerceSettings.objects.select_for_update().get_or_create(pk=1)
        changes = {
            name: [getattr(row, name), value]
            for name, value in values.items()
            if getattr(row, name) != value
        }
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        if changes:
            audit_record(actor=actor, action="commerce.settings", target=row, changes=changes)
    if "regular_purchases" in changes:
        journey_recompute_all()
    return row
