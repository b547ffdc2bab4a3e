"""Writes to occasions: adding, correcting and removing a birthday, an anniversary or a custom
date of a person, a couple or a household."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.occasions import dates
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.settings import business_today
from goodwill.people.models import FactSource, Household, Person, Relationship

FIELDS = ["kind", "month", "day", "year", "label", "lead_days", "source", "note"]
EDITABLE = {"month", "day", "year", "label", "lead_days", "source", "note"}
MAX_LEAD_DAYS = 365


def _check_owner(occasion: Occasion) -> None:
    owners = [occasion.person_id, occasion.relationship_id, occasion.household_id]
    if sum(owner is not None for owner in owners) != 1:
        raise Invalid.field("person", _("Give exactly one person, couple or household."))
    if occasion.kind == Occasion.Kind.BIRTHDAY and occasion.person_id is None:
        raise Invalid.field("kind", _("A birthday belongs to one person."))
    if occasion.kind == Occasion.Kind.WEDDING and occasion.relationship_id is None:
        raise Invalid.field("kind", _("A wedding anniversary belongs to a couple."))
    rel = occasion.relationship
    if rel is not None and rel.kind != Relationship.Kind.SPOUSE:
        raise Invalid.field(
            "relationship",
            _("%(rel)s is not a couple: only spouses or partners share an occasion.")
            % {"rel": rel},
        )


def _validate(occasion: Occasion) -> None:
    """Refuse what cannot be stored, naming the field; normalises text and derives ``md``."""
    if occasion.kind not in Occasion.Kind.values:
        raise Invalid.field("kind", _("Unknown kind %(kind)s.") % {"kind": occasion.kind})
    _check_owner(occasion)
    occasion.label = (occasion.label or "").strip()
    if len(occasion.label) > 100:
        raise Invalid.field("label", _("At most %(n)d characters.") % {"n": 100})
    if occasion.kind == Occasion.Kind.CUSTOM and not occasion.label:
        raise Invalid.field("label", _("Say what the date is (“shop opening”)."))
    dates.validate(occasion.month, occasion.day, occasion.year, today=business_today())
    lead = occasion.lead_days
    if lead is not None and (
        not isinstance(lead, int) or isinstance(lead, bool) or not 0 <= lead <= MAX_LEAD_DAYS
    ):
        raise Invalid.field(
            "lead_days", _("Give a lead time from 0 to %(n)d days.") % {"n": MAX_LEAD_DAYS}
        )
    if occasion.source not in FactSource.values:
        raise Invalid.field("source", _("Unknown source %(s)s.") % {"s": occasion.source})
    occasion.note = (occasion.note or "").strip()
    occasion.md = dates.md_of(occasion.month, occasion.day)


def _check_unique(occasion: Occasion) -> None:
    """One birthday per person, one wedding anniversary per couple (Conflict naming ``kind``)."""
    if occasion.kind == Occasion.Kind.BIRTHDAY:
        clash = Occasion.objects.filter(kind=occasion.kind, person=occasion.person)
        message = _("This person already has a birthday.")
    elif occasion.kind == Occasion.Kind.WEDDING:
        clash = Occasion.objects.filter(kind=occasion.kind, relationship=occasion.relationship)
        message = _("This couple already has a wedding anniversary.")
    else:
        return
    if clash.exclude(pk=occasion.pk).exists():
        raise Conflict(message, fields={"kind": [message]})


def audit_people(occasion: Occasion) -> list[int | None]:
    """Whose audit history an occasion's change belongs to: the person, both of a couple, or
    nobody in particular (a household)."""
    if occasion.person_id is not None:
        return [occasion.person_id]
    if occasion.relationship is not None:
        return [occasion.relationship.from_person_id, occasion.relationship.to_person_id]
    return [None]


def _audit(actor: User | None, action: str, occasion: Occasion, changes: dict[str, Any]) -> None:
    for person_id in audit_people(occasion):
        audit_record(
            actor=actor, action=action, target=occasion, person_id=person_id, changes=changes
        )


def _save(occasion: Occasion) -> None:
    try:
        with transaction.atomic():
            occasion.save()
    except IntegrityError as exc:
        message = _("This date is already recorded.")
        raise Conflict(message, fields={"kind": [message]}) from exc


def occasion_create(
    *,
    actor: User | None,
    kind: str,
    month: int,
    day: int,
    year: int | None = None,
    person: Person | None = None,
    relationship: Relationship | None = None,
    household: Household | None = None,
    label: str = "",
    lead_days: int | None = None,
    source: str = FactSource.TOLD_US,
    note: str = "",
) -> Occasion:
    """Add a yearly date to exactly one person, couple (a spouse relationship) or household: one
    birthday per person, one wedding anniversary per couple."""
    require_role(actor, User.Role.STAFF)
    occasion = Occasion(
        kind=kind,
        month=month,
        day=day,
        year=year,
        person=person,
        relationship=relationship,
        household=household,
        label=label,
        lead_days=lead_days,
        source=source,
        note=note,
        noted_by=actor,
        created_by=actor,
    )
    _validate(occasion)
    with transaction.atomic():
        _check_unique(occasion)
        _save(occasion)
        _audit(actor, "occasion.create", occasion, diff({}, snapshot(occasion, FIELDS)))
    return occasion


def occasion_update(*, actor: User | None, occasion: Occasion, **fields: object) -> Occasion:
    """Correct the date, label, lead time, source or note; the kind and the owner stay."""
    require_role(actor, User.Role.STAFF)
    unknown = [name for name in fields if name not in EDITABLE]
    if unknown:
        raise Invalid.field(unknown[0], _("This cannot be changed here."))
    before = snapshot(occasion, FIELDS)
    draft = Occasion.objects.select_related("relationship").get(pk=occasion.pk)
    for name, value in fields.items():
        setattr(draft, name, value)
    _validate(draft)
    with transaction.atomic():
        _check_unique(draft)
        _save(draft)
        changes = diff(before, snapshot(draft, FIELDS))
        if changes:
            _audit(actor, "occasion.update", draft, changes)
    for name in [*fields, "md", "updated_at"]:
        setattr(occasion, name, getattr(draft, name))
    return occasion


def occasion_delete(*, actor: User | None, occasion: Occasion) -> None:
    """Remove an occasion with its yearly memory (managers)."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        _audit(actor, "occasion.delete", occasion, {"occasion": [str(occasion), None]})
        occasion.delete()
