"""The bulk path for many occasions at once (imports, synthetic benchmarks).

Each batch is checked row by row (kind, owner, a date that exists, lead time) and then written
with ``bulk_create`` in one short transaction with one audit entry per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.occasions import dates
from goodwill.occasions.models import Occasion
from goodwill.people.models import FactSource, Household, Person, Relationship

DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True)
class OccasionRow:
    """One yearly date for a person (or a couple's relationship, or a household)."""

    kind: str
    month: int
    day: int
    year: int | None = None
    person_id: int | None = None
    relationship_id: int | None = None
    household_id: int | None = None
    label: str = ""
    lead_days: int | None = None
    source: str = FactSource.IMPORTED


def _check(row: OccasionRow, today: dt.date) -> None:
    if row.kind not in Occasion.Kind.values:
        raise Invalid.field("kind", _("Unknown kind %(kind)s.") % {"kind": row.kind})
    owners = [row.person_id, row.relationship_id, row.household_id]
    if sum(owner is not None for owner in owners) != 1:
        raise Invalid.field("person_id", _("Give one person, couple or household."))
    if row.kind == Occasion.Kind.BIRTHDAY and row.person_id is None:
        raise Invalid.field("person_id", _("A birthday belongs to a person."))
    if row.kind == Occasion.Kind.WEDDING and row.relationship_id is None:
        raise Invalid.field("relationship_id", _("A wedding anniversary belongs to a couple."))
    if row.kind == Occasion.Kind.CUSTOM and not row.label.strip():
        raise Invalid.field("label", _("Say what the date is."))
    dates.validate(row.month, row.day, row.year, today=today)
    if row.lead_days is not None and not 0 <= row.lead_days <= 365:
        raise Invalid.field("lead_days", _("Give a lead time from 0 to 365 days."))
    if row.source not in FactSource.values:
        raise Invalid.field("source", _("Unknown source %(s)s.") % {"s": row.source})


def _prepare(rows: list[OccasionRow], offset: int, actor: User | None) -> list[Occasion]:
    today = timezone.now().date()
    out = []
    for index, row in enumerate(rows, start=offset):
        try:
            _check(row, today)
        except Invalid as exc:
            raise Invalid(f"row {index}: {exc.message}", fields=exc.fields) from exc
        out.append(
            Occasion(
                kind=row.kind,
                label=row.label.strip()[:100],
                person_id=row.person_id,
                relationship_id=row.relationship_id,
                household_id=row.household_id,
                month=row.month,
                day=row.day,
                year=row.year,
                md=dates.md_of(row.month, row.day),
                lead_days=row.lead_days,
                source=row.source,
                noted_by=actor,
                created_by=actor,
            )
        )
    _check_owners(rows, offset)
    _check_once(rows, offset)
    return out


def _fail(index: int, field: str, message: str) -> Invalid:
    return Invalid(f"row {index}: {field}: {message}", fields={field: [message]})


def _check_owners(rows: list[OccasionRow], offset: int) -> None:
    """Every person and household named exists and every relationship is a couple (spouse /
    partner): three queries."""
    wanted = {row.relationship_id for row in rows if row.relationship_id is not None}
    kinds = dict(Relationship.objects.filter(pk__in=wanted).values_list("id", "kind"))
    people = set(
        Person.objects.filter(pk__in={r.person_id for r in rows}).values_list("pk", flat=True)
    )
    homes = {r.household_id for r in rows if r.household_id is not None}
    households = set(Household.objects.filter(pk__in=homes).values_list("pk", flat=True))
    for index, row in enumerate(rows, start=offset):
        if row.person_id is not None and row.person_id not in people:
            raise _fail(index, "person_id", _("No such person."))
        if row.household_id is not None and row.household_id not in households:
            raise _fail(index, "household_id", _("No such household."))
        if row.relationship_id is None:
            continue
        if row.relationship_id not in kinds:
            raise _fail(index, "relationship_id", _("No such couple."))
        if kinds[row.relationship_id] != Relationship.Kind.SPOUSE:
            message = _("Only a couple (spouse / partner) has an occasion together.")
            raise _fail(index, "relationship_id", message)


def _check_once(rows: list[OccasionRow], offset: int) -> None:
    """One birthday per person and one wedding anniversary per couple, counting those stored."""
    births = {r.person_id for r in rows if r.kind == Occasion.Kind.BIRTHDAY}
    weddings = {r.relationship_id for r in rows if r.kind == Occasion.Kind.WEDDING}
    stored = Occasion.objects.filter(
        Q(kind=Occasion.Kind.BIRTHDAY, person_id__in=births)
        | Q(kind=Occasion.Kind.WEDDING, relationship_id__in=weddings)
    )
    seen: set[tuple[str, int | None]] = {
        (kind, p or r) for kind, p, r in stored.values_list("kind", "person", "relationship")
    }
    for index, row in enumerate(rows, start=offset):
        if row.kind not in (Occasion.Kind.BIRTHDAY, Occasion.Kind.WEDDING):
            continue
        key = (row.kind, row.person_id or row.relationship_id)
        if key in seen:
            message = (
                _("This person already has a birthday.")
                if row.kind == Occasion.Kind.BIRTHDAY
                else _("This couple already has a wedding anniversary.")
            )
            raise _fail(index, "kind", message)
        seen.add(key)


def occasion_bulk_create(
    *, actor: User | None, rows: Iterable[OccasionRow], batch_size: int = DEFAULT_BATCH_SIZE
) -> int:
    """Add many occasions in batches (managers); returns how many were stored.

    A batch is checked before any of it is written; batches before a bad row stay.
    """
    require_role(actor, User.Role.MANAGER)
    it = iter(rows)
    stored = 0
    while batch := list(islice(it, max(1, batch_size))):
        occasions = _prepare(batch, stored, actor)
        try:
            with transaction.atomic():
                created = Occasion.objects.bulk_create(occasions)
                audit_record(
                    actor=actor,
                    action="occasion.bulk_create",
                    target=created[0],
                    changes={"occasions": [None, len(created)]},
                )
        except IntegrityError as exc:
            # A person or couple that does not exist (or was just deleted, or given a birthday
            # by someone else meanwhile).
            raise Invalid(
                _("rows %(a)d–%(b)d: a person, couple or household is not there (any more).")
                % {"a": stored, "b": stored + len(batch) - 1},
                fields={"rows": [_("Nothing of this batch was stored.")]},
            ) from exc
        stored += len(created)
    return stored
