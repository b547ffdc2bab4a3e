"""The bulk path for many interactions at once (imports, synthetic benchmarks).

The same validation as ``interaction_log``, but each batch is written with ``bulk_create`` in one
short transaction with one audit entry per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import _validate

DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True)
class InteractionRow:
    """One touch to record for ``person_id``."""

    person_id: int
    kind: str
    summary: str
    occurred_at: dt.datetime
    direction: str = Interaction.Direction.IN_PERSON
    intent: str = Interaction.Intent.NEUTRAL
    channel: str = ""
    body: str = ""
    staff_id: int | None = None


def _prepare(rows: list[InteractionRow], offset: int, actor: User | None) -> list[Interaction]:
    out = []
    for index, row in enumerate(rows, start=offset):
        interaction = Interaction(
            person_id=row.person_id,
            kind=row.kind,
            summary=row.summary,
            direction=row.direction,
            intent=row.intent,
            channel=row.channel,
            occurred_at=row.occurred_at,
            body=(row.body or "").strip(),
            staff_id=row.staff_id if row.staff_id is not None else getattr(actor, "pk", None),
            created_by=actor,
        )
        try:
            _validate(interaction)
        except Invalid as exc:
            raise Invalid(f"row {index}: {exc.message}", fields=exc.fields) from exc
        out.append(interaction)
    known = set(
        Person.objects.filter(pk__in={i.person_id for i in out}).values_list("pk", flat=True)
    )
    for index, interaction in enumerate(out, start=offset):
        if interaction.person_id not in known:
            raise Invalid(
                f"row {index}: person_id: " + _("No such person."),
                fields={"person_id": [_("No such person.")]},
            )
    return out


def interaction_bulk_log(
    *, actor: User | None, rows: Iterable[InteractionRow], batch_size: int = DEFAULT_BATCH_SIZE
) -> int:
    """Add many touches in batches (managers); returns how many were stored.

    Each batch is validated before anything of it is written; batches before a bad row stay.
    """
    require_role(actor, User.Role.MANAGER)
    it = iter(rows)
    stored = 0
    while batch := list(islice(it, max(1, batch_size))):
        interactions = _prepare(batch, stored, actor)
        with transaction.atomic():
            created = Interaction.objects.bulk_create(interactions)
            audit_record(
                actor=actor,
                action="interaction.bulk_log",
                target=created[0],
                changes={
                    "interactions": [None, len(created)],
                    "ids": [created[0].pk, created[-1].pk],
                },
            )
        stored += len(created)
    return stored
