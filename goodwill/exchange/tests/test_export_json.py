"""People as JSON: one array, an object per person with every fact and its source."""

from __future__ import annotations

import json

import pytest

from goodwill.exchange.export.json import json_stream
from goodwill.exchange.tests.export_world import World, export_text, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_it_writes_every_fact_of_a_person(world: World) -> None:
    ann = json.loads(export_text("json"))[0]
    org_id = world.ann.memberships.get().organisation_id
    noted = [i.pop("noted_at") for i in ann["interests"]]
    assert all(n.startswith(str(world.ann.created_at.year)) for n in noted)
    assert ann == {
        "id": world.ann.pk,
        "given_name": 'Ann "Annie"',
        "family_name": "Harris, Jr.\nof Halifax",
        "preferred_name": "Annie",
        "emails": [
            {
                "email": "ann@example.com",
                "label": "",
                "primary": True,
                "source": "told_us",
                "source_detail": "",
            },
            {
                "email": "ann.harris@work.example",
                "label": "",
                "primary": False,
                "source": "told_us",
                "source_detail": "",
            },
        ],
        "phones": [
            {
                "e164": "+19025550101",
                "label": "",
                "primary": True,
                "source": "told_us",
                "source_detail": "",
            },
            {
                "e164": "+19025550102",
                "label": "",
                "primary": False,
                "source": "told_us",
                "source_detail": "",
            },
        ],
        "address": {
            "street": "12 Harbour Rd\nFlat 2",
            "locality": "Halifax",
            "region": "NS",
            "postal_code": "B3H 1A1",
            "country": "CA",
        },
        "language": "",
        "time_zone": "",
        "notes": "Prefers the sea view; allergic to nuts",
        "source": "told_us",
        "household_id": None,
        "household": None,
        "roles": ["guest", "staff"],
        "organisations": [
            {
                "id": org_id,
                "name": "Harbour Inn",
                "job_title": "Night manager",
                "source": "told_us",
                "source_detail": "",
            }
        ],
        "interests": [
            {"name": "Cilantro", "attitude": "dislikes", "source": "told_us", "note": ""},
            {"name": "Jazz", "attitude": "likes", "source": "told_us", "note": ""},
            {"name": "Storm chasing", "attitude": "likes", "source": "told_us", "note": ""},
        ],
        "tags": [],
        "occasions": [
            {
                "kind": "birthday",
                "label": "",
                "date": "--04-12",
                "year": None,
                "month": 4,
                "day": 12,
                "source": "told_us",
                "note": "",
                "lead_days": None,
            },
            {
                "kind": "wedding_anniversary",
                "date": "2015-06-20",
                "year": 2015,
                "month": 6,
                "day": 20,
                "spouse_id": world.ben.pk,
                "note": "",
                "lead_days": None,
            },
        ],
        "relationships": [
            {
                "kind": "spouse",
                "custom_label": "",
                "other_person_id": world.ben.pk,
                "other_person": "Ben Harris",
                "since": None,
                "notes": "",
            }
        ],
        "archived_at": None,
        "created_at": world.ann.created_at.isoformat(),
        "updated_at": world.ann.updated_at.isoformat(),
    }


def test_it_is_one_array_of_everyone_not_archived(world: World) -> None:
    people = json.loads(export_text("json"))
    assert [p["id"] for p in people] == [world.ann.pk, world.ben.pk, world.cleo.pk]
    assert people[1]["occasions"][0]["date"] == "1992-02-29"
    assert people[2]["given_name"] == '=HYPERLINK("http://x")'


def test_an_empty_export_is_an_empty_array() -> None:
    assert json.loads("".join(json_stream([]))) == []


def test_each_person_has_their_household_with_its_address_and_notes(world: World) -> None:
    from goodwill.people.models import Household

    home = Household.objects.create(
        name="The Moss house", street="1 Pier Rd", locality="Digby", country="CA", notes="dog"
    )
    world.ben.household = home
    world.ben.save(update_fields=["household"])

    people = {p["id"]: p for p in json.loads(export_text("json"))}

    assert people[world.ben.pk]["household"] == {
        "id": home.pk,
        "uid": home.uid,
        "name": "The Moss house",
        "address": {
            "street": "1 Pier Rd",
            "locality": "Digby",
            "region": "",
            "postal_code": "",
            "country": "CA",
        },
        "notes": "dog",
    }
    assert people[world.ann.pk]["household"] is None
