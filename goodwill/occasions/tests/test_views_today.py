"""The Today page: every route × role, what it lists for a fixed day, its one-click actions,
paging, another day, a bad date, escaping and its query budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.occasions.models import OccasionTouch, OccasionYear
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.occasions.services.memory import occasion_mark_done
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.tests.web_world import ESCAPED, SCRIPT, build, person, today_url, url
from goodwill.timeline.models import Interaction

ALL_OK = (200, 200, 200)
ALL_REDIRECT = (302, 302, 302)
POST_ONLY = (405, 405, 405)


@pytest.fixture(autouse=True)
def _settings_rows(db: None) -> None:
    """The business profile and occasion settings exist before any snapshot."""
    business_get()
    occasion_settings()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    return build({"alice": alice, "maria": maria, "bob": bob, "charlie": charlie})


def _done(key: str, year: int = 2026) -> Any:
    return lambda w, _u: list(
        OccasionYear.objects.filter(occasion=w[key], year=year).values_list("done_by", flat=True)
    )


ROUTES = [
    Route("today", "get", lambda w: reverse("occasions:today"), ALL_OK),
    Route("today another day", "get", lambda w: today_url(), ALL_OK),
    Route("occasion_call", "get", url("occasion_call", "wedding"), POST_ONLY),
    Route(
        "occasion_call",
        "post",
        url("occasion_call", "wedding"),
        ALL_REDIRECT,
        lambda w: {"year": "2026"},
        audit="occasion.touch",
        check=effect(
            lambda w, _u: list(
                OccasionTouch.objects.filter(record__occasion=w["wedding"]).values_list(
                    "kind", "channel", "record__year", "record__done_by", "created_by"
                )
            ),
            lambda w, user: [("call", "phone", 2026, user.pk, user.pk)],
        ),
    ),
    Route("occasion_done", "get", url("occasion_done", "wedding"), POST_ONLY),
    Route(
        "occasion_done",
        "post",
        url("occasion_done", "wedding"),
        ALL_REDIRECT,
        lambda w: {"year": "2026"},
        audit="occasion.done",
        check=effect(_done("wedding"), lambda w, user: [user.pk]),
    ),
    Route("occasion_undone", "get", url("occasion_undone", "name_day"), POST_ONLY),
    Route(
        "occasion_undone",
        "post",
        url("occasion_undone", "name_day"),
        ALL_REDIRECT,
        lambda w: {"year": "2026"},
        audit="occasion.undone",
        check=effect(_done("name_day"), [None]),
    ),
    Route(
        "occasion_done archived",
        "post",
        url("occasion_done", "zed_birthday"),
        (404, 302, 302),
        lambda w: {"year": "2026"},
        audit="occasion.done",
        check=effect(_done("zed_birthday"), lambda w, user: [user.pk]),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def _sections(response: Any) -> dict[str, list[tuple[str, str, int]]]:
    page = response.context["page"]
    return {
        name: [(e.occasion.title, e.turning_label, e.days_until) for e in getattr(page, name)]
        for name in ("today", "upcoming", "done")
    }


def test_it_lists_today_coming_up_and_already_congratulated(
    world: dict[str, Any], bob_client: Client
) -> None:
    response = bob_client.get(today_url())
    assert response.status_code == 200
    assert _sections(response) == {
        "today": [("Birthday", "turns 40", 0)],
        "upcoming": [("Wedding anniversary", "10th anniversary", 3), ("First stay", "", 5)],
        "done": [("Name day", "", 1)],
    }
    html = response.content.decode()
    assert "Monday 15 June 2026" in html
    assert "in 3 days" in html
    assert "Zed" not in html  # archived people's occasions stay off the agenda


def test_everyone_congratulated_earlier_this_year_is_listed_too(
    world: dict[str, Any], bob_client: Client
) -> None:
    march = occasion_create(actor=None, kind="birthday", month=3, day=2, person=world["ben"])
    occasion_mark_done(actor=world["bob"], occasion=march, year=2026)
    occasion_mark_done(actor=None, occasion=world["zed_birthday"], year=2026)  # archived
    last_year = occasion_create(
        actor=None, kind="custom", label="Name day", month=1, day=9, person=world["ann"]
    )
    occasion_mark_done(actor=None, occasion=last_year, year=2025)

    response = bob_client.get(today_url())

    earlier = response.context["earlier"]
    assert [(c.record.occasion, c.call_names) for c in earlier] == [(march, "Ben")]
    html = response.content.decode()
    assert "Earlier this year" in html
    assert f'href="/occasions/{march.pk}/?year=2026"' in html
    assert "by bob@example.com" in html


def test_each_entry_shows_who_linked_and_the_couple_together(
    world: dict[str, Any], bob_client: Client
) -> None:
    html = bob_client.get(today_url()).content.decode()
    jack = reverse("people:person_detail", args=[world["jack"].pk])
    ann = reverse("people:person_detail", args=[world["ann"].pk])
    assert f'<a href="{ann}">Ann Harris</a> &amp; <a href="{jack}">Jack Harris</a>' in html
    assert 'aria-label="Draft a greeting for Ann and Jack"' in html
    greeting = reverse("outreach:greeting", args=[world["wedding"].pk]) + "?year=2026"
    assert greeting in html


def test_last_years_touch_and_its_outcome_are_shown(
    world: dict[str, Any], bob_client: Client
) -> None:
    html = bob_client.get(today_url()).content.decode()
    assert "Offer made — 10% off a spa weekend (email) · outcome unknown" in html
    assert html.count("Last year: nothing recorded.") == 3


def test_a_congratulated_entry_offers_undo_instead_of_the_actions(
    world: dict[str, Any], bob_client: Client
) -> None:
    response = bob_client.get(today_url())
    done = response.context["page"].done[0]
    assert done.occasion == world["name_day"]
    html = response.content.decode()
    assert reverse("occasions:occasion_undone", args=[world["name_day"].pk]) in html
    assert reverse("occasions:occasion_done", args=[world["name_day"].pk]) not in html


def test_log_a_call_marks_done_and_logs_a_giving_call_for_both(
    world: dict[str, Any], bob_client: Client
) -> None:
    here = today_url()
    response = bob_client.post(
        url("occasion_call", "wedding")(world), {"year": "2026", "next": here}
    )
    assert (response.status_code, response["Location"]) == (302, here)
    calls = Interaction.objects.filter(kind="call").order_by("person_id")
    assert [(i.person_id, i.kind, i.intent, i.direction) for i in calls] == sorted(
        [
            (world["jack"].pk, "call", "giving", "outbound"),
            (world["ann"].pk, "call", "giving", "outbound"),
        ]
    )
    assert calls[0].summary == "Called to congratulate: Wedding anniversary"
    after = bob_client.get(here)
    assert [e.occasion for e in after.context["page"].done] == [
        world["name_day"],
        world["wedding"],
    ]
    assert "Call with Ann and Jack logged." in after.content.decode()


def test_an_outside_next_url_goes_to_today(world: dict[str, Any], bob_client: Client) -> None:
    data = {"year": "2026", "next": "https://evil.example/"}
    response = bob_client.post(url("occasion_done", "wedding")(world), data)
    assert response["Location"] == reverse("occasions:today")


def test_an_action_without_a_year_changes_nothing(
    world: dict[str, Any], bob_client: Client
) -> None:
    before = db_state()
    response = bob_client.post(url("occasion_done", "wedding")(world), {"year": "soon"})
    assert response.status_code == 422
    assert db_state() == before


def test_an_impossible_year_changes_nothing(world: dict[str, Any], bob_client: Client) -> None:
    before = db_state()
    response = bob_client.post(url("occasion_call", "wedding")(world), {"year": "3000"})
    assert response.status_code == 422
    assert db_state() == before


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "15/06/2026"])
def test_a_bad_date_says_so_on_the_page(
    world: dict[str, Any], bob_client: Client, bad: str
) -> None:
    response = bob_client.get(reverse("occasions:today"), {"date": bad})
    assert response.status_code == 422
    assert response.context["page"] is None
    html = response.content.decode()
    assert "That day could not be shown." in html
    assert "Give the day as YYYY-MM-DD, for example 2026-04-12." in html


@pytest.mark.parametrize(
    "query", ["date=9999-12-31", "date=0001-01-01", "cursor=WzEwMDAwMDAwMDAwMDAsMV0"]
)
def test_a_date_or_cursor_out_of_range_says_so_on_the_page(
    world: dict[str, Any], bob_client: Client, query: str
) -> None:
    response = bob_client.get(reverse("occasions:today") + "?" + query)
    assert response.status_code == 422
    assert "That day could not be shown." in response.content.decode()


def test_a_bad_cursor_says_so_on_the_page(world: dict[str, Any], bob_client: Client) -> None:
    response = bob_client.get(reverse("occasions:today"), {"date": "2026-06-15", "cursor": "!!"})
    assert response.status_code == 422
    assert response.context["form"].errors


def test_another_day_has_its_own_agenda(world: dict[str, Any], bob_client: Client) -> None:
    response = bob_client.get(today_url(dt.date(2026, 6, 18)))
    assert _sections(response)["today"] == [("Wedding anniversary", "10th anniversary", 0)]
    html = response.content.decode()
    assert "?date=2026-06-17" in html
    assert "?date=2026-06-19" in html


def test_more_pages_follow_the_cursor(world: dict[str, Any], bob_client: Client) -> None:
    for n in range(50):
        someone = person(f"Guest{n:02d}", "Lee")
        occasion_create(actor=None, kind="birthday", month=6, day=19, person=someone)
    first = bob_client.get(today_url())
    page = first.context["page"]
    assert len(page.entries) == 50
    assert page.next_cursor
    assert "More</a>" in first.content.decode()
    second = bob_client.get(
        reverse("occasions:today"), {"date": "2026-06-15", "cursor": page.next_cursor}
    )
    rest = second.context["page"]
    assert [e.occasion.title for e in rest.entries] == [
        "Birthday",
        "Birthday",
        "Birthday",
        "First stay",
    ]
    assert rest.next_cursor is None
    seen = {e.occasion.pk for e in page.entries} | {e.occasion.pk for e in rest.entries}
    assert len(seen) == 54


def test_the_landing_page_after_login_and_home_is_today(
    world: dict[str, Any], bob_client: Client
) -> None:
    assert bob_client.get("/")["Location"] == reverse("occasions:today")
    html = bob_client.get(reverse("occasions:today")).content.decode()
    assert f'<a href="{reverse("occasions:today")}">Today</a>' in html


def test_names_are_shown_as_text(world: dict[str, Any], bob_client: Client) -> None:
    evil = person(SCRIPT, emails=["e@example.com"])
    occasion_create(actor=None, kind="custom", label=SCRIPT, month=6, day=15, person=evil)
    html = bob_client.get(today_url()).content.decode()
    assert SCRIPT not in html
    assert f">{ESCAPED} Harris</a>" in html


def test_the_page_reads_a_fixed_number_of_queries(
    world: dict[str, Any], bob_client: Client, django_assert_num_queries: Any
) -> None:
    bob_client.get(today_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        bob_client.get(today_url())
    for n in range(6):
        someone = person(f"Guest{n}", "Lee", emails=[f"g{n}@example.com"])
        occasion_create(actor=None, kind="birthday", month=6, day=16, year=1990, person=someone)
    with django_assert_num_queries(len(few)):
        bob_client.get(today_url())


def test_the_entries_fragment_for_htmx(world: dict[str, Any], bob_client: Client) -> None:
    response = bob_client.get(today_url(), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda">')
    assert "<html" not in html


def test_an_htmx_action_comes_back_as_the_agenda_with_its_message(
    world: dict[str, Any], bob_client: Client
) -> None:
    response = bob_client.post(
        url("occasion_done", "wedding")(world),
        {"year": "2026", "next": today_url()},
        headers={"HX-Request": "true"},
        follow=True,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda">')
    assert "Ann and Jack: marked done." in html
    assert [e.occasion for e in response.context["page"].done] == [
        world["name_day"],
        world["wedding"],
    ]
