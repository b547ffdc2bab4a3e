"""Writes to households: people who live together, with a shared address."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.people.models import Household, Person

HOUSEHOLD_FIELDS = ["name", "street", "locality", "region", "postal_code", "country", "notes"]
MOVES = 900  # people looked up by one query (within SQLite's 999 parameters)


@dataclass(frozen=True, slots=True)
class HouseholdJoin:
    """People (ids) who move into one household: the stored one ``household`` (an id), else the
    one of UID ``uid``, made with ``values`` (``household_create``'s fields) if there is none."""

    people: Sequence[int]
    household: int | None = None
    uid: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)


def _apply(household: Household, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key not in HOUSEHOLD_FIELDS:
            raise Invalid.field(key, _("Unknown field."))
        setattr(household, key, "" if value is None else str(value).strip())
    household.country = household.country.upper()
    if household.country and (len(household.country) != 2 or not household.country.isalpha()):
        raise Invalid.field("country", _("Use a two-letter country code such as CA."))
    if not household.name:
        raise Invalid.field("name", _("This field is required."))
    if len(household.name) > 200:
        raise Invalid.field("name", _("At most %(n)d characters.") % {"n": 200})


def household_create(
    *, actor: User | None, member_ids: list[int] | None = None, **fields: Any
) -> Household:
    """Add a household, optionally moving people into it."""
    require_role(actor, User.Role.STAFF)
    household = Household()
    _apply(household, fields)
    members = list(Person.objects.filter(pk__in=member_ids or [], archived_at=None))
    missing = sorted(set(member_ids or []) - {p.pk for p in members})
    if missing:
        raise Invalid.field("member_ids", _("No such person: %(ids)s.") % {"ids": missing})
    with transaction.atomic():
        household.save()
        audit_record(
            actor=actor,
            action="household.create",
            target=household,
            changes={k: [None, v] for k, v in snapshot(household, HOUSEHOLD_FIELDS).items() if v},
        )
        for person in members:
            household_add_member(actor=actor, household=household, person=person)
    return household


def household_update(*, actor: User | None, household: Household, **fields: Any) -> Household:
    """Edit a household's name, shared address or notes."""
    require_role(actor, User.Role.STAFF)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    _apply(household, fields)
    with transaction.atomic():
        household.save()
        audit_record(
            actor=actor,
            action="household.update",
            target=household,
            changes=diff(before, snapshot(household, HOUSEHOLD_FIELDS)),
        )
    return household


def household_delete(*, actor: User | None, household: Household) -> None:
    """Dissolve a household (managers); its people stay."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        for person in household.members.all():
            household_remove_member(actor=actor, person=person)
        audit_record(
            actor=actor,
            action="household.delete",
            target=household,
            changes={"name": [household.name, None]},
        )
        household.delete()


def household_add_member(*, actor: User | None, household: Household, person: Person) -> Person:
    """Move ``person`` into ``household`` (a person lives in at most one)."""
    require_role(actor, User.Role.STAFF)
    before = person.household_id
    with transaction.atomic():
        person.household = household
        person.save(update_fields=["household", "updated_at"])
        audit_record(
            actor=actor,
            action="household.add_member",
            target=household,
            person_id=person.pk,
            changes={"household_id": [before, household.pk]},
        )
    return person


def household_remove_member(*, actor: User | None, person: Person) -> Person:
    """Take ``person`` out of their household (managers)."""
    require_role(actor, User.Role.MANAGER)
    if person.household_id is None:
        return person
    household = Household.objects.get(pk=person.household_id)
    with transaction.atomic():
        person.household = None
        person.save(update_fields=["household", "updated_at"])
        audit_record(
            actor=actor,
            action="household.remove_member",
            target=household,
            person_id=person.pk,
            changes={"household_id": [household.pk, None]},
        )
    return person


def _households_made(joins: Sequence[HouseholdJoin]) -> tuple[dict[str, int], int]:
    """The id of each UID's household, made (checked as ``household_create`` checks its
    fields) where none is stored; and how many were made."""
    uids = {join.uid for join in joins if join.household is None}
    stored = dict(Household.objects.filter(uid__in=uids).values_list("uid", "id"))
    new: dict[str, Household] = {}
    for join in joins:
        if join.household is None and join.uid not in stored and join.uid not in new:
            household = Household(uid=join.uid)
            _apply(household, dict(join.values))
            new[join.uid] = household
    if not new:
        return stored, 0
    # Another import may make the same UID's household meanwhile: then it is the one joined.
    Household.objects.bulk_create(list(new.values()), ignore_conflicts=True)
    made = dict(Household.objects.filter(uid__in=list(new)).values_list("uid", "id"))
    return stored | made, len(new)


def _move(moves: dict[int, int]) -> int:
    """Move each person (id) into their household (id) unless they live in one already, in one
    ``executemany`` (a CASE a batch takes Django longer to build than the database to run);
    returns how many moved."""
    free: list[int] = []
    ids = sorted(moves)
    for start in range(0, len(ids), MOVES):
        part = ids[start : start + MOVES]
        free += Person.objects.filter(pk__in=part, household=None).values_list("id", flat=True)
    if not free:
        return 0
    now = Person._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"UPDATE {table} SET household_id = %s, updated_at = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(f"{sql} AND household_id IS NULL", [(moves[pk], now, pk) for pk in free])
    return len(free)


def household_bulk_join(
    *, actor: User | None, joins: Sequence[HouseholdJoin], audit_target: models.Model | None = None
) -> tuple[int, int]:
    """Move many people into their households at once (an import's), making the households of
    UIDs not stored yet, in one transaction with one ``household.bulk_join`` audit entry that
    counts the households made and the people moved, on ``audit_target`` (the import; else the
    first household). Nobody who lives in a household already
    is moved, and no household's name, address or notes change. Returns (households made,
    people moved).
    """
    require_role(actor, User.Role.STAFF)
    with transaction.atomic():
        homes, made = _households_made(joins)
        moves: dict[int, int] = {}
        for join in joins:
            home = join.household if join.household is not None else homes[join.uid]
            for pk in join.people:
                moves.setdefault(pk, home)
        moved = _move(moves)
        if made or moved:
            first = next(iter(moves.values()), None) or next(iter(homes.values()))
            target = audit_target or Household.objects.only("id", "name").get(pk=first)
            audit_record(
                actor=actor,
                action="household.bulk_join",
                target=target,
                changes={"households": [None, made], "members": [None, moved]},
            )
    return made, moved
