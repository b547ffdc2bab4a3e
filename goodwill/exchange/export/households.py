"""Reads for the vCard export: the households of a chunk's people, one query a chunk (none when
nobody in it lives in one), and each household's UID, the same in every export from this site."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings

from goodwill.exchange.export.selectors import PERSON_FIELDS
from goodwill.people.models import Household

Row = tuple[Any, ...]
# A household as the vCard writes it: its name, then its address as ADR orders it, then notes.
FIELDS = ("name", "street", "locality", "region", "postal_code", "country", "notes")
HOUSEHOLD_ID = PERSON_FIELDS.index("household_id")


def household_uid(household_id: int) -> str:
    """The same UUID for the same household in every export from this site (as ``person_uid``
    derives a person's), without ``urn:uuid:``: a parameter could only hold that quoted."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/households/{household_id}/"))


def household_rows(people: list[Row]) -> dict[int, Row]:
    """``{household id: (name, street, locality, region, postal code, country, notes)}`` for
    the households ``people`` (rows in ``PERSON_FIELDS`` order) live in."""
    ids = {person[HOUSEHOLD_ID] for person in people if person[HOUSEHOLD_ID] is not None}
    if not ids:
        return {}
    rows = Household.objects.filter(id__in=ids).values_list("id", *FIELDS)
    return {pk: tuple(values) for pk, *values in rows}
