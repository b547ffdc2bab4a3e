"""The occasions and agenda API: yearly dates, what we did, and the agenda of a day over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.occasions import dates
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.tests.occasion_factories import birthday, make_couple
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import (
    call,
    db_state,
    fill,
    operation_ids,
    role_matrix_test,
)
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    """Anne with a birthday, and Anne and Ben's wedding anniversary with last year's offer."""
    anne, _ben, couple = make_couple()
    birth = birthday(anne, 4, 12, 1986)
    wedding = occasion_create(
        actor=None, kind="wedding_anniversary", relationship=couple, month=6, day=20, year=2015
    )
    offer = occasion_touch_log(
        actor=None, occasion=wedding, year=2025, kind="offer", summary="Free dessert"
    )
    return {
        "anne": anne.pk,
        "couple": couple.pk,
        "birth": birth.pk,
        "wedding": wedding.pk,
        "offer": offer.pk,
    }


ALL = (200, 200, 200)
# (operation, method, path, body, expected status for (bob staff, maria manager, alice owner))
MATRIX: list[tuple[str, str, str, Any, tuple[int, int, int]]] = [
    ("occasion_list", "get", "/api/v1/occasions?person_id={anne}", None, ALL),
    (
        "occasion_create",
        "post",
        "/api/v1/occasions",
        {"person_id": "{anne}", "kind": "anniversary", "label": "first stay", "month": 9, "day": 1},
        (201, 201, 201),
    ),
    ("occasion_get", "get", "/api/v1/occasions/{birth}", None, ALL),
    ("occasion_update", "patch", "/api/v1/occasions/{birth}", {"lead_days": 3}, ALL),
    ("occasion_delete", "delete", "/api/v1/occasions/{birth}", None, (403, 204, 204)),
    ("occasion_history", "get", "/api/v1/occasions/{wedding}/history", None, ALL),
    ("occasion_done", "post", "/api/v1/occasions/{birth}/done", {"year": 2025}, ALL),
    ("occasion_undone", "delete", "/api/v1/occasions/{wedding}/done/2025", None, (204, 204, 204)),
    (
        "occasion_touch_create",
        "post",
        "/api/v1/occasions/{birth}/touches",
        {"year": 2025, "kind": "call", "summary": "Sang happy birthday"},
        (201, 201, 201),
    ),
    (
        "occasion_touch_update",
        "patch",
        "/api/v1/occasions/touches/{offer}",
        {"offer_used": True},
        ALL,
    ),
    ("agenda_get", "get", "/api/v1/agenda?date=2026-04-10", None, ALL),
]


test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_occasion_and_agenda_operation_is_in_the_matrix() -> None:
    assert operation_ids("occasions", "agenda") == {m[0] for m in MATRIX}


def test_it_creates_a_couples_wedding_anniversary_with_its_next_date(
    tokens: dict[str, str | None], bob: User
) -> None:
    _anne, _ben, couple = make_couple()
    body = {
        "relationship_id": couple.pk,
        "kind": "wedding_anniversary",
        "month": 6,
        "day": 20,
        "year": 2015,
    }

    response = call("post", "/api/v1/occasions", tokens["bob"], body)

    assert response.status_code == 201, response.content
    data = response.json()
    next_date = dates.next_occurrence(6, 20, business_today())
    years = next_date.year - 2015
    assert {k: v for k, v in data.items() if k not in {"id", "created_at", "updated_at"}} == {
        "person_id": None,
        "relationship_id": couple.pk,
        "household_id": None,
        "kind": "wedding_anniversary",
        "title": "Wedding anniversary",
        "label": "",
        "month": 6,
        "day": 20,
        "year": 2015,
        "date": "2015-06-20",
        "lead_days": None,
        "effective_lead_days": 7,
        "source": "told_us",
        "note": "",
        "next_date": next_date.isoformat(),
        "turning": years,
        "turning_label": f"{dates.ordinal(years)} anniversary",
    }
    assert Occasion.objects.get().created_by == bob


def test_a_birthday_without_a_year_shows_its_month_and_day(tokens: dict[str, str | None]) -> None:
    anne = make_person()
    body = {"person_id": anne.pk, "kind": "birthday", "month": 4, "day": 12, "lead_days": 14}
    data = call("post", "/api/v1/occasions", tokens["bob"], body).json()
    assert (data["date"], data["turning"], data["turning_label"], data["effective_lead_days"]) == (
        "--04-12",
        None,
        "",
        14,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month": 13}, "month"),
        ({"month": 2, "day": 30}, "day"),
        ({"month": 2, "day": 29, "year": 2023}, "day"),
        ({"lead_days": -1}, "lead_days"),
        ({"lead_days": 366}, "lead_days"),
        ({"source": "rumour"}, "source"),
        ({"kind": "custom", "label": ""}, "label"),
        ({"mood": "happy"}, "mood"),
        ({"person_id": None}, "person_id"),
        ({"household_id": 1}, "person_id"),
        ({"person_id": None, "relationship_id": "{friends}"}, "relationship_id"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    tokens: dict[str, str | None], body: dict[str, Any], field: str
) -> None:
    anne, _ben, friends = make_couple(kind="friend")
    payload = {"person_id": anne.pk, "kind": "anniversary", "month": 4, "day": 12}
    payload |= fill(body, {"friends": friends.pk})
    before = db_state()

    response = call("post", "/api/v1/occasions", tokens["bob"], payload)

    assert response.status_code == 422, response.content
    assert list(response.json()["error"]["fields"]) == [field]
    assert db_state() == before


def test_a_second_birthday_is_409_naming_kind(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    body = {"person_id": world["anne"], "kind": "birthday", "month": 5, "day": 1}
    response = call("post", "/api/v1/occasions", tokens["bob"], body)
    assert response.status_code == 409
    assert list(response.json()["error"]["fields"]) == ["kind"]
    assert db_state() == before


def test_an_unknown_person_is_404(tokens: dict[str, str | None]) -> None:
    body = {"person_id": 999999, "kind": "birthday", "month": 5, "day": 1}
    response = call("post", "/api/v1/occasions", tokens["bob"], body)
    assert response.status_code == 404


def test_an_archived_persons_occasion_is_not_found_for_staff(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    from goodwill.people.models import Person

    person_archive(actor=None, person=Person.objects.get(pk=world["anne"]))
    path = f"/api/v1/occasions/{world['birth']}"
    assert call("get", path, tokens["bob"]).status_code == 404
    assert call("get", path, tokens["maria"]).status_code == 200


def test_a_patch_clears_the_year_with_null(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/occasions/{world['birth']}"
    response = call("patch", path, tokens["bob"], {"year": None, "note": "Likes lilies"})
    assert response.status_code == 200
    assert (response.json()["date"], response.json()["note"]) == ("--04-12", "Likes lilies")


def test_a_touch_on_a_couple_is_logged_once_and_marks_the_year_done(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    path = f"/api/v1/occasions/{world['wedding']}/touches"
    body = {"year": 2026, "kind": "greeting", "summary": "Card to both", "channel": "post"}

    response = call("post", path, tokens["bob"], body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["occasion_id"], data["year"], data["kind"], data["created_by_id"]) == (
        world["wedding"],
        2026,
        "greeting",
        bob.pk,
    )
    history = call("get", f"/api/v1/occasions/{world['wedding']}/history", tokens["bob"]).json()
    assert [
        (y["year"], y["done"], [t["summary"] for t in y["touches"]]) for y in history["items"]
    ] == [
        (2026, True, ["Card to both"]),
        (2025, True, ["Free dessert"]),
    ]


def test_the_agenda_shows_last_years_touch_and_the_people(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call("get", "/api/v1/agenda?date=2026-06-18", tokens["bob"])

    assert response.status_code == 200, response.content
    assert response.json() == {
        "date": "2026-06-18",
        "entries": [
            {
                "occasion_id": world["wedding"],
                "kind": "wedding_anniversary",
                "title": "Wedding anniversary",
                "date": "2026-06-20",
                "days_until": 2,
                "turning": 11,
                "turning_label": "11th anniversary",
                "people": [
                    {"id": world["anne"], "name": "Anne Whitman", "call_name": "Anne"},
                    {"id": world["anne"] + 1, "name": "Ben Whitman", "call_name": "Ben"},
                ],
                "call_names": "Anne and Ben",
                "done": False,
                "last_year": {
                    "year": 2025,
                    "done": True,
                    "touches": [{"kind": "offer", "summary": "Free dessert", "offer_used": None}],
                },
            }
        ],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date=2026-02-30", "date"),
        ("date=tomorrow", "date"),
        ("days=400", "days"),
        ("cursor=bogus", "cursor"),
        ("date=9999-12-31", "date"),
        ("date=0001-01-01", "date"),
        ("cursor=WzEwMDAwMDAwMDAwMDAsMV0", "cursor"),  # [1000000000000, 1]
    ],
)
def test_bad_agenda_input_is_422_naming_the_field(
    tokens: dict[str, str | None], query: str, field: str
) -> None:
    response = call("get", f"/api/v1/agenda?{query}", tokens["bob"])
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [field]


def test_the_agenda_pages_with_a_cursor(tokens: dict[str, str | None]) -> None:
    for i in range(5):
        birthday(make_person(given_name=f"P{i}"), 3, 10 + i)
    seen: list[str] = []
    cursor = ""
    for _page in range(10):
        path = f"/api/v1/agenda?date=2026-03-09&days=10&limit=2&cursor={cursor}"
        data = call("get", path, tokens["bob"]).json()
        seen += [e["call_names"] for e in data["entries"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == ["P0", "P1", "P2", "P3", "P4"]


def test_the_list_pages_in_calendar_order(tokens: dict[str, str | None]) -> None:
    for i, month in enumerate([5, 1, 3]):
        birthday(make_person(given_name=f"P{i}"), month, 1)
    first = call("get", "/api/v1/occasions?limit=2", tokens["bob"]).json()
    second = call("get", f"/api/v1/occasions?limit=2&cursor={first['next_cursor']}", tokens["bob"])
    months = [o["month"] for o in first["items"]] + [o["month"] for o in second.json()["items"]]
    assert months == [1, 3, 5]
    assert second.json()["next_cursor"] is None


def test_idempotency_key_creates_an_occasion_once(tokens: dict[str, str | None]) -> None:
    anne = make_person()
    body = {"person_id": anne.pk, "kind": "birthday", "month": 4, "day": 12}
    first = call("post", "/api/v1/occasions", tokens["bob"], body, **{"Idempotency-Key": "o1"})
    again = call("post", "/api/v1/occasions", tokens["bob"], body, **{"Idempotency-Key": "o1"})
    assert again.content == first.content
    assert Occasion.objects.count() == 1


def test_an_offer_outcome_on_a_call_is_422_naming_used(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    touch = occasion_touch_log(
        actor=None,
        occasion=Occasion.objects.get(pk=world["birth"]),
        year=2025,
        kind="call",
        summary="Hi",
    )
    before = db_state()
    path = f"/api/v1/occasions/touches/{touch.pk}"
    response = call("patch", path, tokens["bob"], {"offer_used": True})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["used"]
    assert db_state() == before
    assert OccasionTouch.objects.get(pk=touch.pk).offer_used is None
