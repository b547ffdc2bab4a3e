"""“Did you ask them?”: the un-asked list, asking in person or by phone, the follow-up rate."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.commerce.models import Purchase
from goodwill.commerce.services import purchase_log
from goodwill.commerce.tests.factories import buy, days_ago
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.core.tests.matrix import ROLES, Route, check_route, effect
from goodwill.feedback.models import Feedback, FollowUp
from goodwill.feedback.selectors.followups import followup_rates, followup_unasked
from goodwill.feedback.services.followups import followup_mark_asked
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import call
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"


def test_a_purchase_is_on_the_unasked_list_once_its_follow_up_is_due(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")
    due = buy(anne, days=4)  # due a day ago
    buy(anne, days=1)  # due in two days
    buy(anne, days=90)  # due too long ago to ask
    purchase_log(actor=bob, person=anne, kind="inquiry", occurred_at=days_ago(10))
    zed = make_person(given_name="Zed")
    buy(zed, days=5)
    person_archive(actor=None, person=zed)

    assert [p.pk for p in followup_unasked(user=bob).items] == [due.pk]


def test_staff_record_asking_with_the_answer_which_reaches_the_inbox(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")
    purchase = buy(anne, days=4)

    followup = followup_mark_asked(
        actor=bob,
        purchase=purchase,
        method="in_person",
        answer="Your produce prices are the best in town",
        category="price",
        sentiment="positive",
    )

    assert (followup.method, followup.asked_by, followup.due_at) == (
        "in_person",
        bob,
        purchase.followup_due_at,
    )
    answer = Feedback.objects.get()
    assert (answer.text, answer.category, answer.sentiment, answer.person) == (
        "Your produce prices are the best in town",
        "price",
        "positive",
        anne,
    )
    assert followup.answer == answer
    asked = Interaction.objects.get(person=anne, intent="asking")
    assert (asked.kind, asked.summary) == ("visit", "Asked how it was: Produce box")
    assert followup_unasked(user=bob).items == []
    assert AuditEntry.objects.filter(action="followup.asked").count() == 1


def test_asking_twice_is_a_conflict_and_changes_nothing(bob: User) -> None:
    purchase = buy(make_person(), days=4)
    followup_mark_asked(actor=bob, purchase=purchase, method="phone")

    with pytest.raises(Conflict):
        followup_mark_asked(actor=bob, purchase=purchase, method="in_person", answer="Great")

    assert FollowUp.objects.count() == 1
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"method": "pigeon"}, {"method": ["Choose one of: in_person, phone."]}),
        (
            {"method": "phone", "answer": "ok", "category": "weather"},
            {
                "category": [
                    "Choose one of: price, product, service, staff, place, competitor, other."
                ]
            },
        ),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    bob: User, fields: dict[str, str], errors: dict[str, list[str]]
) -> None:
    purchase = buy(make_person(), days=4)
    before = Interaction.objects.count()

    with pytest.raises(Invalid) as caught:
        followup_mark_asked(actor=bob, purchase=purchase, **fields)

    assert caught.value.fields == errors
    assert FollowUp.objects.count() == 0
    assert Interaction.objects.count() == before


def test_a_refund_is_not_followed_up(bob: User) -> None:
    anne = make_person()
    refund = purchase_log(actor=bob, person=anne, kind="refund", amount="5")

    with pytest.raises(Invalid) as caught:
        followup_mark_asked(actor=bob, purchase=refund, method="phone")

    assert caught.value.fields == {"purchase": ["Only a purchase or a stay is followed up."]}


def test_the_rate_counts_asked_over_due_per_week_and_staff_member(bob: User, maria: User) -> None:
    now = timezone.now()
    anne = make_person()
    mine = [
        purchase_log(actor=bob, person=anne, occurred_at=now - dt.timedelta(days=4))
        for _ in range(3)
    ]
    purchase_log(actor=maria, person=anne, occurred_at=now - dt.timedelta(days=4))
    followup_mark_asked(actor=bob, purchase=mine[0], method="phone")
    followup_mark_asked(actor=bob, purchase=mine[1], method="phone")

    rates = followup_rates(user=maria, weeks=2, now=now)

    assert sum(r.due for r in rates["weeks"]) == 4
    assert sum(r.asked for r in rates["weeks"]) == 2
    assert [(r.label, r.asked, r.due, r.percent) for r in rates["staff"]] == [
        ("bob@example.com", 2, 3, 67),
        ("maria@example.com", 0, 1, 0),
    ]
    with pytest.raises(Forbidden):
        followup_rates(user=bob)


def test_the_page_lists_unasked_purchases_and_records_asking(bob_client: Client, bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")
    purchase = buy(anne, days=4, description=SCRIPT)

    page = bob_client.get(reverse("feedback:followups")).content.decode()
    response = bob_client.post(
        reverse("feedback:followup_asked", args=[purchase.pk]),
        {"method": "phone", "answer": "Lovely", "category": "product", "sentiment": "positive"},
    )

    assert "Anne Lee" in page
    assert "&lt;script&gt;" in page
    assert SCRIPT not in page
    assert 'id="followup-rates"' not in page  # staff do not see the rate
    assert response.status_code == 302
    assert FollowUp.objects.get().method == "phone"
    assert (
        "Everyone has been asked" in bob_client.get(reverse("feedback:followups")).content.decode()
    )


def test_managers_see_the_rate_on_the_page(maria_client: Client, bob: User) -> None:
    purchase = buy(make_person(), days=4)
    followup_mark_asked(actor=bob, purchase=purchase, method="phone")

    page = maria_client.get(reverse("feedback:followups")).content.decode()

    assert 'id="followup-rates"' in page
    assert "<td>the command line or an import</td><td>1</td><td>1</td>" in page


def test_a_bad_answer_comes_back_with_its_message(bob_client: Client) -> None:
    purchase = buy(make_person(), days=4)

    response = bob_client.post(
        reverse("feedback:followup_asked", args=[purchase.pk]),
        {"method": "phone", "answer": "x" * 2001, "category": "other", "sentiment": "neutral"},
    )

    assert response.status_code == 422
    assert FollowUp.objects.count() == 0


def test_nobody_logged_out_can_see_or_record(client: Client) -> None:
    purchase = buy(make_person(), days=4)

    listed = client.get(reverse("feedback:followups"))
    posted = client.post(
        reverse("feedback:followup_asked", args=[purchase.pk]), {"method": "phone"}
    )

    assert listed.status_code == 302
    assert posted.status_code == 302
    assert FollowUp.objects.count() == 0


def test_the_api_lists_records_and_rates(tokens: dict[str, Any]) -> None:
    purchase = buy(make_person(), days=4)

    listed = call("get", "/api/v1/followups", tokens["bob"]).json()
    asked = call(
        "post",
        f"/api/v1/followups/{purchase.pk}/asked",
        tokens["bob"],
        {"method": "phone", "answer": "Great", "category": "service", "sentiment": "positive"},
    )
    again = call(
        "post", f"/api/v1/followups/{purchase.pk}/asked", tokens["bob"], {"method": "phone"}
    )
    staff_rates = call("get", "/api/v1/followups/rates", tokens["bob"])
    rates = call("get", "/api/v1/followups/rates?weeks=1", tokens["maria"]).json()

    assert [i["purchase_id"] for i in listed["items"]] == [purchase.pk]
    assert asked.status_code == 201
    assert asked.json()["method"] == "phone"
    assert again.status_code == 409
    assert staff_rates.status_code == 403
    assert (rates["weeks"][0]["asked"], rates["weeks"][0]["due"]) == (1, 1)


def test_the_cli_lists_and_records(bob: User, maria: User) -> None:
    purchase = buy(make_person(given_name="Anne", family_name="Lee"), days=4)
    out = StringIO()

    call_command("followup", "list", "--as", "bob@example.com", stdout=out)
    call_command(
        "followup", "asked", str(purchase.pk), "--method", "phone", "--answer", "Great",
        "--as", "bob@example.com", stdout=StringIO(),
    )  # fmt: skip
    rates = StringIO()
    call_command(
        "followup", "rates", "--weeks", "1", "--as", "maria@example.com", "--json", stdout=rates
    )

    assert "Anne Lee\tpurchase\tProduce box" in out.getvalue()
    assert FollowUp.objects.get().answer.text == "Great"  # type: ignore[union-attr]
    assert json.loads(rates.getvalue())["weeks"][0]["asked"] == 1
    with pytest.raises(CommandError) as refused:
        call_command("followup", "rates", "--as", "bob@example.com", stdout=StringIO())
    assert refused.value.returncode == 4
    assert Purchase.objects.count() == 1


def test_the_quick_button_records_asking_without_an_answer(bob_client: Client) -> None:
    purchase = buy(make_person(), days=4)

    form_page = bob_client.get(reverse("feedback:followup_asked", args=[purchase.pk]))
    response = bob_client.post(
        reverse("feedback:followup_asked", args=[purchase.pk]),
        {"method": "in_person", "category": "other", "sentiment": "neutral"},
    )

    assert form_page.status_code == 200
    assert "What did they say?" in form_page.content.decode()
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert (followup.method, followup.answer) == ("in_person", None)
    assert Feedback.objects.count() == 0


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    anne = make_person(given_name="Anne", family_name="Lee")
    zed = make_person(given_name="Zed", family_name="Old")
    zeds = buy(zed, days=4)
    person_archive(actor=None, person=zed)
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "purchase": buy(anne, days=4),
        "zeds": zeds,
    }


def _asked(w: dict[str, Any], user: User) -> list[tuple[str, int | None]]:
    return list(FollowUp.objects.values_list("method", "asked_by_id"))


ROUTES = [
    Route("followups", "get", lambda w: reverse("feedback:followups"), (200, 200, 200)),
    Route(
        "followup_asked",
        "get",
        lambda w: reverse("feedback:followup_asked", args=[w["purchase"].pk]),
        (200, 200, 200),
    ),
    Route(
        "followup_asked",
        "post",
        lambda w: reverse("feedback:followup_asked", args=[w["purchase"].pk]),
        (302, 302, 302),
        lambda w: {"method": "phone", "category": "other", "sentiment": "neutral"},
        audit="followup.asked",
        check=effect(_asked, lambda w, user: [("phone", user.pk)]),
    ),
    Route(
        "followup_asked archived",
        "post",
        lambda w: reverse("feedback:followup_asked", args=[w["zeds"].pk]),
        (404, 404, 404),
        lambda w: {"method": "phone", "category": "other", "sentiment": "neutral"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_route_answers_each_role(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_followup_url_is_in_the_matrix() -> None:
    from goodwill.feedback.urls import urlpatterns

    names = {p.name for p in urlpatterns if p.name and p.name.startswith("followup")}
    assert names == {r.name.split()[0] for r in ROUTES}
