"""The interactions API: a person's timeline over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import (
    call,
    db_state,
    operation_ids,
    role_matrix_test,
)
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2025, 5, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def world() -> dict[str, int]:
    """Ann, with one stay logged at the command line (so no user wrote it)."""
    ann = make_person()
    stay = interaction_log(
        actor=None, person=ann, kind="stay", summary="Two nights", occurred_at=WHEN
    )
    return {"ann": ann.pk, "stay": stay.pk}


ALL = (200, 200, 200)
# (operation, method, path, body, expected status for (bob staff, maria manager, alice owner))
MATRIX: list[tuple[str, str, str, Any, tuple[int, int, int]]] = [
    ("interaction_list", "get", "/api/v1/interactions?person_id={ann}", None, ALL),
    (
        "interaction_create",
        "post",
        "/api/v1/interactions",
        {"person_id": "{ann}", "kind": "call", "summary": "Asked about May"},
        (201, 201, 201),
    ),
    ("interaction_get", "get", "/api/v1/interactions/{stay}", None, ALL),
    (
        "interaction_update",
        "patch",
        "/api/v1/interactions/{stay}",
        {"summary": "Three nights"},
        (403, 200, 200),
    ),
    ("interaction_delete", "delete", "/api/v1/interactions/{stay}", None, (403, 204, 204)),
]


test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_interaction_operation_is_in_the_matrix() -> None:
    assert operation_ids("interactions") == {m[0].split("?")[0] for m in MATRIX}


def test_it_logs_an_interaction_with_the_logger_as_staff(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    body = {
        "person_id": world["ann"],
        "kind": "greeting",
        "summary": "Birthday card",
        "direction": "outbound",
        "intent": "giving",
        "occurred_at": "2025-06-01T10:00:00+02:00",
    }
    response = call("post", "/api/v1/interactions", tokens["bob"], body)
    assert response.status_code == 201
    data = response.json()
    assert (data["kind"], data["intent"], data["staff_id"], data["created_by_id"]) == (
        "greeting",
        "giving",
        bob.pk,
        bob.pk,
    )
    stored = Interaction.objects.get(pk=data["id"])
    assert stored.occurred_at == dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)


def test_staff_may_correct_their_own_interaction(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {"person_id": world["ann"], "kind": "call", "summary": "Called"}
    created = call("post", "/api/v1/interactions", tokens["bob"], body).json()
    path = f"/api/v1/interactions/{created['id']}"
    response = call("patch", path, tokens["bob"], {"summary": "Called back"})
    assert response.status_code == 200
    assert response.json()["summary"] == "Called back"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "séance"}, "kind"),
        ({"summary": "  "}, "summary"),
        ({"occurred_at": "2025-06-01T10:00:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"mood": "happy"}, "mood"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    tokens: dict[str, str | None], world: dict[str, int], body: dict[str, str], field: str
) -> None:
    before = db_state()
    payload = {"person_id": world["ann"], "kind": "call", "summary": "Called", **body}
    response = call("post", "/api/v1/interactions", tokens["bob"], payload)
    assert response.status_code == 422, response.content
    assert list(response.json()["error"]["fields"]) == [field]
    assert db_state() == before


def test_the_timeline_of_an_archived_person_is_not_found_for_staff(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    from goodwill.people.models import Person

    person_archive(actor=None, person=Person.objects.get(pk=world["ann"]))
    response = call("get", f"/api/v1/interactions?person_id={world['ann']}", tokens["bob"])
    assert response.status_code == 404


def test_cursor_pagination_walks_the_timeline_newest_first_once(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    from goodwill.people.models import Person

    ann = Person.objects.get(pk=world["ann"])
    for day in range(1, 8):
        when = WHEN + dt.timedelta(days=day)
        interaction_log(
            actor=None, person=ann, kind="visit", summary=f"Day {day}", occurred_at=when
        )
    seen: list[str] = []
    cursor = ""
    for _page in range(10):
        path = f"/api/v1/interactions?person_id={ann.pk}&limit=3&cursor={cursor}"
        data = call("get", path, tokens["bob"]).json()
        seen += [i["summary"] for i in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Day {d}" for d in range(7, 0, -1)] + ["Two nights"]


def test_idempotency_key_logs_an_interaction_once(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {"person_id": world["ann"], "kind": "call", "summary": "Called"}
    first = call("post", "/api/v1/interactions", tokens["bob"], body, **{"Idempotency-Key": "c1"})
    again = call("post", "/api/v1/interactions", tokens["bob"], body, **{"Idempotency-Key": "c1"})
    assert again.content == first.content
    assert Interaction.objects.filter(summary="Called").count() == 1


def test_it_logs_an_interaction_for_a_named_colleague(
    tokens: dict[str, str | None], world: dict[str, int], bob: User, maria: User
) -> None:
    body = {"person_id": world["ann"], "kind": "visit", "summary": "Tea", "staff_id": maria.pk}
    response = call("post", "/api/v1/interactions", tokens["bob"], body)
    assert response.status_code == 201
    data = response.json()
    assert (data["staff_id"], data["created_by_id"]) == (maria.pk, bob.pk)
    stored = Interaction.objects.get(pk=data["id"])
    assert (stored.staff, stored.created_by) == (maria, bob)


def test_a_null_staff_id_means_the_caller(
    tokens: dict[str, str | None], world: dict[str, int], maria: User
) -> None:
    body = {"person_id": world["ann"], "kind": "visit", "summary": "Tea", "staff_id": None}
    response = call("post", "/api/v1/interactions", tokens["maria"], body)
    assert response.status_code == 201
    assert response.json()["staff_id"] == maria.pk


@pytest.mark.parametrize("who", ["unknown", "charlie"])
def test_an_unknown_or_deactivated_staff_member_is_422_naming_staff_id(
    tokens: dict[str, str | None], world: dict[str, int], charlie: User, who: str
) -> None:
    staff_id = charlie.pk if who == "charlie" else 999999
    before = db_state()
    body = {"person_id": world["ann"], "kind": "visit", "summary": "Tea", "staff_id": staff_id}
    response = call("post", "/api/v1/interactions", tokens["bob"], body)
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "message": "staff_id: No active user with this id.",
            "fields": {"staff_id": ["No active user with this id."]},
        }
    }
    assert db_state() == before


def test_the_interaction_create_schema_documents_staff_id() -> None:
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    properties = schema["components"]["schemas"]["InteractionCreateIn"]["properties"]
    assert "staff_id" in properties
    assert "staff_id" not in schema["components"]["schemas"]["InteractionCreateIn"]["required"]
