"""The relationships of a person being merged away: re-pointed to the survivor, a tie both
people have with the same person kept once, and its wedding anniversary with it (the
survivor's date, or the other's when the manager takes it: ``fields.wedding``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from goodwill.exchange.services.merge.occasions import OccasionPair, occasion_fold
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person, Relationship
from goodwill.people.services.relationships import SYMMETRIC_KINDS

WEDDING = "wedding"  # the merge field: whose wedding date a tie both people have keeps


def ties_of(person: Person) -> QuerySet[Relationship]:
    return Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).order_by("pk")


def _ends(rel: Relationship, survivor: Person, other: Person) -> tuple[int, int]:
    """Whom ``rel`` (a tie of ``other``) links once ``other`` is ``survivor``."""
    from_id = survivor.pk if rel.from_person_id == other.pk else rel.from_person_id
    to_id = survivor.pk if rel.to_person_id == other.pk else rel.to_person_id
    if rel.kind in SYMMETRIC_KINDS and to_id < from_id:
        from_id, to_id = to_id, from_id
    return from_id, to_id


def _twin(rel: Relationship, ends: tuple[int, int]) -> Relationship | None:
    """The survivor's tie that ``rel`` would duplicate."""
    twins = Relationship.objects.filter(
        from_person_id=ends[0], to_person_id=ends[1], kind=rel.kind, custom_label=rel.custom_label
    )
    return twins.exclude(pk=rel.pk).order_by("pk").first()


def duplicate_ties(survivor: Person, other: Person) -> list[tuple[Relationship, Relationship]]:
    """(the survivor's tie, the other's) for each tie both have with the same third person
    (two queries, however many ties: a twin always has the survivor at one end)."""
    mine: dict[tuple[int, int, str, str], Relationship] = {}
    for rel in ties_of(survivor):  # by pk: the first of equal ties is the twin, as ``_twin``
        mine.setdefault((rel.from_person_id, rel.to_person_id, rel.kind, rel.custom_label), rel)
    found = []
    for rel in ties_of(other):
        ends = _ends(rel, survivor, other)
        twin = mine.get((*ends, rel.kind, rel.custom_label)) if ends[0] != ends[1] else None
        if twin is not None and twin.pk != rel.pk:
            found.append((twin, rel))
    return found


def _wedding(rel: Relationship) -> Occasion | None:
    return Occasion.objects.filter(relationship=rel, kind=Occasion.Kind.WEDDING).first()


def wedding_pairs(twins: list[tuple[Relationship, Relationship]]) -> list[OccasionPair]:
    """The wedding anniversaries of each pair of ``duplicate_ties``, where either has one (one
    query)."""
    ids = [rel.pk for pair in twins for rel in pair]
    weddings: dict[int | None, Occasion] = {}
    found = Occasion.objects.filter(relationship_id__in=ids, kind=Occasion.Kind.WEDDING)
    for occasion in found.order_by("pk") if ids else []:
        weddings.setdefault(occasion.relationship_id, occasion)
    pairs = [OccasionPair(WEDDING, weddings.get(m.pk), weddings.get(t.pk)) for m, t in twins]
    return [p for p in pairs if p.mine is not None or p.theirs is not None]


def _fold_tie(kept: Relationship, dropped: Relationship, take_theirs: bool) -> dict[str, list[Any]]:
    """Drop a duplicate tie; its occasions move to ``kept``. Where both have a wedding, one date
    is kept (``take_theirs``: the dropped tie's) with the history of both; the audit changes."""
    changes: dict[str, list[Any]] = {}
    mine, theirs = _wedding(kept), _wedding(dropped)
    if mine is not None and theirs is not None:
        keep, fold = (theirs, mine) if take_theirs else (mine, theirs)
        before, merged = mine.date_label, theirs.date_label
        occasion_fold(keep, fold)
        changes = {WEDDING: [before, keep.date_label], f"merged_{WEDDING}": [merged, None]}
    Occasion.objects.filter(relationship=dropped).update(relationship=kept)
    dropped.delete()
    return changes


def ties_move(
    survivor: Person, other: Person, chosen: dict[str, str]
) -> tuple[int, dict[str, list[Any]]]:
    """Re-point both directions; a tie that would be with oneself or a duplicate is dropped.
    Returns how many ties moved and the audit changes of the weddings kept."""
    moved = 0
    changes: dict[str, list[Any]] = {}
    for rel in ties_of(other):
        ends = _ends(rel, survivor, other)
        if ends[0] == ends[1]:
            rel.delete()
            continue
        kept = _twin(rel, ends)
        if kept is not None:
            changes.update(_fold_tie(kept, rel, chosen.get(WEDDING) == "other"))
            continue
        Relationship.objects.filter(pk=rel.pk).update(from_person_id=ends[0], to_person_id=ends[1])
        moved += 1
    return moved, changes
