"""The touch budget over HTTP: the policy (staff read, managers change), a person's balance and
own limits, logging a call, and the people to stay in touch with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.commerce.tests.factories import buy
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch, TouchPolicy
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import call, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def regular(name: str) -> Person:
    person = make_person(given_name=name)
    for n in (10, 40, 70, 100):
        buy(person, days=n)
    assert person.journey.stage == "regular"  # type: ignore[attr-defined]
    return person


def gave(person: Person, days_ago: int) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago)
    touches_record(
        rows=[TouchRow(person_id=person.pk, at=at, purpose="marketing", intent="giving")]
    )


@pytest.fixture
def world() -> dict[str, int]:
    anne = make_person(given_name="Anne")
    return {"anne": anne.pk}


ALL = (200, 200, 200)
LIMITS = {"short_max": 2}
MATRIX = [
    ("touch_policy_get", "get", "/api/v1/touch-policy", None, ALL),
    ("touch_policy_update", "patch", "/api/v1/touch-policy", {"short_max": 2}, (403, 200, 200)),
    ("balance_get", "get", "/api/v1/people/{anne}/balance", None, ALL),
    (
        "touch_log",
        "post",
        "/api/v1/people/{anne}/touches",
        {"channel": "phone", "intent": "giving", "summary": "Called to say thanks"},
        (201, 201, 201),
    ),
    (
        "person_touch_policy_set",
        "put",
        "/api/v1/people/{anne}/touch-policy",
        LIMITS,
        (403, *ALL[1:]),
    ),
    ("stay_in_touch_list", "get", "/api/v1/stay-in-touch", None, ALL),
]

test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_touch_operation_is_in_the_matrix() -> None:
    assert operation_ids("touches") == {m[0] for m in MATRIX}


def test_a_manager_changes_the_policy_and_reads_it_back(tokens: dict[str, str | None]) -> None:
    body = {"long_max": 6, "quiet_start": "22:00", "stay_in_touch_stages": ["regular", "advocate"]}
    response = call("patch", "/api/v1/touch-policy", tokens["maria"], body)
    assert response.status_code == 200, response.content
    read = call("get", "/api/v1/touch-policy", tokens["bob"]).json()
    assert {k: read[k] for k in ("short_max", "long_max", "quiet_start", "quiet_end")} == {
        "short_max": 1,
        "long_max": 6,
        "quiet_start": "22:00",
        "quiet_end": "08:00",
    }
    assert read["stay_in_touch_stages"] == ["regular", "advocate"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"short_days": 400}, "short_days"),
        ({"quiet_end": "8 o'clock"}, "quiet_end"),
        ({"stay_in_touch_stages": ["vip"]}, "stay_in_touch_stages"),
        ({"short_max": "many"}, "short_max"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_policy_input_gets_a_422_naming_the_field(
    tokens: dict[str, str | None], body: dict[str, object], field: str
) -> None:
    response = call("patch", "/api/v1/touch-policy", tokens["maria"], body)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert TouchPolicy.objects.count() == 0


def test_the_balance_shows_transactional_messages_and_the_verdicts(
    tokens: dict[str, str | None],
) -> None:
    anne = make_person(given_name="Anne")
    now = timezone.now()
    touches_record(
        rows=[
            TouchRow(
                person_id=anne.pk,
                at=now - dt.timedelta(days=5),
                purpose="marketing",
                intent="asking",
            ),
            TouchRow(
                person_id=anne.pk,
                at=now - dt.timedelta(days=3),
                purpose="transactional",
                intent="neutral",
                summary="Booking confirmed",
            ),
        ]
    )
    data = call("get", f"/api/v1/people/{anne.pk}/balance", tokens["bob"]).json()
    assert (data["giving"], data["asking"], data["transactional"]) == (0, 1, 1)
    assert data["last_giving"] is None
    assert data["marketing"] == {
        "allowed": False,
        "reason": "1 marketing touch in the last 14 days (limit 1)",
    }
    assert data["next_ask"]["allowed"] is False


def test_logging_a_call_with_a_bad_channel_names_the_field(
    tokens: dict[str, str | None],
) -> None:
    anne = make_person(given_name="Anne")
    body = {"channel": "fax", "intent": "giving", "summary": "Sent a fax"}
    response = call("post", f"/api/v1/people/{anne.pk}/touches", tokens["bob"], body)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["channel"]
    assert Touch.objects.count() == 0


def test_logging_a_call_in_the_future_names_the_time(tokens: dict[str, str | None]) -> None:
    anne = make_person(given_name="Anne")
    body = {
        "channel": "phone",
        "intent": "giving",
        "summary": "Will call",
        "at": "2099-01-01T10:00:00Z",
    }
    response = call("post", f"/api/v1/people/{anne.pk}/touches", tokens["bob"], body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"at": ["This is in the future."]}
    assert Touch.objects.count() == 0


def test_a_manager_sets_and_clears_a_persons_limits(tokens: dict[str, str | None]) -> None:
    anne = make_person(given_name="Anne")
    url = f"/api/v1/people/{anne.pk}/touch-policy"
    data = call("put", url, tokens["maria"], {"short_max": 3, "note": "asked for more"}).json()
    assert data["limits"]["short_max"] == 3
    assert data["own_limits"]["short_max"] == 3
    assert PersonTouchPolicy.objects.get(person=anne).note == "asked for more"
    data = call("put", url, tokens["maria"], {}).json()
    assert data["limits"]["short_max"] == 1
    assert PersonTouchPolicy.objects.count() == 0


def test_stay_in_touch_lists_regulars_given_nothing_for_months(
    tokens: dict[str, str | None],
) -> None:
    rita, rob, ron = regular("Rita"), regular("Rob"), regular("Ron")
    gave(rita, 210)
    gave(rob, 30)
    first = call("get", "/api/v1/stay-in-touch?limit=1", tokens["bob"]).json()
    assert [i["name"] for i in first["items"]] == [ron.full_name]
    assert first["items"][0]["last_given"] is None
    url = f"/api/v1/stay-in-touch?limit=1&cursor={first['next_cursor']}"
    second = call("get", url, tokens["bob"]).json()
    assert [(i["name"], i["stage"]) for i in second["items"]] == [(rita.full_name, "regular")]
    assert second["next_cursor"] is None
