"""POST /api/v1/people/{id}/merge: every persona, every refusal, and what a merge answers."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.tests.merge_world import make_merge_world
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import (
    PERSONAS,
    call,
    check_operation,
    operation_ids,
    token_for,
)

pytestmark = pytest.mark.django_db

MERGE = "/api/v1/people/{ann}/merge"
MATRIX = [
    ("post", MERGE, {"other_id": "{annie}"}, (403, 200, 200)),
    ("post", MERGE, {"other_id": "{annie}", "fields": {"notes": "both"}}, (403, 200, 200)),
    ("post", MERGE, {"other_id": "{ann}"}, (403, 422, 422)),
    ("post", MERGE, {"other_id": 999999}, (403, 422, 422)),
    ("post", "/api/v1/people/999999/merge", {"other_id": "{annie}"}, (403, 404, 404)),
    # A malformed body is refused before anyone's role is looked at, as everywhere in the API.
    ("post", MERGE, {"other_id": "{annie}", "fields": {"given_name": "x"}}, (422, 422, 422)),
    ("post", MERGE, {"other_id": "{annie}", "colour": "red"}, (422, 422, 422)),
]


def test_every_merge_operation_is_in_the_matrix() -> None:
    assert operation_ids("merges") == {"person_merge"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX)
def test_person_merge_matrix(
    tokens: dict[str, str | None],
    persona: str,
    method: str,
    path: str,
    body: Any,
    expected: tuple[int, int, int],
) -> None:
    w = make_merge_world()
    check_operation(
        token=tokens[persona],
        world={"ann": w.ann.pk, "annie": w.annie.pk},
        persona=persona,
        method=method,
        path=path,
        body=body,
        expected=expected,
    )


def test_it_answers_the_survivor_with_everything_merged(maria: User) -> None:
    w = make_merge_world()
    body = {"other_id": w.annie.pk, "fields": {"family_name": "other"}}
    response = call("post", f"/api/v1/people/{w.ann.pk}/merge", token_for(maria), body)
    assert response.status_code == 200
    out = response.json()
    assert (out["id"], out["given_name"], out["family_name"]) == (w.ann.pk, "Ann", "Harris-Lee")
    assert out["emails"] == ["ann@example.com", "shared@example.com", "annie@work.example"]
    assert out["roles"] == ["guest", "partner"]
    assert [o["name"] for o in out["organisations"]] == ["Acme", "Corner Shop"]
    assert not Person.objects.filter(pk=w.annie.pk).exists()
    assert AuditEntry.objects.get(action="person.merge").actor == maria


def test_an_idempotent_repeat_merges_once(maria: User) -> None:
    w = make_merge_world()
    token = token_for(maria)
    path = f"/api/v1/people/{w.ann.pk}/merge"
    first = call("post", path, token, {"other_id": w.annie.pk}, **{"Idempotency-Key": "m1"})
    again = call("post", path, token, {"other_id": w.annie.pk}, **{"Idempotency-Key": "m1"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert AuditEntry.objects.filter(action="person.merge").count() == 1
