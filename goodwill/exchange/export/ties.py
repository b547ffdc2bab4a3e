"""Reads for exports: the relationships of a chunk's people, one query a chunk. The vCard's
``RELATED`` names every kind of tie, but only with others the export holds, so that importing
the file links the two cards again (a tie with someone the file does not hold is left out: the
importer could only warn about it); the JSON lists every one, with the other's name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from goodwill.people.models import Relationship

Row = tuple[Any, ...]
# What the other person of a tie is to each side, as ``relationship_create`` takes a kind ("Ann
# is the parent of Ben": Ben is Ann's child, Ann is Ben's parent). A custom tie says "from is
# to's <label>": to the one it is "custom" (the other is their <label>), to the other
# "custom_of" (they are the other's <label>).
TIE_KINDS: dict[str, tuple[str, str]] = {
    Relationship.Kind.SPOUSE: ("spouse", "spouse"),
    Relationship.Kind.PARENT: ("child", "parent"),
    Relationship.Kind.SIBLING: ("sibling", "sibling"),
    Relationship.Kind.FRIEND: ("friend", "friend"),
    Relationship.Kind.COLLEAGUE: ("colleague", "colleague"),
    Relationship.Kind.REFERRED_BY: ("referred", "referred_by"),
    Relationship.Kind.CUSTOM: ("custom_of", "custom"),
}
# The vCard RELATED type of each (RFC 6350 §6.6.6): the RFC's own where it has one, else an
# x-name of goodwill's, which its importer reads back (``importer.related.RELATED_KINDS``); a
# custom tie's label goes beside it (``X-GOODWILL-LABEL``).
RELATED_TYPES: dict[str, str] = {
    **{kind: kind for kind in ("spouse", "child", "parent", "sibling", "friend", "colleague")},
    "referred": "x-goodwill-referred",  # they referred this card's person
    "referred_by": "x-goodwill-referred-by",  # this card's person referred them
    "custom": "x-goodwill-custom",  # they are this card's person's <label>
    "custom_of": "x-goodwill-custom-of",  # this card's person is their <label>
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
    they were made, one query: those with people the export holds, as ``(person id, other id,
    vCard type, custom label, since, notes)`` (``Chunk.related``), and every one, as
    ``Chunk.ties``."""
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
            if _held(them, gone, archived, among):
                vcard_type = RELATED_TYPES[TIE_KINDS[kind][side]]
                related.setdefault(me, []).append((me, them, vcard_type, label, since, notes))
    return related, ties
