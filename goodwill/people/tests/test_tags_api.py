"""Tags over the API: every operation × role, a person's tags in their read schema, adding and
removing them on a person, the tags with counts, rename (merging) and delete for managers, and
``?tag=`` on the people list."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.people.models import Person, PersonTag, Tag
from goodwill.people.services import person_archive, person_tag_add, person_tags_add
from goodwill.people.tests.api_helpers import call, db_state, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    """Ann tagged VIP and Wholesale, Ben tagged VIP and Gold, Dee untagged."""
    ann = make_person(given_name="Ann", family_name="Harris")
    ben = make_person(given_name="Ben", family_name="Cole")
    dee = make_person(given_name="Dee", family_name="Lee")
    vip, wholesale = (
        link.tag for link in person_tags_add(actor=None, person=ann, names=["VIP", "Wholesale"])
    )
    person_tags_add(actor=None, person=ben, names=["VIP", "Gold"])
    return {
        "ann": ann.pk,
        "ben": ben.pk,
        "dee": dee.pk,
        "vip": vip.pk,
        "wholesale": wholesale.pk,
        "gold": Tag.objects.get(key="gold").pk,
    }


ALL = (200, 200, 200)
MANAGER = (403, 200, 200)
MANAGER_GONE = (403, 204, 204)
MATRIX: list[tuple[str, str, str, Any, tuple[int, int, int]]] = [
    ("tag_list", "get", "/api/v1/tags", None, ALL),
    ("tag_get", "get", "/api/v1/tags/{vip}", None, ALL),
    ("tag_rename", "patch", "/api/v1/tags/{vip}", {"name": "Gold guests"}, MANAGER),
    ("tag_rename?merge", "patch", "/api/v1/tags/{gold}", {"name": "vip"}, MANAGER),
    ("tag_delete", "delete", "/api/v1/tags/{wholesale}", None, MANAGER_GONE),
    ("person_tag_list", "get", "/api/v1/people/{ann}/tags", None, ALL),
    ("person_tag_add", "post", "/api/v1/people/{dee}/tags", {"name": "VIP"}, (201, 201, 201)),
    ("person_tag_remove", "delete", "/api/v1/people/{ann}/tags/{vip}", None, (204, 204, 204)),
    ("person_tag_remove?not", "delete", "/api/v1/people/{dee}/tags/{vip}", None, (404,) * 3),
    ("person_list?tag", "get", "/api/v1/people?tag=vip", None, ALL),
]

test_operation_role_matrix = role_matrix_test(MATRIX)


def test_every_tag_operation_is_in_the_matrix() -> None:
    assert operation_ids("tags") == {m[0].split("?")[0] for m in MATRIX} - {"person_list"}


def test_a_person_shows_their_tags_by_name_with_their_source(
    tokens: dict[str, str | None], world: dict[str, int], maria: User
) -> None:
    person_tag_add(
        actor=maria,
        person=Person.objects.get(pk=world["dee"]),
        name="Fair 2025",
        source="imported",
        source_detail="fair.csv (3)",
    )

    data = call("get", f"/api/v1/people/{world['dee']}", tokens["bob"]).json()

    assert len(data["tags"]) == 1
    tag = data["tags"][0]
    assert tag.pop("added_at")
    assert tag == {
        "id": Tag.objects.get(key="fair 2025").pk,
        "name": "Fair 2025",
        "source": "imported",
        "source_detail": "fair.csv (3)",
        "added_by_id": maria.pk,
    }


def test_adding_a_tag_in_another_spelling_answers_the_existing_one(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    response = call("post", f"/api/v1/people/{world['dee']}/tags", tokens["bob"], {"name": "vip "})

    assert response.status_code == 201
    body = response.json()
    assert (body["id"], body["name"], body["source"], body["added_by_id"]) == (
        world["vip"],
        "VIP",
        "told_us",
        bob.pk,
    )
    again = call("post", f"/api/v1/people/{world['dee']}/tags", tokens["maria"], {"name": "VIP"})
    assert again.status_code == 201
    assert again.json() == body
    assert Tag.objects.get(pk=world["vip"]).people_count == 3


def test_an_empty_tag_is_a_422_naming_name_and_changes_nothing(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()

    response = call("post", f"/api/v1/people/{world['dee']}/tags", tokens["bob"], {"name": " "})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name": ["Enter a tag."]}
    assert db_state() == before


def test_an_unknown_field_is_a_422(tokens: dict[str, str | None], world: dict[str, int]) -> None:
    body = {"name": "VIP", "colour": "red"}
    response = call("post", f"/api/v1/people/{world['dee']}/tags", tokens["bob"], body)

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"colour": ["Unknown field."]}


def test_the_tags_come_with_their_counts_by_name(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    data = call("get", "/api/v1/tags?limit=2", tokens["bob"]).json()
    rest = call("get", f"/api/v1/tags?cursor={data['next_cursor']}", tokens["bob"]).json()

    assert [(t["name"], t["people_count"]) for t in data["items"] + rest["items"]] == [
        ("Gold", 1),
        ("VIP", 2),
        ("Wholesale", 1),
    ]
    assert rest["next_cursor"] is None
    assert [t["name"] for t in call("get", "/api/v1/tags?q=w", tokens["bob"]).json()["items"]] == [
        "Wholesale"
    ]


def test_renaming_into_another_tag_answers_that_tag(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call("patch", f"/api/v1/tags/{world['gold']}", tokens["maria"], {"name": "Vip"})

    assert response.status_code == 200
    assert response.json() == {"id": world["vip"], "name": "VIP", "key": "vip", "people_count": 2}
    assert not Tag.objects.filter(pk=world["gold"]).exists()


def test_staff_cannot_rename_a_tag_and_nothing_changes(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()

    response = call("patch", f"/api/v1/tags/{world['vip']}", tokens["bob"], {"name": "Gold"})

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Your role does not allow this."
    assert db_state() == before


def test_the_people_list_filters_by_tag(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    old = make_person(given_name="Zed", family_name="Old")
    person_tag_add(actor=None, person=old, name="VIP")
    person_archive(actor=None, person=old)

    def ids(query: str, persona: str = "bob") -> list[int]:
        data = call("get", f"/api/v1/people?{query}", tokens[persona]).json()
        return [p["id"] for p in data["items"]]

    assert ids("tag=vip") == [world["ann"], world["ben"]]
    assert ids("tag=Wholesale") == [world["ann"]]
    assert ids("tag=Nobody") == []
    assert ids("tag=VIP&limit=1") == [world["ann"]]
    assert ids("tag=VIP&archived=true", "maria") == [old.pk]


def test_removing_a_tag_counts_it_down(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call("delete", f"/api/v1/people/{world['ann']}/tags/{world['vip']}", tokens["bob"])

    assert response.status_code == 204
    assert list(PersonTag.objects.filter(tag_id=world["vip"]).values_list("person", flat=True)) == [
        world["ben"]
    ]
    assert Tag.objects.get(pk=world["vip"]).people_count == 1
