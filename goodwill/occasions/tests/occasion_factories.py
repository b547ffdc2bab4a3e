"""Builders for occasion tests, through the services."""

from __future__ import annotations

from typing import Any

from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person, Relationship
from goodwill.people.services import household_create, relationship_create
from goodwill.people.tests.factories import make_person


def make_couple(
    given: str = "Anne", other: str = "Ben", family: str = "Whitman", kind: str = "spouse"
) -> tuple[Person, Person, Relationship]:
    anne = make_person(given_name=given, family_name=family)
    ben = make_person(given_name=other, family_name=family)
    rel = relationship_create(actor=None, person=anne, other=ben, kind=kind)
    return anne, ben, rel


def make_household(*people: Person, name: str = "The Whitmans") -> Any:
    return household_create(actor=None, name=name, member_ids=[p.pk for p in people])


def birthday(person: Person, month: int, day: int, year: int | None = None, **kw: Any) -> Occasion:
    return occasion_create(
        actor=None, kind="birthday", person=person, month=month, day=day, year=year, **kw
    )
