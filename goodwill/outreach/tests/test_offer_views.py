"""Offer pages: who may see and change what, errors next to their fields, the preview with a
real person (names escaped), and the list's query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.services.consent import topic_create
from goodwill.outreach.services.offers import offer_create
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db

BODY = "Dear {{ preferred_name }},\nA storm-watch night, code {{ offer_code }}."


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    sam = make_person(given_name="Sam", family_name="Reed", emails=["sam@example.com"])
    give_interests(sam, "Storm chasing")
    topic = topic_create(actor=None, name="Offers")
    offer = offer_create(
        actor=None,
        name="Storm season",
        topic=topic,
        interests=["storm chasing"],
        subject_template="For you, {{ preferred_name }}",
        body_template=BODY,
        code_prefix="STORM",
    )
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "sam": sam,
        "topic": topic,
        "offer": offer,
    }


def form_data(world: dict[str, Any], **overrides: str) -> dict[str, str]:
    data = {
        "name": "Winter nights",
        "topic": str(world["topic"].pk),
        "interests": "storm chasing",
        "subject_template": "Winter, {{ given_name }}",
        "body_template": BODY,
        "intent": "giving",
        "code_prefix": "",
    }
    data.update(overrides)
    return data


def _url(name: str, key: str | None = None) -> Any:
    return lambda w: reverse(f"outreach:{name}", args=[w[key].pk] if key else [])


def _names(w: Any, _user: Any) -> list[str]:
    return list(Offer.objects.order_by("pk").values_list("name", flat=True))


ROUTES = [
    Route("offer_list", "get", _url("offer_list"), (200, 200, 200)),
    Route("offer_detail", "get", _url("offer_detail", "offer"), (200, 200, 200)),
    Route("offer_create", "get", _url("offer_create"), (403, 200, 200)),
    Route(
        "offer_create",
        "post",
        _url("offer_create"),
        (403, 302, 302),
        form_data,
        audit="offer.create",
        check=effect(_names, ["Storm season", "Winter nights"]),
    ),
    Route("offer_edit", "get", _url("offer_edit", "offer"), (403, 200, 200)),
    Route(
        "offer_edit",
        "post",
        _url("offer_edit", "offer"),
        (403, 302, 302),
        lambda w: form_data(w, name="Storms"),
        audit="offer.update",
        check=effect(_names, ["Storms"]),
    ),
    Route(
        "offer_archive",
        "post",
        _url("offer_archive", "offer"),
        (403, 302, 302),
        audit="offer.archive",
        check=effect(lambda w, _u: Offer.objects.filter(archived_at=None).count(), 0),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_offer_url_is_in_the_matrix() -> None:
    from goodwill.outreach.views.offer_urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in ROUTES}


def test_the_form_shows_each_error_next_to_its_field(
    world: dict[str, Any], maria_client: Client
) -> None:
    before = db_state()
    data = form_data(world, topic="", interests="", body_template="Hello {{ person.email }}")
    response = maria_client.post(reverse("outreach:offer_create"), data)
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors == {
        "topic": ["Choose a topic; every offer belongs to one."],
        "body_template": [
            "line 1, column 7: only a plain name is allowed, not {{ person.email }}; placeholders "
            "look like {{ preferred_name }}; use one of preferred_name, given_name, family_name, "
            "names, business, occasion, years, offer_code, valid_until, unsubscribe_url, "
            "preferences_url"
        ],
        "interests": ["Say who this offer is for: interests, occasions or purchase categories."],
    }
    html = response.content.decode()
    error = html.index("Choose a topic; every offer belongs to one.")
    assert html.index('for="id_topic"') < error < html.index('id="id_topic"')
    assert db_state() == before


def test_the_edit_form_starts_with_the_offer(world: dict[str, Any], maria_client: Client) -> None:
    response = maria_client.get(reverse("outreach:offer_edit", args=[world["offer"].pk]))
    form = response.context["form"]
    assert (form["interests"].value(), form["code_prefix"].value()) == ("Storm chasing", "STORM")


def test_the_preview_finds_a_person_and_shows_what_they_would_get(
    world: dict[str, Any], bob_client: Client
) -> None:
    url = reverse("outreach:offer_detail", args=[world["offer"].pk])
    found = bob_client.get(url, {"q": "sam"})
    assert [p.pk for p in found.context["candidates"]] == [world["sam"].pk]
    response = bob_client.get(url, {"person": world["sam"].pk})
    preview = response.context["preview"]
    assert (preview.subject, preview.held_reason) == ("For you, Sam", "")
    assert "A storm-watch night, code STORM-SAMPLE." in response.content.decode()


def test_the_preview_says_why_it_would_be_held(world: dict[str, Any], bob_client: Client) -> None:
    guest = make_person(given_name="Guest", family_name="Smith")
    url = reverse("outreach:offer_detail", args=[world["offer"].pk])
    html = bob_client.get(url, {"person": guest.pk}).content.decode()
    assert "Would be held for review: “Guest” is not a name." in html


def test_the_preview_escapes_html_in_a_name(world: dict[str, Any], bob_client: Client) -> None:
    person = make_person(given_name="<i>Ann</i>", family_name="Smith")
    url = reverse("outreach:offer_detail", args=[world["offer"].pk])
    html = bob_client.get(url, {"person": person.pk}).content.decode()
    assert "Dear &lt;i&gt;Ann&lt;/i&gt;," in html
    assert "<i>Ann</i>" not in html


def test_the_nav_shows_offers_to_managers_only(
    world: dict[str, Any], maria_client: Client, bob_client: Client
) -> None:
    link = f'<a href="{reverse("outreach:offer_list")}">Offers</a>'
    assert link in maria_client.get(reverse("occasions:today")).content.decode()
    assert link not in bob_client.get(reverse("occasions:today")).content.decode()


def test_the_list_costs_the_same_for_one_offer_or_five(
    world: dict[str, Any], bob_client: Client
) -> None:
    url = reverse("outreach:offer_list")
    with CaptureQueriesContext(connection) as one:
        bob_client.get(url)
    for n in range(4):
        offer_create(
            actor=None,
            name=f"Offer {n}",
            topic=world["topic"],
            interests=["storm chasing"],
            subject_template="Hi {{ given_name }}",
            body_template=BODY,
        )
    with CaptureQueriesContext(connection) as five:
        response = bob_client.get(url)
    assert len(response.context["offers"]) == 5
    assert len(five) == len(one)


def test_the_list_names_occasions_as_people_read_them(
    world: dict[str, Any], bob_client: Client
) -> None:
    offer_create(
        actor=None,
        name="Anniversaries",
        topic=world["topic"],
        occasion_kinds=["wedding_anniversary"],
        subject_template="Happy {{ occasion }}",
        body_template="Dear {{ names }},",
    )
    html = bob_client.get(reverse("outreach:offer_list")).content.decode()
    assert "Offers · wedding anniversary" in html


def test_a_form_without_a_choice_of_intent_says_so_with_the_other_faults(
    world: dict[str, Any], maria_client: Client
) -> None:
    data = form_data(world, intent="", topic="")
    response = maria_client.post(reverse("outreach:offer_create"), data)
    assert response.context["form"].errors == {
        "topic": ["Choose a topic; every offer belongs to one."],
        "intent": ["Say whether the offer gives or asks."],
    }
