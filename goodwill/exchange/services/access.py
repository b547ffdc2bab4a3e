"""The right of access: hand a manager everything about one person, and audit that they read it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.exchange.export.access import person_access_data
from goodwill.people.models import Person


def person_access_export(*, actor: User | None, person: Person) -> dict[str, Any]:
    """Everything about ``person`` (managers and owners); audited as ``person.access_export``."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        data = person_access_data(person)
        audit_record(actor=actor, action="person.access_export", target=person, person_id=person.pk)
    return data
