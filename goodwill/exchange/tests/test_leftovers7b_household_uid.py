"""The JSON export names each household by its stored UID, the one every export and import uses."""

from __future__ import annotations

import json

import pytest

from goodwill.exchange.export.json import person_object
from goodwill.exchange.export.selectors import Chunk
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.people.services import household_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_it_writes_the_household_uid(world: World) -> None:
    home = household_create(actor=None, name="The Moss house", member_ids=[world.ben.pk])

    people = {p["id"]: p for p in json.loads(export_text("json"))}

    assert people[world.ben.pk]["household"]["id"] == home.pk
    assert people[world.ben.pk]["household"]["uid"] == home.uid
    assert people[world.ann.pk]["household"] is None


def test_the_household_uid_is_the_same_in_every_export(world: World) -> None:
    home = household_create(actor=None, name="The Moss house", member_ids=[world.ben.pk])

    first = {p["id"]: p for p in json.loads(export_text("json"))}
    second = {p["id"]: p for p in json.loads(export_text("json"))}

    assert first[world.ben.pk]["household"]["uid"] == home.uid
    assert second[world.ben.pk]["household"]["uid"] == home.uid


def test_one_persons_object_carries_the_uid_too(world: World) -> None:
    from goodwill.exchange.export.selectors import PERSON_FIELDS
    from goodwill.people.models import Person

    home = household_create(actor=None, name="The Moss house", member_ids=[world.ben.pk])
    row = Person.objects.filter(pk=world.ben.pk).values_list(*PERSON_FIELDS).get()

    data = person_object(row, Chunk(people=[row]))

    assert data["household"]["uid"] == home.uid
