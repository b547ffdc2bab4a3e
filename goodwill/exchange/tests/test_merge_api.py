"""POST /api/v1/people/{id}/merge: every persona, every refusal, and what a merge answers."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.tests.merge_world import birthday_of, make_beas, make_merge_world
from goodwill.occasions.models import OccasionTouch
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import (
    PERSONAS,
    call,
    check_operation,
    db_state,
    operation_ids,
    token_for,
)

pytestmark = pytest.mark.django_db

MERGE = "/api/v1/people/{ann}/merge"
MATRIX = [
    ("post", MERGE, {"other_id": "{annie}"}, (403, 200, 200)),
    ("post", MERGE, {"other_id": "{annie}", "fields": {"notes": "both"}}, (403, 200, 200)),
    ("post", MERGE, {"other_id": "{annie}", "fields": {"birthday": "other"}}, (403, 200, 200)),
    ("post", MERGE, {"other_id": "{annie}", "fields": {"birthday": "both"}}, (403, 422, 422)),
    ("post", MERGE, {"other_id": "{ann}"}, (403, 422, 422)),
    ("post", MERGE, {"other_id": 999999}, (403, 422, 422)),
    ("post", "/api/v1/people/999999/merge", {"other_id": "{annie}"}, (403, 404, 404)),
    # A malformed body is refused before anyone's role is looked at, as everywhere in the API.
    ("post", MERGE, {"other_id": "{annie}", "fields": {"given_name": "x"}}, (422, 422, 422)),
    # The preview changes nothing, for managers and owners only.
    ("get", MERGE + "?other_id={annie}", None, (403, 200, 200)),
    ("get", MERGE + "?other_id={ann}", None, (403, 422, 422)),
    ("get", "/api/v1/people/999999/merge?other_id={annie}", None, (403, 404, 404)),
    ("post", MERGE, {"other_id": "{annie}", "colour": "red"}, (422, 422, 422)),
]


def test_every_merge_operation_is_in_the_matrix() -> None:
    assert operation_ids("merges") == {"person_merge", "person_merge_preview"}


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


def test_it_takes_the_others_birthday_with_its_history(maria: User) -> None:
    b = make_beas()
    body = {"other_id": b.two.pk, "fields": {"birthday": "other"}}
    response = call("post", f"/api/v1/people/{b.one.pk}/merge", token_for(maria), body)
    assert response.status_code == 200
    birthday = birthday_of(b.one)
    assert (birthday.date_label, birthday.note, birthday.lead_days) == (
        "1981-06-06",
        "Prefers a call",
        10,
    )
    touches = OccasionTouch.objects.filter(record__occasion=birthday)
    assert sorted(touches.values_list("summary", flat=True)) == ["10% off", "Roses", "Sang"]
    b.offer.refresh_from_db()
    assert b.offer.occasion_id == birthday.pk
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["birthday"] == ["1980-05-05", "1981-06-06"]


def test_without_a_choice_the_survivors_birthday_stays(maria: User) -> None:
    b = make_beas()
    body = {"other_id": b.two.pk}
    response = call("post", f"/api/v1/people/{b.one.pk}/merge", token_for(maria), body)
    assert response.status_code == 200
    assert birthday_of(b.one).date_label == "1980-05-05"


def test_staff_may_not_take_the_others_birthday_and_nothing_changes(bob: User) -> None:
    b = make_beas()
    token = token_for(bob)
    before = db_state()
    body = {"other_id": b.two.pk, "fields": {"birthday": "other"}}
    response = call("post", f"/api/v1/people/{b.one.pk}/merge", token, body)
    assert response.status_code == 403
    assert db_state() == before


def test_a_birthday_kept_both_ways_is_refused_naming_the_field(maria: User) -> None:
    b = make_beas()
    token = token_for(maria)
    before = db_state()
    body = {"other_id": b.two.pk, "fields": {"birthday": "both"}}
    response = call("post", f"/api/v1/people/{b.one.pk}/merge", token, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"] == {"fields": ["Choose survivor or other for birthday."]}
    assert db_state() == before
