"""Feedback pages: every route × role, the ten-second "heard at the counter" form, the manager's
inbox with its buttons, and the Feedback section of the person page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.feedback.models import Feedback
from goodwill.feedback.services.feedback import feedback_acknowledge
from goodwill.feedback.tests.factories import ESCAPED, SCRIPT, heard
from goodwill.people.models import Person
from goodwill.people.services import person_archive
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

HEARD = reverse("feedback:heard")
INBOX = reverse("feedback:inbox")
ALL_OK = (200, 200, 200)
ALL_REDIRECT = (302, 302, 302)
MANAGERS_OK = (403, 200, 200)
MANAGERS_REDIRECT = (403, 302, 302)


@pytest.fixture(autouse=True)
def _business_row(db: None) -> None:
    """The business profile exists before any snapshot."""
    business_get()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    anne = make_person(given_name="Anne", family_name="Whitman")
    zed = make_person(given_name="Zed", family_name="Old")
    person_archive(actor=None, person=zed)
    item = heard(bob, person=anne, text="Your produce prices are the best in town")
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "anne": anne,
        "zed": zed,
        "item": item,
    }


def _payload(**overrides: Any) -> dict[str, Any]:
    return {"text": "Lovely tomatoes", "category": "product", "sentiment": "positive"} | overrides


def _item(w: Any, name: str) -> Any:
    return Feedback.objects.filter(pk=w["item"].pk).values_list(name, flat=True).get()


def _new_feedback(w: Any, _u: Any) -> list[tuple[str, int | None, int]]:
    rows = Feedback.objects.exclude(pk=w["item"].pk)
    return list(rows.values_list("text", "person", "heard_by"))


def url(name: str, *keys: str, query: str = "") -> Any:
    return lambda w: reverse(f"feedback:{name}", args=[w[k].pk for k in keys]) + query


ROUTES = [
    Route("heard", "get", url("heard"), ALL_OK),
    Route("heard person", "get", url("heard", query="?person=0"), (404, 404, 404)),
    Route(
        "heard",
        "post",
        url("heard"),
        ALL_REDIRECT,
        lambda w: _payload(person=str(w["anne"].pk)),
        audit="feedback.create",
        check=effect(_new_feedback, lambda w, u: [("Lovely tomatoes", w["anne"].pk, u.pk)]),
    ),
    Route(
        "heard archived",
        "post",
        url("heard"),
        (404, 302, 302),
        lambda w: _payload(person=str(w["zed"].pk)),
        audit="feedback.create",
        check=effect(_new_feedback, lambda w, u: [("Lovely tomatoes", w["zed"].pk, u.pk)]),
    ),
    Route("inbox", "get", url("inbox"), MANAGERS_OK),
    Route("feedback_detail", "get", url("feedback_detail", "item"), MANAGERS_OK),
    Route(
        "feedback_acknowledge",
        "post",
        url("feedback_acknowledge", "item"),
        MANAGERS_REDIRECT,
        audit="feedback.acknowledge",
        check=effect(lambda w, _u: _item(w, "status"), "acknowledged"),
    ),
    Route(
        "feedback_act",
        "post",
        url("feedback_act", "item"),
        MANAGERS_REDIRECT,
        lambda w: {"action": "Told the team"},
        audit="feedback.act",
        check=effect(
            lambda w, _u: (_item(w, "status"), _item(w, "action"), _item(w, "handled_by")),
            lambda w, u: ("acted_on", "Told the team", u.pk),
        ),
    ),
    Route("feedback_acknowledge get", "get", url("feedback_acknowledge", "item"), (405,) * 3),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_feedback_url_is_in_the_matrix() -> None:
    from goodwill.feedback.urls import urlpatterns

    # The public page: test_surveys.py; test_scores.py; the follow-ups: test_followups.py.
    elsewhere = {"survey", "scores", "followups", "followup_asked"}
    assert {p.name for p in urlpatterns} - elsewhere == {r.name.split()[0] for r in ROUTES}


def test_the_form_offers_big_choices_and_no_person_by_default(bob_client: Client) -> None:
    page = bob_client.get(HEARD)
    html = page.content.decode()
    assert "What did they say?" in html
    assert html.count('type="radio" name="category"') == 7
    assert html.count('type="radio" name="sentiment"') == 3
    assert 'id="heard-person"' not in html


def test_a_link_from_the_person_page_names_the_person(bob_client: Client) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")
    page = bob_client.get(f"{HEARD}?person={anne.pk}")
    html = page.content.decode()
    assert "From <strong>Anne Whitman</strong>" in html
    assert f'name="person" value="{anne.pk}"' in html


def test_saving_thanks_the_clerk_and_shows_an_empty_form(bob: User, bob_client: Client) -> None:
    response = bob_client.post(HEARD, _payload(), follow=True)

    assert response.redirect_chain == [(HEARD, 302)]
    html = response.content.decode()
    assert "Thanks — the manager will see it" in html
    assert "Lovely tomatoes" not in html
    assert " checked" not in html  # no radio chosen
    stored = Feedback.objects.get()
    assert (stored.text, stored.category, stored.sentiment) == (
        "Lovely tomatoes",
        "product",
        "positive",
    )
    assert stored.person is None
    assert stored.heard_by == bob


def test_with_htmx_the_form_is_swapped_for_a_thank_you_and_an_empty_form(
    bob_client: Client,
) -> None:
    anne = make_person(given_name="Anne")
    response = bob_client.post(HEARD, _payload(person=str(anne.pk)), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="heard">')
    assert "Thanks — the manager will see it" in html
    assert 'id="heard-person"' not in html
    assert Interaction.objects.get(person=anne).kind == "feedback"


def test_an_empty_remark_comes_back_with_its_error_and_nothing_saved(bob_client: Client) -> None:
    before = db_state()
    response = bob_client.post(HEARD, _payload(text="   ", category="", sentiment="positive"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Choose what it was about." in html
    assert db_state() == before


def test_a_remark_without_text_is_refused_on_the_text_field(bob_client: Client) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")
    before = db_state()
    response = bob_client.post(HEARD, _payload(text="  ", person=str(anne.pk)))
    assert response.status_code == 422
    assert response.context["form"].errors == {"text": ["Write down what they said."]}
    assert "From <strong>Anne Whitman</strong>" in response.content.decode()
    assert db_state() == before


def test_the_inbox_shows_each_item_with_who_heard_it_and_the_person(
    world: dict[str, Any], maria_client: Client
) -> None:
    html = maria_client.get(INBOX).content.decode()
    assert "Your produce prices are the best in town" in html
    assert "Price" in html
    assert "positive" in html
    assert "heard by bob@example.com" in html
    assert reverse("people:person_detail", args=[world["anne"].pk]) in html
    assert "Acknowledge" in html
    assert "Acted on" in html


def test_the_inbox_filters(world: dict[str, Any], maria: User, maria_client: Client) -> None:
    heard(text="Staff were rude", category="staff", sentiment="negative", source="phone")
    feedback_acknowledge(actor=maria, feedback=world["item"])

    def texts(query: str) -> list[str]:
        response = maria_client.get(INBOX + query)
        return [f.text for f in response.context["page"].items]

    assert texts("") == ["Staff were rude", "Your produce prices are the best in town"]
    assert texts("?status=new") == ["Staff were rude"]
    assert texts("?category=price") == ["Your produce prices are the best in town"]
    assert texts("?sentiment=negative&source=phone") == ["Staff were rude"]
    assert texts("?status=acted_on") == []
    assert maria_client.get(INBOX + "?status=lost").status_code == 422


def test_the_inbox_pages_with_a_more_link_keeping_the_filters(maria_client: Client) -> None:
    for n in range(51):
        heard(text=f"Remark {n}")
    first = maria_client.get(INBOX + "?category=price")
    assert len(first.context["page"].items) == 50
    more = first.context["more_query"]
    assert more.startswith("category=price&cursor=")
    second = maria_client.get(f"{INBOX}?{more}")
    assert [f.text for f in second.context["page"].items] == ["Remark 0"]


def test_script_in_a_remark_shows_as_text_in_the_inbox_and_on_the_person_page(
    maria_client: Client,
) -> None:
    anne = make_person(given_name="Anne")
    heard(person=anne, text=f"Nice {SCRIPT}")

    for path in (INBOX, reverse("people:person_detail", args=[anne.pk])):
        html = maria_client.get(path).content.decode()
        assert f"Nice {ESCAPED}" in html
        assert SCRIPT not in html


def test_acknowledge_with_htmx_swaps_the_item(world: dict[str, Any], maria_client: Client) -> None:
    path = reverse("feedback:feedback_acknowledge", args=[world["item"].pk])
    response = maria_client.post(path, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<li class="feedback-item" id="feedback-{world["item"].pk}">')
    assert "acknowledged" in html
    assert ">Acknowledge<" not in html


def test_acknowledge_goes_back_to_the_filtered_inbox(
    world: dict[str, Any], maria_client: Client
) -> None:
    path = reverse("feedback:feedback_acknowledge", args=[world["item"].pk])
    response = maria_client.post(path, {"next": INBOX + "?status=new"})
    assert response["Location"] == INBOX + "?status=new"
    response = maria_client.post(path, {"next": "https://evil.example/"})
    assert response["Location"] == INBOX


def test_acted_on_without_a_note_comes_back_with_the_error(
    world: dict[str, Any], maria_client: Client
) -> None:
    path = reverse("feedback:feedback_act", args=[world["item"].pk])
    before = db_state()

    page = maria_client.post(path, {"action": " "})
    fragment = maria_client.post(path, {"action": ""}, HTTP_HX_REQUEST="true")

    assert page.status_code == 422
    assert "Say in a few words what you did." in page.content.decode()
    assert "<!doctype html>" in page.content.decode()
    assert fragment.status_code == 422
    assert "Say in a few words what you did." in fragment.content.decode()
    assert db_state() == before


def test_the_nav_links_to_heard_for_everyone_and_feedback_for_managers(
    bob_client: Client, maria_client: Client
) -> None:
    staff_page = bob_client.get(HEARD).content.decode()
    manager_page = maria_client.get(HEARD).content.decode()
    assert f'href="{HEARD}">Heard something?</a>' in staff_page
    assert f'href="{INBOX}"' not in staff_page
    assert f'href="{INBOX}">Feedback</a>' in manager_page


def test_the_person_page_links_to_heard_and_lists_feedback_for_managers(
    bob_client: Client, maria_client: Client
) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman", preferred_name="Annie")
    for n in range(6):
        heard(person=anne, text=f"Remark {n}")
    path = reverse("people:person_detail", args=[anne.pk])

    staff_html = bob_client.get(path).content.decode()
    manager_html = maria_client.get(path).content.decode()

    link = f'href="{HEARD}?person={anne.pk}">Heard something from Annie?</a>'
    assert link in staff_html
    assert link in manager_html
    assert "Remark 5" not in staff_html.split('id="feedback"')[1].split("</section>")[0]
    section = manager_html.split('id="feedback"')[1].split("</section>")[0]
    assert [f"Remark {n}" in section for n in range(6)] == [False] + [True] * 5


def test_the_inbox_reads_a_fixed_number_of_queries(
    world: dict[str, Any], maria_client: Client, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    maria_client.get(INBOX)
    with CaptureQueriesContext(connection) as few:
        maria_client.get(INBOX)
    for n in range(20):
        person: Person | None = make_person(given_name=f"P{n}") if n % 2 else None
        heard(world["bob"], person=person, text=f"Remark {n}")
        if n % 3 == 0:
            feedback_acknowledge(actor=world["maria"], feedback=Feedback.objects.latest("pk"))
    with django_assert_num_queries(len(few)):
        response = maria_client.get(INBOX)
    assert len(response.context["page"].items) == 21
