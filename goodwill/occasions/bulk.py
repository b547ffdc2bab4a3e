"""The bulk path for many occasions at once (imports, synthetic benchmarks).

Each batch is checked row by row (kind, owner, a date that exists, lead time) and then written
as plain rows (``bulk_sql.insert_rows``) in one short transaction with one audit entry per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

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
from goodwill.people.services.bulk_sql import allocate_ids, insert_rows
from goodwill.people.services.person_input import clean_source

DEFAULT_BATCH_SIZE = 5000
KINDS = frozenset(Occasion.Kind.values)
FIELDS = (
    "id",
    "kind",
    "label",
    "person_id",
    "relationship_id",
    "household_id",
    "month",
    "day",
    "year",
    "md",
    "lead_days",
    "source",
    "noted_by_id",
    "created_by_id",
    "note",
)


@dataclass  # not frozen: cheaper to build, a million at a time
class OccasionRow:
    """One yearly date for a person (or a couple's relationship, or a household). Read, never
    changed (``dataclasses.replace`` makes another)."""

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
    note: str = ""


def _check(row: OccasionRow, today: dt.date) -> None:
    if row.kind not in KINDS:
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
    clean_source(row.source)


def _prepare(rows: list[OccasionRow], offset: int) -> None:
    """Check every row of the batch; Invalid names the first bad row and field."""
    today = timezone.now().date()
    for index, row in enumerate(rows, start=offset):
        try:
            _check(row, today)
        except Invalid as exc:
            raise Invalid(f"row {index}: {exc.message}", fields=exc.fields) from exc
    _check_owners(rows, offset)
    _check_once(rows, offset)


def _values(rows: list[OccasionRow], ids: list[int], actor: User | None) -> list[tuple[Any, ...]]:
    """The batch's rows in ``FIELDS`` order."""
    actor_id = actor.pk if actor is not None else None
    return [
        (
            pk,
            row.kind,
            row.label.strip()[:100],
            row.person_id,
            row.relationship_id,
            row.household_id,
            row.month,
            row.day,
            row.year,
            dates.md_of(row.month, row.day),
            row.lead_days,
            row.source,
            actor_id,
            actor_id,
            row.note,
        )
        for pk, row in zip(ids, rows, strict=True)
    ]


def _fail(index: int, field: str, message: str) -> Invalid:
    return Invalid(f"row {index}: {field}: {message}", fields={field: [message]})


def _check_owners(rows: list[OccasionRow], offset: int) -> None:
    """Every person and household named exists and every relationship is a couple (spouse /
    partner): three queries."""
    wanted = {row.relationship_id for row in rows if row.relationship_id is not None}
    kinds = dict(Relationship.objects.filter(pk__in=wanted).values_list("id", "kind"))
    people = _existing_people({r.person_id for r in rows if r.person_id is not None})
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


def _among(path: str, wanted: set[int]) -> Q:
    """Rows whose ``path`` is one of ``wanted``: an id range when they are (nearly) contiguous,
    as an import's new people are, is far cheaper to send than thousands of parameters (the
    caller drops the others the range takes in)."""
    if not wanted:
        return Q(pk__in=[])
    low, high = min(wanted), max(wanted)
    if high - low < 2 * len(wanted):
        return Q(**{f"{path}__gte": low, f"{path}__lte": high})
    return Q(**{f"{path}__in": wanted})


def _existing_people(wanted: set[int]) -> set[int]:
    """Which of ``wanted`` are people."""
    return wanted & set(Person.objects.filter(_among("pk", wanted)).values_list("pk", flat=True))


def _check_once(rows: list[OccasionRow], offset: int) -> None:
    """One birthday per person and one wedding anniversary per couple, counting those stored."""
    births = {
        r.person_id for r in rows if r.kind == Occasion.Kind.BIRTHDAY and r.person_id is not None
    }
    weddings = {r.relationship_id for r in rows if r.kind == Occasion.Kind.WEDDING}
    stored = Occasion.objects.filter(
        (Q(kind=Occasion.Kind.BIRTHDAY) & _among("person_id", births))
        | Q(kind=Occasion.Kind.WEDDING, relationship_id__in=weddings)
    )
    seen: set[tuple[str, int | None]] = {
        (kind, p or r)
        for kind, p, r in stored.values_list("kind", "person", "relationship")
        if (p in births if kind == Occasion.Kind.BIRTHDAY else r in weddings)
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
        _prepare(batch, stored)
        try:
            with transaction.atomic():
                ids = allocate_ids(Occasion, len(batch))
                insert_rows(Occasion, FIELDS, _values(batch, ids, actor))
                first = batch[0]
                audit_record(
                    actor=actor,
                    action="occasion.bulk_create",
                    target=Occasion(
                        pk=ids[0],
                        kind=first.kind,
                        label=first.label.strip()[:100],
                        month=first.month,
                        day=first.day,
                        year=first.year,
                    ),
                    changes={"occasions": [None, len(batch)]},
                )
        except IntegrityError as exc:
            # A person or couple that does not exist (or was just deleted, or given a birthday
            # by someone else meanwhile).
            raise Invalid(
                _("rows %(a)d–%(b)d: a person, couple or household is not there (any more).")
                % {"a": stored, "b": stored + len(batch) - 1},
                fields={"rows": [_("Nothing of this batch was stored.")]},
            ) from exc
        stored += len(batch)
    return stored
