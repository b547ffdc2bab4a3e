"""The feedback API: note what a customer said (any role), the manager's inbox, acknowledge and
"acted on" over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.feedback.models import Feedback
from goodwill.feedback.tests.factories import SCRIPT, heard
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import call, db_state, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    anne = make_person(given_name="Anne", family_name="Whitman")
    zed = make_person(given_name="Zed", family_name="Old")
    person_archive(actor=None, person=zed)
    item = heard(person=anne)
    return {"anne": anne.pk, "zed": zed.pk, "item": item.pk}


def _payload(**overrides: Any) -> dict[str, Any]:
    return {"text": "Lovely tomatoes", "category": "product", "sentiment": "positive"} | overrides


ALL = (200, 200, 200)
MANAGERS = (403, 200, 200)
# (operation, method, path, body, expected status for (bob staff, maria manager, alice owner))
MATRIX: list[tuple[str, str, str, Any, tuple[int, int, int]]] = [
    ("feedback_heard_create", "post", "/api/v1/feedback/heard", _payload(), (201, 201, 201)),
    (
        "feedback_heard_create",
        "post",
        "/api/v1/feedback/heard",
        _payload(person_id="{zed}"),
        (404, 201, 201),
    ),
    ("feedback_list", "get", "/api/v1/feedback?status=new", None, MANAGERS),
    ("feedback_get", "get", "/api/v1/feedback/{item}", None, MANAGERS),
    ("feedback_acknowledge", "post", "/api/v1/feedback/{item}/acknowledge", None, MANAGERS),
    ("feedback_act", "post", "/api/v1/feedback/{item}/act", {"action": "Thanked"}, MANAGERS),
]

test_role_matrix = role_matrix_test(MATRIX)


def test_every_feedback_operation_is_in_the_matrix() -> None:
    elsewhere = {"feedback_scores"}  # in test_scores.py
    assert operation_ids("feedback") - elsewhere == {row[0] for row in MATRIX}


def test_noting_feedback_answers_it_and_logs_it_on_the_timeline(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call(
        "post",
        "/api/v1/feedback/heard",
        tokens["bob"],
        _payload(text="  Great tomatoes  ", person_id=world["anne"], source="phone"),
    )

    assert response.status_code == 201
    body = response.json()
    stored = Feedback.objects.get(pk=body["id"])
    assert body["text"] == "Great tomatoes"
    assert (body["category"], body["sentiment"], body["source"]) == (
        "product",
        "positive",
        "phone",
    )
    assert body["person_id"] == world["anne"]
    assert body["heard_by_id"] == stored.heard_by_id
    assert body["status"] == "new"
    assert (body["score"], body["thumbs_up"], body["handled_by_id"]) == (None, None, None)
    assert Interaction.objects.filter(person_id=world["anne"], kind="feedback").count() == 2


def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    cases = [
        (_payload(text=" "), {"text": ["Write down what they said."]}),
        (_payload(sentiment="meh"), {"sentiment": ["Choose one of: positive, negative, neutral."]}),
        (_payload(colour="red"), {"colour": ["Unknown field."]}),
        ({"text": "Hi", "category": "price"}, {"sentiment": ["This field is required."]}),
    ]
    for body, fields in cases:
        response = call("post", "/api/v1/feedback/heard", tokens["bob"], body)
        assert response.status_code == 422, body
        assert response.json()["error"]["fields"] == fields
    assert db_state() == before


def test_an_unknown_person_is_a_404(tokens: dict[str, str | None], world: dict[str, int]) -> None:
    before = db_state()
    response = call("post", "/api/v1/feedback/heard", tokens["bob"], _payload(person_id=999999))
    assert response.status_code == 404
    assert db_state() == before


def test_a_repeated_idempotency_key_notes_it_once(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    first = call(
        "post", "/api/v1/feedback/heard", tokens["bob"], _payload(), **{"Idempotency-Key": "k1"}
    )
    again = call(
        "post", "/api/v1/feedback/heard", tokens["bob"], _payload(), **{"Idempotency-Key": "k1"}
    )
    other = call(
        "post",
        "/api/v1/feedback/heard",
        tokens["bob"],
        _payload(text="Something else"),
        **{"Idempotency-Key": "k1"},
    )

    assert first.status_code == 201
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert other.status_code == 409
    assert Feedback.objects.filter(text="Lovely tomatoes").count() == 1


def test_the_list_filters_and_pages_newest_first(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    for n in range(3):
        heard(text=f"Remark {n}", category="staff", sentiment="negative")

    first = call("get", "/api/v1/feedback?category=staff&limit=2", tokens["maria"]).json()
    second = call(
        "get",
        f"/api/v1/feedback?category=staff&limit=2&cursor={first['next_cursor']}",
        tokens["maria"],
    ).json()

    assert [i["text"] for i in first["items"]] == ["Remark 2", "Remark 1"]
    assert [i["text"] for i in second["items"]] == ["Remark 0"]
    assert second["next_cursor"] is None
    bad = call("get", "/api/v1/feedback?status=lost", tokens["maria"])
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"] == {
        "status": ["Choose one of: new, acknowledged, acted_on."]
    }


def test_acknowledge_then_act(tokens: dict[str, str | None], world: dict[str, int]) -> None:
    path = f"/api/v1/feedback/{world['item']}"
    acknowledged = call("post", f"{path}/acknowledge", tokens["maria"]).json()
    acted = call("post", f"{path}/act", tokens["alice"], {"action": "Put it in the window"}).json()

    assert acknowledged["status"] == "acknowledged"
    assert acted["status"] == "acted_on"
    assert acted["action"] == "Put it in the window"
    stored = Feedback.objects.get(pk=world["item"])
    assert acted["handled_by_id"] == stored.handled_by_id
    assert stored.handled_by is not None
    assert stored.handled_by.email == "alice@example.com"


def test_acting_without_a_note_is_a_422_and_changes_nothing(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    response = call(
        "post", f"/api/v1/feedback/{world['item']}/act", tokens["maria"], {"action": ""}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"action": ["Say in a few words what you did."]}
    assert db_state() == before


def test_script_in_a_remark_comes_back_as_plain_json_text(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    created = call("post", "/api/v1/feedback/heard", tokens["bob"], _payload(text=SCRIPT))
    got = call("get", f"/api/v1/feedback/{created.json()['id']}", tokens["maria"])

    assert got["Content-Type"].startswith("application/json")
    assert created.json()["text"] == SCRIPT
    assert got.json()["text"] == SCRIPT


def test_the_list_reads_a_fixed_number_of_queries(
    tokens: dict[str, str | None], world: dict[str, int], django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        heard(person=make_person(given_name=f"P{n}") if n % 2 else None, text=f"Remark {n}")
    with django_assert_max_num_queries(4):
        response = call("get", "/api/v1/feedback", tokens["maria"])
    assert len(response.json()["items"]) == 31
