"""The audit log's one write path: every service records its change here, inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from goodwill.accounts.models import AuditEntry, User


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The plain values of ``fields`` on ``obj`` (foreign keys as ids), for before/after diffs."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for each field whose value changed."""
    keys = list(before) + [k for k in after if k not in before]
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in keys
        if _plain(before.get(k)) != _plain(after.get(k))
    }


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    person_id: int | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one audit entry; ``actor=None`` is recorded as the command line unless
    ``actor_label`` names who it was (a public link's holder)."""
    label = actor.email if actor is not None else actor_label or "command line"
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:300],
        person_id=person_id,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )
