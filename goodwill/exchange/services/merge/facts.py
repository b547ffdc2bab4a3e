"""A merge's part in the other person's facts: emails, phones, roles, organisations, interests
and tags move to the survivor, those both have kept once."""

from __future__ import annotations

from typing import Any

from goodwill.people.models import (
    Membership,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
    PersonTag,
)
from goodwill.people.services.interests import interest_counts_refresh
from goodwill.people.services.tags import tag_counts_refresh


def contacts_move(survivor: Person, other: Person) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model, column, related in (
        (PersonEmail, "email", "emails"),
        (PersonPhone, "e164", "phones"),
    ):
        mine = set(getattr(survivor, related).values_list(column, flat=True))
        theirs = model.objects.filter(person=other)
        theirs.filter(**{f"{column}__in": mine}).delete()
        # The survivor's primary stays primary; with none, the other's primary becomes theirs.
        update: dict[str, Any] = {"person": survivor}
        if mine:
            update["is_primary"] = False
        counts[related] = theirs.update(**update)
    roles = set(survivor.roles.values_list("role", flat=True))
    PersonRole.objects.filter(person=other, role__in=roles).delete()
    counts["roles"] = PersonRole.objects.filter(person=other).update(person=survivor)
    return counts


def memberships_move(survivor: Person, other: Person) -> tuple[int, int, dict[str, list[Any]]]:
    """The other's organisations the survivor is not in move with their job titles. In one both
    are in, the survivor's membership stays: an empty title of theirs takes the other's; a
    differing title of the other's is not kept but named in the audit ("merged_job_titles").
    Returns how many memberships moved, how many titles were filled, and the audit changes."""
    mine = {m.organisation_id: m for m in Membership.objects.filter(person=survivor)}
    filled: list[str] = []
    dropped: list[str] = []
    shared = Membership.objects.filter(person=other, organisation_id__in=mine)
    for theirs in shared.select_related("organisation").order_by("organisation__name", "pk"):
        kept, title = mine[theirs.organisation_id], theirs.job_title
        label = f"{theirs.organisation.name}: {title}"
        if title and not kept.job_title:
            Membership.objects.filter(pk=kept.pk).update(job_title=title)
            filled.append(label)
        elif title and title != kept.job_title:
            dropped.append(label)
    shared.delete()
    moved = Membership.objects.filter(person=other).update(person=survivor)
    changes: dict[str, list[Any]] = {}
    if filled:
        changes["job_titles"] = [None, "; ".join(filled)]
    if dropped:
        changes["merged_job_titles"] = ["; ".join(dropped), None]
    return moved, len(filled), changes


def interests_move(survivor: Person, other: Person) -> int:
    """One row per interest: the survivor's wins, keeping the other's note if it has none."""
    mine = {pi.interest_id: pi for pi in PersonInterest.objects.filter(person=survivor)}
    touched = set(mine)
    moved = 0
    for pi in PersonInterest.objects.filter(person=other):
        touched.add(pi.interest_id)
        kept = mine.get(pi.interest_id)
        if kept is None:
            PersonInterest.objects.filter(pk=pi.pk).update(person=survivor)
            moved += 1
            continue
        if not kept.note and pi.note:
            PersonInterest.objects.filter(pk=kept.pk).update(note=pi.note)
        PersonInterest.objects.filter(pk=pi.pk).delete()
    interest_counts_refresh(touched)
    return moved


def tags_move(survivor: Person, other: Person) -> int:
    """The other's tags the survivor lacks move to the survivor (with their source); a tag both
    have keeps the survivor's link. Returns how many moved."""
    mine = set(PersonTag.objects.filter(person=survivor).values_list("tag_id", flat=True))
    theirs = PersonTag.objects.filter(person=other)
    touched = mine | set(theirs.values_list("tag_id", flat=True))
    theirs.filter(tag_id__in=mine).delete()
    moved = theirs.update(person=survivor)
    tag_counts_refresh(touched)
    return moved
