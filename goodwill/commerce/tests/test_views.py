"""Commerce pages: every route × role, the person page's purchases and journey, the people
list's stage filter, and clear errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.commerce.models import CommerceSettings, Journey, Purchase
from goodwill.commerce.selectors import commerce_settings
from goodwill.commerce.tests.factories import buy
from goodwill.core.tests.matrix import ROLES, Route, check_route, effect
from goodwill.people.services import person_archive
from goodwill.people.tests.factories import make_person

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _settings_rows(db: None) -> None:
    """The business profile and commerce settings exist before any snapshot."""
    business_get()
    commerce_settings()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    anne = make_person(given_name="Anne", family_name="Lee")
    zed = make_person(given_name="Zed", family_name="Old")
    zed_purchase = buy(zed)
    person_archive(actor=None, person=zed)
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "anne": anne,
        "purchase": buy(anne, days=3),
        "zed": zed,
        "zed_purchase": zed_purchase,
    }


def _kinds(w: Any, _u: Any) -> list[tuple[str, str]]:
    return list(
        Purchase.objects.filter(person=w["anne"]).order_by("pk").values_list("kind", "amount")
    )


ROUTES = [
    Route(
        "purchase_add",
        "get",
        lambda w: reverse("commerce:purchase_add", args=[w["anne"].pk]),
        (200, 200, 200),
    ),
    Route(
        "purchase_add",
        "post",
        lambda w: reverse("commerce:purchase_add", args=[w["anne"].pk]),
        (302, 302, 302),
        lambda w: {"kind": "purchase", "channel": "in_store", "amount": "12,50 €"},
        audit="purchase.log",
        check=effect(
            lambda w, _u: [(k, str(a)) for k, a in _kinds(w, _u)],
            [("purchase", "20.00"), ("purchase", "12.50")],
        ),
    ),
    Route(
        "purchase_add archived",
        "post",
        lambda w: reverse("commerce:purchase_add", args=[w["zed"].pk]),
        (404, 302, 302),
        lambda w: {"kind": "purchase", "channel": "in_store", "amount": "3"},
        audit="purchase.log",
        check=effect(lambda w, _u: Purchase.objects.filter(person=w["zed"]).count(), 2),
    ),
    Route(
        "purchase_remove",
        "post",
        lambda w: reverse("commerce:purchase_remove", args=[w["purchase"].pk]),
        (403, 302, 302),
        audit="purchase.delete",
        check=effect(lambda w, _u: _kinds(w, _u), []),
    ),
    Route(
        "purchase_remove",
        "get",
        lambda w: reverse("commerce:purchase_remove", args=[w["purchase"].pk]),
        (405, 405, 405),
    ),
    Route("settings", "get", lambda w: reverse("commerce:settings"), (403, 200, 200)),
    Route(
        "settings",
        "post",
        lambda w: reverse("commerce:settings"),
        (403, 302, 302),
        lambda w: {
            "regular_purchases": "3",
            "followup_days_stay": "2",
            "followup_days_in_store": "3",
            "followup_days_online": "5",
            "followup_days_phone": "3",
            "followup_days_walk_in": "1",
        },
        audit="commerce.settings",
        check=effect(
            lambda w, _u: CommerceSettings.objects.values_list(
                "regular_purchases", "followup_days_online"
            ).get(),
            (3, 5),
        ),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_route_answers_each_role(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_the_person_page_shows_the_stage_why_and_the_history(
    bob_client: Client, world: dict[str, Any]
) -> None:
    anne = world["anne"]
    buy(anne, days=1, description=SCRIPT, amount="7")

    page = bob_client.get(reverse("people:person_detail", args=[anne.pk])).content.decode()

    assert '<span class="tag stage-returning">returning</span>' in page
    assert "2 purchases; the last on" in page
    assert ESCAPED in page
    assert SCRIPT not in page
    assert 'id="purchase-chart"' in page
    assert "Implied consent for follow-up from the last purchase or stay on" in page
    assert page.count("<rect ") == 24


def test_a_bad_amount_comes_back_with_its_message_and_nothing_is_stored(
    bob_client: Client, world: dict[str, Any]
) -> None:
    anne = world["anne"]

    response = bob_client.post(
        reverse("commerce:purchase_add", args=[anne.pk]),
        {"kind": "purchase", "channel": "in_store", "amount": "-12,50"},
    )

    assert response.status_code == 200
    assert "A negative amount: log a refund instead, with a positive amount." in (
        response.content.decode()
    )
    assert Purchase.objects.filter(person=anne).count() == 1


def test_the_people_list_filters_by_stage(bob_client: Client, world: dict[str, Any]) -> None:
    ben = make_person(given_name="Ben", family_name="Okafor")
    buy(ben, days=40)
    buy(ben, days=2)

    returning = bob_client.get("/people/?stage=returning").content.decode()
    first_time = bob_client.get("/people/?stage=first_time").content.decode()

    assert "Ben Okafor" in returning
    assert "Anne Lee" not in returning
    assert "Anne Lee" in first_time
    assert "Ben Okafor" not in first_time
    assert '<option value="returning" selected>returning</option>' in returning


def test_the_api_people_list_filters_by_stage_and_names_a_bad_one(
    tokens: dict[str, str | None], world: dict[str, Any]
) -> None:
    from goodwill.people.tests.api_helpers import call

    ok = call("get", "/api/v1/people?stage=first_time", tokens["bob"])
    bad = call("get", "/api/v1/people?stage=vip", tokens["bob"])

    assert [p["given_name"] for p in ok.json()["items"]] == ["Anne"]
    assert bad.status_code == 422
    assert list(bad.json()["error"]["fields"]) == ["stage"]
    assert Journey.objects.count() == 2


def test_managers_export_the_people_of_one_stage(
    maria_client: Client, world: dict[str, Any]
) -> None:
    ben = make_person(given_name="Ben", family_name="Okafor")
    buy(ben, days=40)
    buy(ben, days=2)

    response = maria_client.get("/exports/people.csv?stage=returning")

    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["Ben"]


def test_the_purchases_section_costs_five_queries_with_a_history(
    bob: User, world: dict[str, Any]
) -> None:
    anne = world["anne"]
    for days in range(1, 40, 3):
        buy(anne, days=days)
    request = RequestFactory().get("/")
    request.user = bob
    section = Template("{% load commerce_tags %}{% person_purchases person %}")
    context = Context({"request": request, "person": anne, "business": business_get()})

    with CaptureQueriesContext(connection) as captured:
        html = section.render(context)

    # The list, the stage, the chart's months, the loyalty number, the log form's occasions.
    assert len(captured.captured_queries) == 5
    assert html.count("<rect ") == 24
