"""Occasion settings (owners) and each user's morning digest opt-in: services and the settings
page, every route × role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get
from goodwill.core.errors import Forbidden, Invalid
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.occasions.models import AgendaPreference, CalendarFeed, OccasionSettings
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.occasions.services.feeds import calendar_feed_create
from goodwill.occasions.services.settings import agenda_preference_set, occasion_settings_update


@pytest.fixture(autouse=True)
def _rows(db: None) -> None:
    """The business and settings rows exist before any snapshot (pages create them on use)."""
    business_get()
    occasion_settings()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    for user in (alice, maria, bob):
        calendar_feed_create(actor=user, user=user)
    return {"alice": alice, "maria": maria, "bob": bob, "charlie": charlie}


RULES = {
    "feb29_rule": "mar1",
    "lead_birthday": "10",
    "lead_wedding": "14",
    "lead_anniversary": "3",
    "lead_custom": "0",
    "digest_time": "06:45",
}


def _url(name: str) -> Any:
    return lambda w: reverse(f"occasions:{name}")


def _feed_hash(user: User) -> str | None:
    return CalendarFeed.objects.filter(user=user).values_list("token_hash", flat=True).first()


ROUTES = [
    Route("settings", "get", _url("settings"), (200, 200, 200)),
    Route("settings", "post", _url("settings"), (405, 405, 405)),
    Route("settings_edit", "get", _url("settings_edit"), (405, 405, 405)),
    Route(
        "settings_edit",
        "post",
        _url("settings_edit"),
        (403, 403, 302),
        lambda w: RULES,
        audit="occasion_settings.update",
        check=effect(
            lambda w, _u: (occasion_settings().feb29_rule, occasion_settings().lead_wedding),
            ("mar1", 14),
        ),
    ),
    Route("digest_set", "get", _url("digest_set"), (405, 405, 405)),
    Route(
        "digest_set",
        "post",
        _url("digest_set"),
        (302, 302, 302),
        lambda w: {"digest_email": "on"},
        audit="agenda_preference.set",
        check=effect(lambda w, user: AgendaPreference.objects.get(user=user).digest_email, True),
    ),
    Route("feed_create", "get", _url("feed_create"), (405, 405, 405)),
    Route(
        "feed_create",
        "post",
        _url("feed_create"),
        (201, 201, 201),
        audit="calendar_feed.regenerate",
        check=effect(lambda w, user: CalendarFeed.objects.filter(user=user).count(), 1),
    ),
    Route("feed_revoke", "get", _url("feed_revoke"), (405, 405, 405)),
    Route(
        "feed_revoke",
        "post",
        _url("feed_revoke"),
        (302, 302, 302),
        audit="calendar_feed.revoke",
        check=effect(lambda w, user: _feed_hash(user), None),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_settings_and_feed_url_is_tested() -> None:
    from goodwill.occasions.views.feed_urls import urlpatterns

    tested = {r.name for r in ROUTES} | {"calendar_feed"}  # the feed: test_feed.py
    assert {p.name for p in urlpatterns} == tested


# --- services ---------------------------------------------------------------------------


def _settings_values() -> dict[str, Any]:
    row = OccasionSettings.objects.get(pk=1)
    return {
        "feb29_rule": row.feb29_rule,
        "lead_birthday": row.lead_birthday,
        "lead_wedding": row.lead_wedding,
        "lead_anniversary": row.lead_anniversary,
        "lead_custom": row.lead_custom,
        "digest_time": row.digest_time,
    }


def test_the_defaults_are_feb28_seven_days_and_half_past_seven() -> None:
    assert _settings_values() == {
        "feb29_rule": "feb28",
        "lead_birthday": 7,
        "lead_wedding": 7,
        "lead_anniversary": 7,
        "lead_custom": 7,
        "digest_time": dt.time(7, 30),
    }


def test_owner_changes_the_rules_and_it_is_audited(alice: User) -> None:
    occasion_settings_update(
        actor=alice, feb29_rule="mar1", lead_birthday=0, lead_custom=365, digest_time="08:15"
    )
    assert _settings_values() == {
        "feb29_rule": "mar1",
        "lead_birthday": 0,
        "lead_wedding": 7,
        "lead_anniversary": 7,
        "lead_custom": 365,
        "digest_time": dt.time(8, 15),
    }
    entry = AuditEntry.objects.get(action="occasion_settings.update")
    assert entry.actor == alice
    assert entry.changes == {
        "feb29_rule": ["feb28", "mar1"],
        "lead_birthday": [7, 0],
        "lead_custom": [7, 365],
        "digest_time": ["07:30:00", "08:15:00"],
    }


def test_saving_the_same_values_writes_no_audit_entry(alice: User) -> None:
    occasion_settings_update(actor=alice, lead_birthday=7, feb29_rule="feb28")
    assert AuditEntry.objects.filter(action="occasion_settings.update").count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lead_birthday", -1),
        ("lead_wedding", 366),
        ("lead_birthday", "-2"),
        ("lead_anniversary", "soon"),
        ("lead_custom", True),
        ("lead_custom", None),
        ("feb29_rule", "jan1"),
        ("digest_time", "25:00"),
        ("digest_time", 730),
        ("colour", "blue"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(alice: User, field: str, value: Any) -> None:
    before = db_state()
    with pytest.raises(Invalid) as info:
        occasion_settings_update(actor=alice, **({"lead_wedding": 3} | {field: value}))
    assert list(info.value.fields) == [field]
    assert db_state() == before


@pytest.mark.parametrize("persona", ["maria", "bob", "charlie"])
def test_only_owners_change_the_rules(persona: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(persona)
    before = db_state()
    with pytest.raises(Forbidden):
        occasion_settings_update(actor=actor, lead_birthday=3)
    assert db_state() == before


def test_the_command_line_may_change_the_rules() -> None:
    occasion_settings_update(actor=None, lead_wedding="21")
    assert occasion_settings().lead_wedding == 21


def test_a_user_opts_in_and_out_of_the_digest(bob: User) -> None:
    agenda_preference_set(actor=bob, user=bob, digest_email=True)
    assert AgendaPreference.objects.get(user=bob).digest_email is True
    agenda_preference_set(actor=bob, user=bob, digest_email=False)
    assert AgendaPreference.objects.get(user=bob).digest_email is False
    changes = list(
        AuditEntry.objects.filter(action="agenda_preference.set")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert changes == [{"digest_email": [None, True]}, {"digest_email": [True, False]}]


def test_an_owner_may_set_anyones_digest(alice: User, bob: User) -> None:
    agenda_preference_set(actor=alice, user=bob, digest_email=True)
    assert AgendaPreference.objects.get(user=bob).digest_email is True


@pytest.mark.parametrize("persona", ["maria", "bob"])
def test_others_may_not_set_someone_elses_digest(
    persona: str, alice: User, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(persona)
    before = db_state()
    with pytest.raises(Forbidden):
        agenda_preference_set(actor=actor, user=alice, digest_email=True)
    assert db_state() == before


def test_a_deactivated_user_may_not_set_their_digest(charlie: User) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        agenda_preference_set(actor=charlie, user=charlie, digest_email=True)
    assert db_state() == before


# --- the page -----------------------------------------------------------------------------


def test_owners_see_the_rules_form_and_staff_do_not(
    alice_client: Client, bob_client: Client
) -> None:
    page = alice_client.get(reverse("occasions:settings"))
    assert page.context["rules_form"].initial["lead_birthday"] == 7
    assert b'name="lead_birthday"' in page.content
    staff_page = bob_client.get(reverse("occasions:settings"))
    assert "rules_form" not in staff_page.context
    assert b'name="lead_birthday"' not in staff_page.content
    assert b'name="digest_email"' in staff_page.content


def test_the_settings_nav_links_the_page(bob_client: Client) -> None:
    page = bob_client.get(reverse("accounts:token_list"))
    assert reverse("occasions:settings").encode() in page.content
    assert reverse("outreach:status").encode() not in page.content


def test_a_bad_lead_time_comes_back_on_its_field(alice_client: Client) -> None:
    before = db_state()
    response = alice_client.post(reverse("occasions:settings_edit"), RULES | {"lead_custom": "400"})
    assert response.status_code == 422
    assert list(response.context["rules_form"].errors) == ["lead_custom"]
    assert db_state() == before


def test_an_unticked_box_opts_out(bob: User, bob_client: Client) -> None:
    agenda_preference_set(actor=bob, user=bob, digest_email=True)
    response = bob_client.post(reverse("occasions:digest_set"), {})
    assert response.status_code == 302
    assert AgendaPreference.objects.get(user=bob).digest_email is False


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("settings_edit", RULES),
        ("digest_set", {"digest_email": "on"}),
        ("feed_create", {}),
        ("feed_revoke", {}),
    ],
)
def test_every_post_needs_the_csrf_token(
    name: str, data: dict[str, str], world: dict[str, Any]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alice"])
    before = db_state()
    assert client.post(reverse(f"occasions:{name}"), data).status_code == 403
    assert db_state() == before
