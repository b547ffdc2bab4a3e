"""Sending a “how was it?” survey by email: in the person's own name, through the outbox, once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import business_update
from goodwill.commerce.tests.factories import buy
from goodwill.core.errors import Conflict, Invalid
from goodwill.feedback.models import FollowUp, Survey
from goodwill.feedback.services.surveys import token_hash
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.selectors.balance import person_balance
from goodwill.outreach.services.surveys import survey_send
from goodwill.people.tests.api_helpers import call
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    business_update(actor=None, name="Harbour <Inn>")


def test_it_queues_one_email_in_their_own_name_with_a_single_use_link(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee", emails=["anne@example.com"])
    purchase = buy(anne, days=4, description=SCRIPT)

    followup = survey_send(actor=bob, purchase=purchase)

    message = OutboxMessage.objects.get()
    assert (message.kind, message.recipients, message.person) == (
        "transactional",
        ["anne@example.com"],
        anne,
    )
    assert message.subject.startswith(f"How was your {SCRIPT} of ")
    assert message.subject.endswith(", Anne?")
    assert message.body_text.startswith("Dear Anne,")
    raw = re.search(r"http://127\.0\.0\.1:8000/s/([\w-]+)/", message.body_text).group(1)  # type: ignore[union-attr]
    survey = Survey.objects.get()
    assert survey.token_hash == token_hash(raw)
    assert raw not in survey.token_hash
    assert f"/s/{raw}/" in message.body_html
    assert "&lt;script&gt;" in message.body_html
    assert SCRIPT not in message.body_html
    assert "Harbour &lt;Inn&gt;" in message.body_html
    assert (followup.method, followup.purchase) == ("survey", purchase)
    touch = Interaction.objects.get(person=anne, kind="email")
    assert (touch.intent, touch.direction) == ("asking", "outbound")


def test_without_an_email_address_nothing_is_queued(bob: User) -> None:
    purchase = buy(make_person(given_name="Anne", family_name="Lee"), days=4)

    with pytest.raises(Invalid) as caught:
        survey_send(actor=bob, purchase=purchase)

    assert caught.value.fields == {"email": ["Anne Lee has no email address."]}
    assert OutboxMessage.objects.count() == 0
    assert Survey.objects.count() == 0
    assert FollowUp.objects.count() == 0


def test_without_a_name_of_their_own_nothing_is_queued(bob: User) -> None:
    nameless = make_person(given_name="", family_name="Lee", emails=["lee@example.com"])
    purchase = buy(nameless, days=4)

    with pytest.raises(Invalid) as caught:
        survey_send(actor=bob, purchase=purchase)

    assert list(caught.value.fields) == ["name"]
    assert OutboxMessage.objects.count() == 0


def test_a_second_survey_about_the_same_purchase_is_refused(bob: User) -> None:
    anne = make_person(given_name="Anne", emails=["anne@example.com"])
    purchase = buy(anne, days=4)
    survey_send(actor=bob, purchase=purchase)

    with pytest.raises(Conflict):
        survey_send(actor=bob, purchase=purchase)

    assert OutboxMessage.objects.count() == 1
    assert Survey.objects.count() == 1


def test_the_page_button_and_the_api_send_it(bob_client: Client, tokens: dict[str, str]) -> None:
    anne = make_person(given_name="Anne", emails=["anne@example.com"])
    first, second = buy(anne, days=4), buy(anne, days=5)

    page = bob_client.get(reverse("feedback:followups")).content.decode()
    posted = bob_client.post(reverse("outreach:survey_send", args=[first.pk]))
    api = call("post", f"/api/v1/followups/{second.pk}/survey", tokens["bob"])
    again = call("post", f"/api/v1/followups/{second.pk}/survey", tokens["bob"])

    assert "Send a survey to anne@example.com" in page
    assert posted.status_code == 302
    assert api.status_code == 201
    assert api.json()["method"] == "survey"
    assert again.status_code == 409
    assert OutboxMessage.objects.count() == 2


def test_logged_out_or_deactivated_users_send_nothing(client: Client, charlie: User) -> None:
    anne = make_person(given_name="Anne", emails=["anne@example.com"])
    purchase = buy(anne, days=4)
    url = reverse("outreach:survey_send", args=[purchase.pk])

    anonymous = client.post(url)
    client.force_login(charlie)
    deactivated = client.post(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert deactivated.status_code == 302
    assert OutboxMessage.objects.count() == 0
    assert FollowUp.objects.count() == 0


def test_a_survey_shows_as_a_transactional_message_and_uses_no_budget(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee", emails=["anne@example.com"])
    survey_send(actor=bob, purchase=buy(anne, days=4))
    balance = person_balance(person=anne)
    assert (balance.transactional, balance.giving, balance.asking) == (1, 0, 0)
    assert (balance.marketing.allowed, balance.next_ask.allowed) == (True, True)
