"""Occasion pages: every route × role, adding and editing with clear errors, the yearly memory,
and the Occasions section on the person, couple and household pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.tests.web_world import ESCAPED, SCRIPT, build, person, url
from goodwill.timeline.models import Interaction

ALL_OK = (200, 200, 200)
MANAGERS_OK = (403, 200, 200)
ALL_REDIRECT = (302, 302, 302)
MANAGERS_REDIRECT = (403, 302, 302)
POST_ONLY = (405, 405, 405)


@pytest.fixture(autouse=True)
def _settings_rows(db: None) -> None:
    """The business profile and occasion settings exist before any snapshot."""
    business_get()
    occasion_settings()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    return build({"alice": alice, "maria": maria, "bob": bob, "charlie": charlie})


def _payload(**overrides: Any) -> dict[str, Any]:
    return {"month": "9", "day": "3", "year": "", "source": "told_us"} | overrides


def _added(owner: str, key: str, kind: str) -> Any:
    return effect(
        lambda w, _u: list(
            Occasion.objects.filter(**{owner: w[key]}, kind=kind, month=9).values_list(
                "day", "label", "created_by"
            )
        ),
        lambda w, user: [(3, "First date" if kind != "birthday" else "", user.pk)],
    )


def _field(key: str, name: str) -> Any:
    return lambda w, _u: getattr(Occasion.objects.get(pk=w[key].pk), name)


def _touches(w: Any, _u: Any) -> list[tuple[str, str, int]]:
    rows = OccasionTouch.objects.filter(record__occasion=w["wedding"])
    return list(rows.values_list("kind", "summary", "record__year"))


ROUTES = [
    Route("occasion_add_person", "get", url("occasion_add_person", "jack"), ALL_OK),
    Route(
        "occasion_add_person",
        "post",
        url("occasion_add_person", "jack"),
        ALL_REDIRECT,
        lambda w: _payload(kind="birthday"),
        audit="occasion.create",
        check=_added("person", "jack", "birthday"),
    ),
    Route("occasion_add_relationship", "get", url("occasion_add_relationship", "couple"), ALL_OK),
    Route(
        "occasion_add_relationship",
        "post",
        url("occasion_add_relationship", "couple"),
        ALL_REDIRECT,
        lambda w: _payload(kind="anniversary", label="First date"),
        audit="occasion.create",
        check=_added("relationship", "couple", "anniversary"),
    ),
    Route("occasion_add_household", "get", url("occasion_add_household", "home"), ALL_OK),
    Route(
        "occasion_add_household",
        "post",
        url("occasion_add_household", "home"),
        ALL_REDIRECT,
        lambda w: _payload(kind="custom", label="First date"),
        audit="occasion.create",
        check=_added("household", "home", "custom"),
    ),
    Route("occasion_detail", "get", url("occasion_detail", "birthday"), ALL_OK),
    Route(
        "occasion_detail archived", "get", url("occasion_detail", "zed_birthday"), (404, 200, 200)
    ),
    Route("occasion_edit", "get", url("occasion_edit", "birthday"), ALL_OK),
    Route(
        "occasion_edit",
        "post",
        url("occasion_edit", "birthday"),
        ALL_REDIRECT,
        lambda w: _payload(month="6", day="14", year="1986", lead_days="3"),
        audit="occasion.update",
        check=effect(
            lambda w, u: (_field("birthday", "day")(w, u), _field("birthday", "lead_days")(w, u)),
            (14, 3),
        ),
    ),
    Route(
        "occasion_edit archived",
        "post",
        url("occasion_edit", "zed_birthday"),
        (404, 302, 302),
        lambda w: _payload(month="6", day="18"),
        audit="occasion.update",
        check=effect(_field("zed_birthday", "day"), 18),
    ),
    Route("occasion_delete", "get", url("occasion_delete", "stay"), MANAGERS_OK),
    Route(
        "occasion_delete",
        "post",
        url("occasion_delete", "stay"),
        MANAGERS_REDIRECT,
        audit="occasion.delete",
        check=effect(lambda w, _u: Occasion.objects.filter(pk=w["stay"].pk).exists(), False),
    ),
    Route("occasion_touch_add", "get", url("occasion_touch_add", "wedding"), POST_ONLY),
    Route(
        "occasion_touch_add",
        "post",
        url("occasion_touch_add", "wedding"),
        ALL_REDIRECT,
        lambda w: {
            "year": "2026",
            "kind": "offer",
            "summary": "A bottle of bubbly",
            "mark_done": "on",
        },
        audit="occasion.touch",
        check=effect(_touches, [("offer", "A bottle of bubbly", 2026)]),
    ),
    Route("touch_outcome", "get", url("touch_outcome", "birthday", "offer"), POST_ONLY),
    Route(
        "touch_outcome",
        "post",
        url("touch_outcome", "birthday", "offer"),
        ALL_REDIRECT,
        lambda w: {"used": "1"},
        audit="occasion.offer_outcome",
        check=effect(lambda w, _u: OccasionTouch.objects.get(pk=w["offer"].pk).offer_used, True),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def _post_refused(client: Client, path: str, data: dict[str, Any]) -> Any:
    before = db_state()
    response = client.post(path, data)
    assert response.status_code == 422, response.status_code
    assert db_state() == before
    return response


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_payload(kind="birthday", month="2", day="30"), "day", "February has at most 29 days."),
        (_payload(kind="birthday", month="13"), "month", "Give a month from 1 to 12."),
        (
            _payload(kind="birthday", month="2", day="29", year="2023"),
            "day",
            "2023 was not a leap year.",
        ),
        (
            _payload(kind="birthday", lead_days="400"),
            "lead_days",
            "Give a lead time from 0 to 365 days.",
        ),
        (
            _payload(kind="birthday", lead_days="-1"),
            "lead_days",
            "Give a lead time from 0 to 365 days.",
        ),
        (_payload(kind="birthday", day="x"), "day", "Enter a whole number."),
        (_payload(kind="custom"), "label", "Say what the date is (“shop opening”)."),
    ],
)
def test_a_bad_date_is_refused_on_its_field(
    world: dict[str, Any], bob_client: Client, data: dict[str, Any], field: str, message: str
) -> None:
    path = url("occasion_add_person", "jack")(world)
    response = _post_refused(bob_client, path, data)
    assert response.context["form"].errors[field] == [message]
    assert "Nothing was saved." in response.content.decode()


def test_an_anniversary_on_a_relationship_that_is_not_a_couple_is_refused(
    world: dict[str, Any], bob_client: Client
) -> None:
    path = url("occasion_add_relationship", "friends")(world)
    data = _payload(kind="wedding_anniversary")
    response = _post_refused(bob_client, path, data)
    assert response.context["form"].non_field_errors() == [
        "Ann Harris — friend — Ben Stone is not a couple: "
        "only spouses or partners share an occasion."
    ]


def test_a_second_birthday_is_refused(world: dict[str, Any], bob_client: Client) -> None:
    path = url("occasion_add_person", "ann")(world)
    response = _post_refused(bob_client, path, _payload(kind="birthday"))
    assert response.context["form"].errors["kind"] == ["This person already has a birthday."]


def test_editing_with_a_bad_date_changes_nothing(world: dict[str, Any], bob_client: Client) -> None:
    path = url("occasion_edit", "birthday")(world)
    response = _post_refused(bob_client, path, _payload(month="4", day="31"))
    assert response.context["form"].errors["day"] == ["April has at most 30 days."]


def test_adding_without_a_year_and_with_the_default_lead_time(
    world: dict[str, Any], bob_client: Client
) -> None:
    path = url("occasion_add_person", "jack")(world)
    response = bob_client.post(path, _payload(kind="birthday", month="4", day="12"))
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("people:person_detail", args=[world["jack"].pk]) + "#occasions"
    )
    occasion = Occasion.objects.get(person=world["jack"], kind="birthday")
    assert (occasion.date_label, occasion.lead_days, occasion.noted_by) == (
        "--04-12",
        None,
        world["bob"],
    )


def test_the_occasion_page_shows_last_years_touch_and_its_outcome(
    world: dict[str, Any], bob_client: Client
) -> None:
    occasion_touch_log(
        actor=None, occasion=world["birthday"], year=2024, kind="call", summary="Sang on the phone"
    )
    response = bob_client.get(url("occasion_detail", "birthday", query="?year=2026")(world))
    html = response.content.decode()
    assert (response.context["year"], response.context["last_year_number"]) == (2026, 2025)
    last = response.context["last_year"]
    assert [t.summary for t in last.touches.all()] == ["10% off a spa weekend"]
    assert "Last year (2025)" in html
    assert "What we did in 2026" in html
    assert "outcome unknown" in html
    assert "Sang on the phone" in html
    assert [h.year for h in response.context["history"]] == [2025, 2024]


def test_logging_what_we_did_this_year(world: dict[str, Any], bob_client: Client) -> None:
    path = url("occasion_touch_add", "wedding")(world)
    data = {"year": "2026", "kind": "gift", "summary": "Flowers", "channel": "in person"}
    response = bob_client.post(path, data)
    assert response.status_code == 302
    touch = OccasionTouch.objects.get(record__occasion=world["wedding"])
    assert (touch.kind, touch.summary, touch.channel, touch.record.done_at) == (
        "gift",
        "Flowers",
        "in person",
        None,
    )
    people = sorted(Interaction.objects.filter(kind="note").values_list("person_id", "intent"))
    assert people == sorted([(world["jack"].pk, "giving"), (world["ann"].pk, "giving")])


def test_logging_without_a_summary_changes_nothing(
    world: dict[str, Any], bob_client: Client
) -> None:
    path = url("occasion_touch_add", "wedding")(world)
    response = _post_refused(bob_client, path, {"year": "2026", "kind": "call", "summary": ""})
    assert response.context["form"].errors["summary"] == ["This field is required."]


def test_an_offer_can_be_marked_not_used(world: dict[str, Any], bob_client: Client) -> None:
    path = url("touch_outcome", "birthday", "offer")(world)
    assert bob_client.post(path, {"used": "0"}).status_code == 302
    assert OccasionTouch.objects.get(pk=world["offer"].pk).offer_used is False


def test_a_touch_of_another_occasion_is_not_found(
    world: dict[str, Any], bob_client: Client
) -> None:
    path = reverse("occasions:touch_outcome", args=[world["wedding"].pk, world["offer"].pk])
    before = db_state()
    assert bob_client.post(path, {"used": "1"}).status_code == 404
    assert db_state() == before


def test_the_person_page_shows_their_occasions(world: dict[str, Any], bob_client: Client) -> None:
    response = bob_client.get(reverse("people:person_detail", args=[world["ann"].pk]))
    html = response.content.decode()
    assert 'id="occasions"' in html
    assert reverse("occasions:occasion_detail", args=[world["birthday"].pk]) in html
    assert "15 June 1986" in html
    assert reverse("occasions:occasion_add_person", args=[world["ann"].pk]) in html
    assert reverse("occasions:occasion_delete", args=[world["birthday"].pk]) not in html


def test_a_manager_sees_delete_on_the_person_page(
    world: dict[str, Any], maria_client: Client
) -> None:
    response = maria_client.get(reverse("people:person_detail", args=[world["ann"].pk]))
    assert reverse("occasions:occasion_delete", args=[world["birthday"].pk]) in (
        response.content.decode()
    )


def test_a_couples_page_shows_the_wedding_anniversary(
    world: dict[str, Any], bob_client: Client
) -> None:
    page = reverse("people:relationship_edit", args=[world["jack"].pk, world["couple"].pk])
    html = bob_client.get(page).content.decode()
    assert reverse("occasions:occasion_detail", args=[world["wedding"].pk]) in html
    assert "18 June 2016" in html
    friends = reverse("people:relationship_edit", args=[world["ben"].pk, world["friends"].pk])
    assert 'id="occasions"' not in bob_client.get(friends).content.decode()


def test_a_households_page_shows_its_occasions(world: dict[str, Any], bob_client: Client) -> None:
    html = bob_client.get(reverse("people:household_detail", args=[world["home"].pk])).content
    assert reverse("occasions:occasion_detail", args=[world["stay"].pk]) in html.decode()
    assert "First stay" in html.decode()


def test_showing_the_person_page_writes_nothing(world: dict[str, Any], bob_client: Client) -> None:
    from goodwill.occasions.models import OccasionSettings

    OccasionSettings.objects.all().delete()
    before = db_state()
    bob_client.get(reverse("people:person_detail", args=[world["ann"].pk]))
    assert db_state() == before


def test_names_labels_and_notes_are_shown_as_text(
    world: dict[str, Any], bob_client: Client
) -> None:
    evil = person(SCRIPT)
    occasion = occasion_create(
        actor=None, kind="custom", label=SCRIPT, note=SCRIPT, month=7, day=1, person=evil
    )
    occasion_touch_log(actor=None, occasion=occasion, year=2025, kind="note", summary=SCRIPT)
    for path in (
        reverse("occasions:occasion_detail", args=[occasion.pk]),
        reverse("occasions:occasion_edit", args=[occasion.pk]),
        reverse("people:person_detail", args=[evil.pk]),
        reverse("occasions:occasion_add_person", args=[evil.pk]),
    ):
        html = bob_client.get(path).content.decode()
        assert SCRIPT not in html, path
        assert ESCAPED in html, path


def test_deleting_takes_the_yearly_memory_with_it(
    world: dict[str, Any], maria_client: Client
) -> None:
    response = maria_client.post(url("occasion_delete", "birthday")(world))
    assert (
        response["Location"]
        == reverse("people:person_detail", args=[world["ann"].pk]) + "#occasions"
    )
    assert not OccasionYear.objects.filter(occasion_id=world["birthday"].pk).exists()
    assert not Occasion.objects.filter(pk=world["birthday"].pk).exists()


def test_every_occasion_page_url_is_in_a_matrix() -> None:
    from goodwill.occasions.tests.test_views_today import ROUTES as TODAY_ROUTES
    from goodwill.occasions.views.web_urls import urlpatterns

    tested = {r.name.split()[0] for r in [*ROUTES, *TODAY_ROUTES]}
    assert {p.name for p in urlpatterns} == tested


def test_the_occasion_page_reads_a_fixed_number_of_queries(
    world: dict[str, Any], bob_client: Client, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = url("occasion_detail", "wedding", query="?year=2026")(world)
    occasion_touch_log(actor=None, occasion=world["wedding"], year=2016, kind="call", summary="Hi")
    bob_client.get(path)
    with CaptureQueriesContext(connection) as few:
        bob_client.get(path)
    for year in range(2017, 2026):
        occasion_touch_log(
            actor=None, occasion=world["wedding"], year=year, kind="offer", summary=f"Offer {year}"
        )
    with django_assert_num_queries(len(few)):
        response = bob_client.get(path)
    assert len(response.context["history"]) == 10
