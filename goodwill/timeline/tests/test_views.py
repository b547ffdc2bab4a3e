"""Timeline pages: every route × role, the quick log, load more, corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get, business_update
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.people.services import person_create
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    """The business profile exists before any snapshot (pages create it on first use)."""
    business_get()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    """Ann, with one interaction logged by bob and one by maria."""
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    by_bob = interaction_log(actor=bob, person=ann, kind="visit", summary="Came for tea")
    by_maria = interaction_log(actor=maria, person=ann, kind="call", summary="Booked May")
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "ann": ann,
        "by_bob": by_bob,
        "by_maria": by_maria,
    }


def _url(name: str, *keys: str) -> Any:
    return lambda w: reverse(f"timeline:{name}", args=[w[k].pk for k in keys])


def _edit(w: dict[str, Any]) -> dict[str, str]:
    return {"kind": "call", "summary": "Booked June", "occurred_at": "2025-05-01T10:30"}


def _interaction(key: str) -> Any:
    return lambda w: Interaction.objects.filter(pk=w[key].pk).first()


ROUTES = [
    Route("person_timeline", "get", _url("person_timeline", "ann"), (200, 200, 200)),
    Route("interaction_log", "get", _url("interaction_log", "ann"), (200, 200, 200)),
    Route(
        "interaction_log",
        "post",
        _url("interaction_log", "ann"),
        (302, 302, 302),
        lambda w: {"kind": "note", "summary": "Likes the corner room", "staff": w["maria"].pk},
        audit="interaction.log",
        check=effect(
            lambda w, _u: list(
                Interaction.objects.filter(summary="Likes the corner room").values_list(
                    "person", "kind", "staff", "created_by"
                )
            ),
            lambda w, user: [(w["ann"].pk, "note", w["maria"].pk, user.pk)],
        ),
    ),
    Route("interaction_edit own", "get", _url("interaction_edit", "by_bob"), (200, 200, 200)),
    Route("interaction_edit", "get", _url("interaction_edit", "by_maria"), (403, 200, 200)),
    Route(
        "interaction_edit",
        "post",
        _url("interaction_edit", "by_maria"),
        (403, 302, 302),
        _edit,
        audit="interaction.update",
        check=effect(
            lambda w, _u: (_interaction("by_maria")(w).summary, _interaction("by_maria")(w).kind),
            ("Booked June", "call"),
        ),
    ),
    Route("interaction_delete", "get", _url("interaction_delete", "by_bob"), (405, 405, 405)),
    Route(
        "interaction_delete",
        "post",
        _url("interaction_delete", "by_bob"),
        (403, 302, 302),
        audit="interaction.delete",
        check=effect(lambda w, _u: _interaction("by_bob")(w), None),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_timeline_url_is_in_the_matrix() -> None:
    from goodwill.timeline.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name.split()[0] for r in ROUTES}


def test_quick_log_needs_only_kind_and_summary(bob_client: Client, bob: User) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    before = timezone.now()
    response = bob_client.post(
        reverse("timeline:interaction_log", args=[ann.pk]), {"kind": "visit", "summary": "Tea"}
    )
    entry = Interaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[ann.pk]) + "#timeline"
    assert (entry.kind, entry.summary, entry.staff, entry.direction, entry.intent) == (
        "visit",
        "Tea",
        bob,
        "in_person",
        "neutral",
    )
    assert before <= entry.occurred_at <= timezone.now()


def test_quick_log_form_on_the_person_page_puts_kind_and_summary_first(
    bob_client: Client,
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    html = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    form = html[html.index('class="quick-log"') :]
    assert form.index('name="kind"') < form.index('name="summary"') < form.index("Log it")
    assert form.index("Log it") < form.index('name="occurred_at"')
    assert 'for="id_summary"' in form


def test_htmx_quick_log_returns_the_refreshed_timeline(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    response = bob_client.post(
        reverse("timeline:interaction_log", args=[ann.pk]),
        {"kind": "call", "summary": "Asked about <b>May</b>"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section class="card" id="timeline"')
    assert "Asked about &lt;b&gt;May&lt;/b&gt;" in html
    assert "Logged." in html


def test_an_empty_summary_is_refused_on_its_field(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    before = db_state()
    url = reverse("timeline:interaction_log", args=[ann.pk])
    plain = bob_client.post(url, {"kind": "call", "summary": "  "})
    htmx = bob_client.post(url, {"kind": "call", "summary": ""}, HTTP_HX_REQUEST="true")
    assert plain.status_code == 422
    assert list(plain.context["form"].errors) == ["summary"]
    assert htmx.status_code == 422
    assert b"Say in a few words what happened." in htmx.content
    assert db_state() == before


def test_a_time_in_the_future_is_refused(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    later = (timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = bob_client.post(
        reverse("timeline:interaction_log", args=[ann.pk]),
        {"kind": "call", "summary": "x", "occurred_at": later},
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["occurred_at"]
    assert Interaction.objects.count() == 0


def test_when_is_read_in_the_business_time_zone(bob_client: Client) -> None:
    business_update(actor=None, time_zone="America/Halifax")
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    bob_client.post(
        reverse("timeline:interaction_log", args=[ann.pk]),
        {"kind": "stay", "summary": "Two nights", "occurred_at": "2025-07-01T09:00"},
    )
    entry = Interaction.objects.get()
    assert entry.occurred_at == dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.UTC)


def test_load_more_pages_the_timeline_newest_first(bob_client: Client, bob: User) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    start = timezone.now() - dt.timedelta(days=30)
    for i in range(25):
        interaction_log(
            actor=bob,
            person=ann,
            kind="visit",
            summary=f"Visit {i:02d}",
            occurred_at=start + dt.timedelta(days=i),
        )
    page = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert page.index("Visit 24") < page.index("Visit 05")
    assert "Visit 04" not in page
    first = bob_client.get(reverse("timeline:person_timeline", args=[ann.pk]))
    cursor = first.context["page"].next_cursor
    url = reverse("timeline:person_timeline", args=[ann.pk])
    more = bob_client.get(url, {"cursor": cursor}, HTTP_HX_REQUEST="true")
    html = more.content.decode()
    assert more.status_code == 200
    assert "<html" not in html
    assert [f"Visit {i:02d}" in html for i in (4, 3, 2, 1, 0)] == [True] * 5
    assert "Visit 05" not in html
    assert "Load more" not in html
    plain = bob_client.get(url, {"cursor": cursor})
    assert b"<html" in plain.content


def test_the_author_corrects_their_entry(bob_client: Client, bob: User) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    entry = interaction_log(actor=bob, person=ann, kind="visit", summary="Tae")
    response = bob_client.post(
        reverse("timeline:interaction_edit", args=[entry.pk]),
        {"kind": "visit", "summary": "Tea", "occurred_at": "2025-05-01T10:30"},
    )
    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.summary == "Tea"
    assert entry.occurred_at == dt.datetime(2025, 5, 1, 10, 30, tzinfo=dt.UTC)


def test_staff_do_not_see_edit_links_on_others_entries(
    bob_client: Client, maria: User, bob: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    theirs = interaction_log(actor=maria, person=ann, kind="visit", summary="Theirs")
    mine = interaction_log(actor=bob, person=ann, kind="visit", summary="Mine")
    html = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert reverse("timeline:interaction_edit", args=[mine.pk]) in html
    assert reverse("timeline:interaction_edit", args=[theirs.pk]) not in html


# Who dealt with the person


def test_quick_log_offers_active_logins_and_picks_the_logged_in_one(
    bob_client: Client, alice: User, maria: User, bob: User, charlie: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    response = bob_client.get(reverse("people:person_detail", args=[ann.pk]))
    field = response.context["form"]["staff"]
    assert [value for value, _label in field.field.choices] == [alice.pk, bob.pk, maria.pk]
    html = response.content.decode()
    assert 'for="id_staff">Staff member:</label>' in html
    assert f'<option value="{bob.pk}" selected>bob@example.com</option>' in html
    assert "charlie@example.com" not in html


def test_quick_log_records_the_chosen_staff_member(
    bob_client: Client, bob: User, maria: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    response = bob_client.post(
        reverse("timeline:interaction_log", args=[ann.pk]),
        {"kind": "visit", "summary": "Tea with Maria", "staff": maria.pk},
    )
    entry = Interaction.objects.get()
    assert response.status_code == 302
    assert (entry.staff, entry.created_by) == (maria, bob)
    page = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert "Tea with Maria" in page
    assert "· maria@example.com" in page


def test_a_deactivated_login_cannot_be_the_staff_member(bob_client: Client, charlie: User) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    before = db_state()
    response = bob_client.post(
        reverse("timeline:interaction_log", args=[ann.pk]),
        {"kind": "visit", "summary": "Tea", "staff": charlie.pk},
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["staff"]
    assert db_state() == before


def test_the_staff_member_is_shown_but_not_editable_on_a_correction(
    bob_client: Client, bob: User, maria: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    entry = interaction_log(actor=bob, person=ann, kind="visit", summary="Tae", staff=maria)
    url = reverse("timeline:interaction_edit", args=[entry.pk])
    page = bob_client.get(url)
    assert "staff" not in page.context["form"].fields
    assert b"Staff member: maria@example.com (cannot be changed)." in page.content
    response = bob_client.post(
        url,
        {"kind": "visit", "summary": "Tea", "occurred_at": "2025-05-01T10:30", "staff": bob.pk},
    )
    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.summary, entry.staff) == ("Tea", maria)


def test_load_more_query_budget(
    bob_client: Client, alice: User, maria: User, bob: User, django_assert_max_num_queries: Any
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    start = timezone.now() - dt.timedelta(days=60)
    for i in range(45):
        interaction_log(
            actor=bob,
            person=ann,
            kind="visit",
            summary=f"Visit {i:02d}",
            occurred_at=start + dt.timedelta(days=i),
            staff=[alice, maria, bob][i % 3],
        )
    url = reverse("timeline:person_timeline", args=[ann.pk])
    cursor = bob_client.get(url).context["page"].next_cursor
    # Session, user, the person, business (4), one page of interactions with their staff (1).
    with django_assert_max_num_queries(5):
        more = bob_client.get(url, {"cursor": cursor}, HTTP_HX_REQUEST="true")
    html = more.content.decode()
    assert more.status_code == 200
    assert html.count('<div class="row-main">') == 20
    assert html.count("· maria@example.com") == 6
