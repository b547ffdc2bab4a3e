"""Builders for people tests; everything goes through the services, like production code."""

from __future__ import annotations

from typing import Any

from goodwill.accounts.models import User
from goodwill.people.models import Person
from goodwill.people.services import person_create, person_interest_add


def make_person(actor: User | None = None, **overrides: Any) -> Person:
    fields: dict[str, Any] = {"given_name": "Ann", "family_name": "Harris"}
    fields.update(overrides)
    return person_create(actor=actor, **fields).person


def give_interests(person: Person, *names: str, attitude: str = "likes") -> None:
    for name in names:
        person_interest_add(
            actor=None, person=person, name=name, attitude=attitude, source="told_us"
        )
