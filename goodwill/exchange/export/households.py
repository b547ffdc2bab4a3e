"""Reads for the vCard and JSON exports: the households of a chunk's people, one query a chunk
(none when nobody in it lives in one), with each household's stored UID: the same in every
export, and the one an import of the file joins (``Household.uid``)."""

from __future__ import annotations

from typing import Any

from goodwill.exchange.export.selectors import PERSON_FIELDS
from goodwill.people.models import Household

Row = tuple[Any, ...]
# A household as the vCard writes it: its name, then its address as ADR orders it, then notes.
FIELDS = ("name", "street", "locality", "region", "postal_code", "country", "notes")
HOUSEHOLD_ID = PERSON_FIELDS.index("household_id")


def household_rows(people: list[Row], *, with_uid: bool = False) -> dict[int, Row]:
    """``{household id: (name, street, locality, region, postal code, country, notes)}`` for
    the households ``people`` (rows in ``PERSON_FIELDS`` order) live in; ``with_uid``: each
    row ends with the household's UID."""
    ids = {person[HOUSEHOLD_ID] for person in people if person[HOUSEHOLD_ID] is not None}
    if not ids:
        return {}
    fields = (*FIELDS, "uid") if with_uid else FIELDS
    rows = Household.objects.filter(id__in=ids).values_list("id", *fields)
    return {pk: tuple(values) for pk, *values in rows}
