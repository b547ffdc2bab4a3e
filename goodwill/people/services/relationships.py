"""Writes to relationships between two people (stored once, shown on both pages)."""

from __future__ import annotations

import datetime as dt
from types import EllipsisType

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.people.models import Person, Relationship

# Kinds a user may pick that are stored as the reverse of a canonical kind.
REVERSED_KINDS = {"child": Relationship.Kind.PARENT, "referred": Relationship.Kind.REFERRED_BY}
KIND_CHOICES = [
    *Relationship.Kind.values[:2],
    "child",
    *Relationship.Kind.values[2:6],
    "referred",
    "custom",
]
REL_FIELDS = ["kind", "custom_label", "since", "notes"]


SYMMETRIC_KINDS = {
    Relationship.Kind.SPOUSE,
    Relationship.Kind.SIBLING,
    Relationship.Kind.FRIEND,
    Relationship.Kind.COLLEAGUE,
}


def _normalise(person: Person, other: Person, kind: str) -> tuple[Person, Person, str]:
    """One stored form per tie: reversed kinds flipped, symmetric ones with the lower id first,
    so "Ann is Jack's spouse" and "Jack is Ann's spouse" are the same row."""
    if kind in REVERSED_KINDS:
        return other, person, REVERSED_KINDS[kind]
    if kind not in Relationship.Kind.values:
        raise Invalid.field("kind", _("Unknown relationship kind %(kind)s.") % {"kind": kind})
    if kind in SYMMETRIC_KINDS and other.pk < person.pk:
        return other, person, kind
    return person, other, kind


def relationship_create(
    *,
    actor: User | None,
    person: Person,
    other: Person,
    kind: str,
    custom_label: str = "",
    since: dt.date | None = None,
    notes: str = "",
) -> Relationship:
    """``person`` is the ``kind`` of ``other`` ("Jack is Ann's spouse"); never oneself."""
    require_role(actor, User.Role.STAFF)
    if person.pk == other.pk:
        raise Invalid.field("other_id", _("A person cannot be related to themselves."))
    custom_label = (custom_label or "").strip()[:60]
    if kind == Relationship.Kind.CUSTOM and not custom_label:
        raise Invalid.field("custom_label", _("Give the relationship a label."))
    if kind != Relationship.Kind.CUSTOM:
        custom_label = ""
    from_p, to_p, kind = _normalise(person, other, kind)
    rel = Relationship(
        from_person=from_p,
        to_person=to_p,
        kind=kind,
        custom_label=custom_label,
        since=since,
        notes=(notes or "").strip(),
    )
    try:
        with transaction.atomic():
            rel.save()
            for pid in (from_p.pk, to_p.pk):
                audit_record(
                    actor=actor,
                    action="relationship.create",
                    target=rel,
                    person_id=pid,
                    changes={"relationship": [None, str(rel)]},
                )
    except IntegrityError as exc:
        raise Conflict(_("These two people already have this relationship.")) from exc
    return rel


def relationship_update(
    *,
    actor: User | None,
    relationship: Relationship,
    since: dt.date | EllipsisType | None = ...,
    notes: str | None = None,
    custom_label: str | None = None,
) -> Relationship:
    """Change what is given of the since-date (None clears it), notes or custom label."""
    require_role(actor, User.Role.STAFF)
    label = (custom_label or "").strip()[:60]
    is_custom = relationship.kind == Relationship.Kind.CUSTOM
    if custom_label is not None and is_custom and not label:
        raise Invalid.field("custom_label", _("Give the relationship a label."))
    before = snapshot(relationship, REL_FIELDS)
    if not isinstance(since, EllipsisType):
        relationship.since = since
    if notes is not None:
        relationship.notes = notes.strip()
    if custom_label is not None and is_custom:
        relationship.custom_label = label
    try:
        with transaction.atomic():
            relationship.save()
            changes = diff(before, snapshot(relationship, REL_FIELDS))
            for pid in (relationship.from_person_id, relationship.to_person_id):
                audit_record(
                    actor=actor,
                    action="relationship.update",
                    target=relationship,
                    person_id=pid,
                    changes=changes,
                )
    except IntegrityError as exc:
        raise Invalid.field(
            "custom_label", _("These two people already have a relationship with this label.")
        ) from exc
    return relationship


def relationship_delete(*, actor: User | None, relationship: Relationship) -> None:
    """Remove a relationship from both people's pages (managers: staff add, managers remove)."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        for pid in (relationship.from_person_id, relationship.to_person_id):
            audit_record(
                actor=actor,
                action="relationship.delete",
                target=relationship,
                person_id=pid,
                changes={"relationship": [str(relationship), None]},
            )
        relationship.delete()
