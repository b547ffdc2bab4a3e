"""What every marketing email carries: list headers a mail program can act on (one-click
unsubscribe) and a footer with the unsubscribe link and the business's name, postal address and
another way to reach it."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage as ParsedMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from goodwill.accounts.services import business_update
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.marketing_mail import (
    footer_problem,
    marketing_footer,
    marketing_headers,
)
from goodwill.outreach.services.preferences import preference_link_create
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ADDRESS = "ann@example.com"
SITE = "https://crm.example.org"
TOKEN = "tok_-123abc"


@pytest.fixture(autouse=True)
def _setup(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.PREFERENCES_RATE = "1000/m"
    business_update(
        actor=None,
        name="Seaside B&B",
        address="1 Shore Road\nSeaside SE1 2AB",
        contact_email="hello@seaside.example",
        phone="+1 902 555 0100",
    )


@pytest.fixture
def offers() -> Topic:
    return topic_create(actor=None, name="Anniversary offers")


def parsed(headers: dict[str, str]) -> ParsedMessage:
    """The headers as a mail program reads them, after Django has built the email."""
    sent = EmailMultiAlternatives("Hi", "Body", "shop@example.org", [ADDRESS], headers=headers)
    message = email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert isinstance(message, ParsedMessage)
    return message


def test_the_headers_offer_one_click_unsubscribe(offers: Topic) -> None:
    message = parsed(marketing_headers(token=TOKEN, topic=offers))
    assert message["List-Unsubscribe"] == (
        f"<{SITE}/u/{TOKEN}/>, <mailto:unsubscribe@crm.example.org?subject=unsubscribe%20{TOKEN}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] == "Anniversary offers <anniversary-offers.crm.example.org>"


def test_every_header_is_one_line_of_ascii_whatever_the_topic_name() -> None:
    topic = topic_create(actor=None, name='Café "Deals" <and> more… ' + "x" * 60)
    headers = marketing_headers(token=TOKEN, topic=topic)
    for value in headers.values():
        assert "\n" not in value
        assert "\r" not in value
        assert value.isascii()
    list_id = parsed(headers)["List-Id"]
    label = re.search(r"<([^<>]+)>$", list_id)
    assert label is not None
    assert re.fullmatch(r"[a-z0-9-]{1,63}\.crm\.example\.org", label.group(1))
    assert label.group(1).startswith("cafe-deals-and-more-")
    assert 'Café "Deals" <and> more…' in list_id


def test_the_footer_has_the_links_and_the_business(offers: Topic) -> None:
    business_update(actor=None, website="seaside.example")
    text, html = marketing_footer(token=TOKEN)
    assert text == (
        "-- \n"
        f"Unsubscribe: {SITE}/u/{TOKEN}/\n"
        f"Choose what we send you: {SITE}/p/{TOKEN}/\n"
        "\n"
        "Seaside B&B\n"
        "1 Shore Road\n"
        "Seaside SE1 2AB\n"
        "hello@seaside.example · +1 902-555-0100 · https://seaside.example\n"
    )
    assert f'<a href="{SITE}/u/{TOKEN}/">Unsubscribe</a>' in html
    assert f'<a href="{SITE}/p/{TOKEN}/">Choose what we send you</a>' in html
    assert "<p>Seaside B&amp;B</p><p>1 Shore Road<br>Seaside SE1 2AB</p>" in html


def test_the_footer_escapes_what_the_business_typed() -> None:
    business_update(actor=None, name="<b>Sea & Sons</b>", address="<script>x()</script>")
    text, html = marketing_footer(token=TOKEN)
    assert "&lt;b&gt;Sea &amp; Sons&lt;/b&gt;" in html
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<b>Sea & Sons</b>" in text


def test_without_contacts_the_footer_still_has_name_address_and_link() -> None:
    business_update(actor=None, contact_email="", phone="")
    text, _html = marketing_footer(token=TOKEN)
    assert text.endswith("Seaside B&B\n1 Shore Road\nSeaside SE1 2AB\n")
    assert f"Unsubscribe: {SITE}/u/{TOKEN}/" in text


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, ""),
        ({"contact_email": "", "phone": ""}, "Add a contact email, phone number or website"),
        ({"contact_email": "", "phone": "", "website": "seaside.example"}, ""),
        ({"address": "  "}, "Add the business's postal address in Settings"),
    ],
)
def test_sending_offers_needs_an_address_and_a_contact(
    fields: dict[str, str], problem: str
) -> None:
    business_update(actor=None, **fields)
    found = footer_problem()
    assert found.startswith(problem) if problem else found == ""
    assert bool(found) == bool(problem)


def test_the_footer_link_unsubscribes_in_one_click(offers: Topic) -> None:
    ann: Person = make_person(emails=[ADDRESS])
    consent_record(
        actor=None, person=ann, address=ADDRESS, topic=offers, basis="express", source="staff"
    )
    raw = preference_link_create(person=ann, address=ADDRESS, topic=offers)
    header = marketing_headers(token=raw, topic=offers)["List-Unsubscribe"]
    https = re.match(r"<([^>]+)>", header)
    assert https is not None
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(https.group(1)).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert consent_status(person=ann, address=ADDRESS, topic=offers).valid is False
