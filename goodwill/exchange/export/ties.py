"""Reads for exports: the relationships of a chunk's people with others the export holds, as
the vCard's ``RELATED`` names them, so that importing the file links the two cards again. A
tie with someone the file does not hold is left out: the importer could only warn about it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from goodwill.people.models import Relationship

Row = tuple[Any, ...]
# Relationship kinds as vCard RELATED types (RFC 6350 §6.6.6): what ``to_person`` is on
# ``from_person``'s card, and what ``from_person`` is on ``to_person``'s ("Ann is the parent of
# Ben": Ben is Ann's child, Ann is Ben's parent). Referred-by and custom ties have no type.
RELATED_TYPES: dict[str, tuple[str, str]] = {
    Relationship.Kind.SPOUSE: ("spouse", "spouse"),
    Relationship.Kind.PARENT: ("child", "parent"),
    Relationship.Kind.SIBLING: ("sibling", "sibling"),
    Relationship.Kind.FRIEND: ("friend", "friend"),
    Relationship.Kind.COLLEAGUE: ("colleague", "colleague"),
}


def related_rows(
    ids: list[int], mine: Q, archived: bool | None, among: set[int] | None
) -> dict[int, list[Row]]:
    """Each of the people ``ids``' relationships that have a vCard type, with people the export
    holds, as ``(person id, other id, type)`` in the order they were made: one query.
    ``mine`` finds the ties of those people (either side); the export holds the archived, the
    others or (None) everyone, as ``archived`` says, or, given ``among``, those people."""
    qs = Relationship.objects.filter(mine, kind__in=list(RELATED_TYPES)).order_by("id")
    rows = qs.values_list(
        "from_person_id",
        "to_person_id",
        "kind",
        "from_person__archived_at",
        "to_person__archived_at",
    )
    out: dict[int, list[Row]] = {}
    wanted = set(ids)
    for a, b, kind, a_archived, b_archived in rows:
        for me, them, which, gone in ((a, b, 0, b_archived), (b, a, 1, a_archived)):
            if me not in wanted:
                continue
            if among is not None:
                held = them in among
            else:
                held = archived is None or (gone is not None) == archived
            if held:
                out.setdefault(me, []).append((me, them, RELATED_TYPES[kind][which]))
    return out
