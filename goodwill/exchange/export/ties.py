"""Reads for exports: the relationships of a chunk's people, one query a chunk. The vCard's
``RELATED`` names only those with others the export holds, so that importing the file links the
two cards again (a tie with someone the file does not hold is left out: the importer could only
warn about it); the JSON lists every one, with the other's name."""

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


# What the other person of a tie is to each side, as ``relationship_create`` takes a kind
# ("Ann is Ben's child"): the vCard's types, and the two kinds vCard has none for. A custom tie
# says "from is to's <label>": to the one it is "custom" (the other is their <label>), to the
# other "custom_of" (they are the other's <label>).
TIE_KINDS: dict[str, tuple[str, str]] = {
    **RELATED_TYPES,
    Relationship.Kind.REFERRED_BY: ("referred", "referred_by"),
    Relationship.Kind.CUSTOM: ("custom_of", "custom"),
}
FIELDS = [
    *("from_person_id", "to_person_id", "kind", "custom_label", "since", "notes"),
    *(f"{who}_person__{n}" for who in ("from", "to") for n in ("given_name", "family_name")),
    *("from_person__archived_at", "to_person__archived_at"),
]


def _held(them: int, gone: object, archived: bool | None, among: set[int] | None) -> bool:
    """Whether the export holds the other person of a tie: one of ``among`` when given, else
    the archived, the others or (None) everyone, as ``archived`` says."""
    if among is not None:
        return them in among
    return archived is None or (gone is not None) == archived


def tie_rows(
    ids: list[int], mine: Q, archived: bool | None, among: set[int] | None
) -> tuple[dict[int, list[Row]], dict[int, list[Row]]]:
    """The relationships of the people ``ids`` (``mine`` finds them, either side) in the order
    they were made, one query: those with a vCard type and with people the export holds, as
    ``(person id, other id, type)`` (``Chunk.related``), and every one, as ``Chunk.ties``."""
    related: dict[int, list[Row]] = {}
    ties: dict[int, list[Row]] = {}
    wanted = set(ids)
    for a, b, kind, label, since, notes, *names, a_gone, b_gone in (
        Relationship.objects.filter(mine).order_by("id").values_list(*FIELDS)
    ):
        sides = ((a, b, 0, names[2:], b_gone), (b, a, 1, names[:2], a_gone))
        for me, them, side, their, gone in sides:
            if me not in wanted:
                continue
            ties.setdefault(me, []).append(
                (me, TIE_KINDS[kind][side], label, them, *their, since, notes)
            )
            if kind in RELATED_TYPES and _held(them, gone, archived, among):
                related.setdefault(me, []).append((me, them, RELATED_TYPES[kind][side]))
    return related, ties
