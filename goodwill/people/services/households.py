"""Writes to households: people who live together, with a shared address."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.people.models import Household, Person

HOUSEHOLD_FIELDS = ["name", "street", "locality", "region", "postal_code", "country", "notes"]


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
