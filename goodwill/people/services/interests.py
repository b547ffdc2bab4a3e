"""Writes to interests: the shared vocabulary and what each person likes or dislikes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goodwill.accounts.audit import audit_record, diff, snapshot
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.people.models import Interest, Person, PersonInterest
from goodwill.people.normalize import interest_display, interest_key

PI_FIELDS = ["attitude", "source", "note"]
INTEREST_FIELDS = ["name", "key"]


def interest_get_or_create(*, name: str) -> Interest:
    """The one Interest for ``name`` in any spelling ("Storm-chasing" = "storm chasing")."""
    key = interest_key(name)
    if not key:
        raise Invalid.field("interest", _("Enter an interest."))
    interest, _created = Interest.objects.get_or_create(
        key=key, defaults={"name": interest_display(name)}
    )
    return interest


def interest_create(*, actor: User | None, name: str) -> Interest:
    """Add ``name`` to the shared vocabulary (staff); another spelling returns the existing one."""
    require_role(actor, User.Role.STAFF)
    key = interest_key(name)
    if not key:
        raise Invalid.field("name", _("Enter an interest."))
    with transaction.atomic():
        interest, created = Interest.objects.get_or_create(
            key=key, defaults={"name": interest_display(name)}
        )
        if created:
            audit_record(
                actor=actor,
                action="interest.create",
                target=interest,
                changes={"name": [None, interest.name]},
            )
    return interest


def _name_taken(name: str) -> Conflict:
    message = _("Another interest is already called %(name)s.") % {"name": name}
    return Conflict(message, fields={"name": [message]})


def _still_held(holders: int) -> Conflict:
    message = ngettext(
        "%(n)d person still likes or dislikes this interest.",
        "%(n)d people still like or dislike this interest.",
        holders,
    ) % {"n": holders}
    return Conflict(message)


def interest_update(*, actor: User | None, interest: Interest, name: str) -> Interest:
    """Rename an interest (managers); its key follows, and may not be another interest's key."""
    require_role(actor, User.Role.MANAGER)
    key = interest_key(name)
    if not key:
        raise Invalid.field("name", _("Enter an interest."))
    other = Interest.objects.filter(key=key).exclude(pk=interest.pk).first()
    if other is not None:
        raise _name_taken(other.name)
    before = snapshot(interest, INTEREST_FIELDS)
    interest.name, interest.key = interest_display(name), key
    changes = diff(before, snapshot(interest, INTEREST_FIELDS))
    if not changes:
        return interest
    try:
        with transaction.atomic():
            interest.save(update_fields=INTEREST_FIELDS)
            audit_record(actor=actor, action="interest.update", target=interest, changes=changes)
    except IntegrityError as exc:  # the key was taken in the meantime
        interest.name, interest.key = before["name"], before["key"]
        raise _name_taken(interest_display(name)) from exc
    return interest


def interest_delete(*, actor: User | None, interest: Interest) -> None:
    """Remove an interest from the vocabulary (managers); only once nobody holds it."""
    require_role(actor, User.Role.MANAGER)
    holders = PersonInterest.objects.filter(interest=interest).count()
    if holders:
        raise _still_held(holders)
    try:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="interest.delete",
                target=interest,
                changes={"name": [interest.name, None]},
            )
            interest.delete()
    except ProtectedError as exc:  # someone noted it in the meantime
        raise _still_held(len(exc.protected_objects)) from exc


def interest_counts_refresh(interest_ids: Iterable[int]) -> None:
    """Recount how many people like each of these interests (the specificity denominator)."""
    ids = list(set(interest_ids))
    if not ids:
        return
    counts = dict(
        PersonInterest.objects.filter(interest_id__in=ids, attitude=PersonInterest.Attitude.LIKES)
        .values_list("interest_id")
        .annotate(n=Count("id"))
        .values_list("interest_id", "n")
    )
    for interest_id in ids:
        Interest.objects.filter(pk=interest_id).update(people_count=counts.get(interest_id, 0))


def person_interest_add(
    *,
    actor: User | None,
    person: Person,
    name: str,
    attitude: str = PersonInterest.Attitude.LIKES,
    source: str,
    note: str = "",
) -> PersonInterest:
    """Record that ``person`` likes or dislikes ``name`` and how we know (updates if known)."""
    require_role(actor, User.Role.STAFF)
    if attitude not in PersonInterest.Attitude.values:
        raise Invalid.field("attitude", _("Choose likes or dislikes."))
    if source not in PersonInterest.Source.values:
        raise Invalid.field("source", _("Unknown source %(source)s.") % {"source": source})
    note = (note or "").strip()
    if len(note) > 500:
        raise Invalid.field("note", _("At most %(n)d characters.") % {"n": 500})
    with transaction.atomic():
        interest = interest_get_or_create(name=name)
        existing = PersonInterest.objects.filter(person=person, interest=interest).first()
        before = snapshot(existing, PI_FIELDS) if existing else {}
        pi = existing or PersonInterest(person=person, interest=interest)
        pi.attitude, pi.source, pi.note = attitude, source, note
        pi.noted_by, pi.noted_at = actor, timezone.now()
        pi.save()
        interest_counts_refresh([interest.pk])
        audit_record(
            actor=actor,
            action="person_interest.add" if not existing else "person_interest.update",
            target=pi,
            person_id=person.pk,
            changes={"interest": [None, interest.name]} | diff(before, snapshot(pi, PI_FIELDS)),
        )
    return pi


def person_interest_remove(*, actor: User | None, person_interest: PersonInterest) -> None:
    """Forget one interest of a person (managers)."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="person_interest.remove",
            target=person_interest,
            person_id=person_interest.person_id,
            changes={"interest": [person_interest.interest.name, None]},
        )
        interest_id = person_interest.interest_id
        person_interest.delete()
        interest_counts_refresh([interest_id])
