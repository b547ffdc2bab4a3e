"""The touch budget's pages: every route × role, the person page's giving-and-asking section,
the policy page (staff read, managers change) and "stay in touch"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.commerce.tests.factories import buy
from goodwill.core.tests.matrix import ROLES, Route, check_route, effect
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch, TouchPolicy
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    business_get()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    anne = make_person(given_name="Anne", family_name="Lee")
    return {"alice": alice, "maria": maria, "bob": bob, "charlie": charlie, "anne": anne}


POLICY_FORM = {
    "short_max": "2",
    "short_days": "14",
    "long_max": "4",
    "long_days": "90",
    "min_gap_hours": "48",
    "quiet_start": "21:30",
    "quiet_end": "08:00",
    "giving_before_asking": "on",
    "stay_in_touch_days": "120",
    "stay_in_touch_stages": ["regular", "advocate"],
}


def _touches(w: Any, _u: Any) -> list[tuple[str, str, str]]:
    return list(Touch.objects.values_list("channel", "intent", "summary"))


ROUTES = [
    Route(
        "touch_add",
        "post",
        lambda w: reverse("outreach:touch_add", args=[w["anne"].pk]),
        (302, 302, 302),
        lambda w: {"channel": "in_person", "intent": "giving", "summary": "Brought a cake"},
        audit="touch.log",
        check=effect(_touches, [("in_person", "giving", "Brought a cake")]),
    ),
    Route(
        "touch_add",
        "get",
        lambda w: reverse("outreach:touch_add", args=[w["anne"].pk]),
        (405, 405, 405),
    ),
    Route(
        "person_limits",
        "post",
        lambda w: reverse("outreach:person_limits", args=[w["anne"].pk]),
        (403, 302, 302),
        lambda w: {"short_max": "3", "short_days": "", "note": "likes news"},
        audit="touch_policy.person",
        check=effect(
            lambda w, _u: list(PersonTouchPolicy.objects.values_list("short_max", "short_days")),
            [(3, None)],
        ),
    ),
    Route("touch_policy", "get", lambda w: reverse("outreach:touch_policy"), (200, 200, 200)),
    Route(
        "touch_policy",
        "post",
        lambda w: reverse("outreach:touch_policy"),
        (403, 302, 302),
        lambda w: POLICY_FORM,
        audit="touch_policy.update",
        check=effect(
            lambda w, _u: TouchPolicy.objects.values_list(
                "short_max", "quiet_start", "stay_in_touch_stages"
            ).get(),
            (2, dt.time(21, 30), ["regular", "advocate"]),
        ),
    ),
    Route("stay_in_touch", "get", lambda w: reverse("outreach:stay_in_touch"), (200, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_route_answers_each_role(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_touch_url_is_in_the_matrix() -> None:
    from goodwill.outreach.views.touch_urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name.split()[0] for r in ROUTES}


def _page(client: Client, person: Person) -> str:
    response = client.get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_person_page_shows_the_balance_and_what_may_go_now(bob_client: Client) -> None:
    anne = make_person(given_name="Anne")
    now = timezone.now()
    touches_record(
        rows=[
            TouchRow(person_id=anne.pk, at=now - dt.timedelta(days=100), purpose="marketing",
                     intent="giving"),
            TouchRow(person_id=anne.pk, at=now - dt.timedelta(days=5), purpose="one_to_one",
                     intent="asking", channel="phone"),
            TouchRow(person_id=anne.pk, at=now - dt.timedelta(days=2, hours=1),
                     purpose="transactional", intent="neutral"),
            TouchRow(person_id=anne.pk, at=now - dt.timedelta(days=400), purpose="marketing",
                     intent="giving"),
        ]
    )  # fmt: skip

    page = _page(bob_client, anne)

    assert "<dt>Giving touches</dt><dd>1</dd>" in page
    assert "<dt>Asking touches</dt><dd>1</dd>" in page
    assert "<dt>Transactional messages</dt><dd>1 " in page
    assert "1 marketing touch in the last 14 days (limit 1)" in page
    assert "asking again before a giving touch" not in page  # the offer rule comes first
    assert 'id="touch-form"' in page
    assert 'id="person-limits"' not in page  # staff do not set limits


def test_a_manager_sees_the_persons_own_limits(maria: User) -> None:
    client = Client()
    client.force_login(maria)
    anne = make_person(given_name="Anne")
    client.post(reverse("outreach:person_limits", args=[anne.pk]), {"short_max": "2"})

    page = _page(client, anne)

    assert 'id="person-limits" open' in page
    assert 'name="short_max" id="id_limit_short_max" value="2"' in page
    assert 'name="long_max" id="id_limit_long_max" value="" placeholder="4"' in page


def test_logging_a_touch_shows_on_the_timeline_escaped(bob_client: Client) -> None:
    anne = make_person(given_name="Anne")
    url = reverse("outreach:touch_add", args=[anne.pk])

    response = bob_client.post(
        url, {"channel": "phone", "intent": "asking", "summary": SCRIPT}, follow=True
    )

    html = response.content.decode()
    assert "Touch logged on Anne Harris&#x27;s page." in html
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<dt>Asking touches</dt><dd>1</dd>" in html


def test_a_bad_touch_names_the_problem_and_logs_nothing(bob_client: Client) -> None:
    anne = make_person(given_name="Anne")
    url = reverse("outreach:touch_add", args=[anne.pk])

    response = bob_client.post(url, {"channel": "phone", "intent": "giving"}, follow=True)

    assert "Say in a few words what happened." in response.content.decode()
    assert Touch.objects.count() == 0


def test_staff_see_the_policy_read_only(bob_client: Client) -> None:
    html = bob_client.get(reverse("outreach:touch_policy")).content.decode()

    assert "Only managers and owners can change the policy." in html
    assert "Save policy" not in html
    assert '<input type="number" name="short_max" value="1" required disabled' in html


def test_a_bad_policy_value_is_shown_next_to_its_field(maria: User) -> None:
    client = Client()
    client.force_login(maria)

    response = client.post(reverse("outreach:touch_policy"), POLICY_FORM | {"long_days": "400"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"long_days": ["A whole number from 1 to 365."]}
    assert TouchPolicy.objects.count() == 0


def _regular(name: str) -> Person:
    person = make_person(given_name=name, family_name="Stone")
    for n in (10, 40, 70, 100):
        buy(person, days=n)
    return person


def _gave(person: Person, days: int) -> None:
    at = timezone.now() - dt.timedelta(days=days)
    touches_record(
        rows=[TouchRow(person_id=person.pk, at=at, purpose="one_to_one", intent="giving")]
    )


def test_stay_in_touch_lists_a_regular_given_nothing_for_seven_months(
    bob_client: Client, django_assert_max_num_queries: Any
) -> None:
    rita, rob = _regular("Rita"), _regular("Rob")
    _gave(rita, 213)
    _gave(rob, 30)
    make_person(given_name="Nina")  # not a regular

    with django_assert_max_num_queries(8):
        html = bob_client.get(reverse("outreach:stay_in_touch")).content.decode()

    assert "Rita Stone" in html
    assert "Rob Stone" not in html
    assert "Nina" not in html
    assert "last given something on" in html
    assert "People whose journey stage is regular and who had no giving touch" in html


def test_the_agenda_links_to_stay_in_touch(bob_client: Client) -> None:
    html = bob_client.get(reverse("occasions:today")).content.decode()
    assert f'href="{reverse("outreach:stay_in_touch")}"' in html


def test_todays_agenda_shows_who_is_waiting_for_a_giving_touch(bob_client: Client) -> None:
    rita, rob = _regular("Rita"), _regular("Rob")
    _gave(rita, 213)
    _gave(rob, 30)

    html = bob_client.get(reverse("occasions:today")).content.decode()
    section = html[html.index('id="agenda-stay-in-touch"') :]
    assert "Rita Stone" in section
    assert "Rob Stone" not in section

    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    other_day = bob_client.get(reverse("occasions:today"), {"date": tomorrow}).content.decode()
    assert 'id="agenda-stay-in-touch"' not in other_day
