"""The business's contact email, phone and website (marketing emails show at least one): edited
by owners on the business settings page, checked and tidied when saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import business_get, business_update
from goodwill.core.errors import Forbidden, Invalid
from goodwill.core.tests.matrix import db_state

pytestmark = pytest.mark.django_db

BUSINESS = {
    "name": "Seaside B&B",
    "address": "1 Shore Road",
    "contact_email": "Hello@Seaside.example",
    "phone": "902 555 0100",
    "website": "seaside.example",
    "time_zone": "America/Halifax",
    "phone_region": "ca",
    "currency": "cad",
}


def test_owner_saves_the_contacts_tidied(alice_client: Client) -> None:
    response = alice_client.post(reverse("accounts:business_edit"), BUSINESS)
    assert response.status_code == 302
    business = business_get()
    assert (business.contact_email, business.phone, business.website) == (
        "hello@seaside.example",
        "+1 902-555-0100",
        "https://seaside.example",
    )


def test_the_page_shows_the_contact_fields(alice_client: Client) -> None:
    business_update(actor=None, contact_email="hello@seaside.example")
    html = alice_client.get(reverse("accounts:business_edit")).content.decode()
    assert 'name="contact_email"' in html
    assert 'value="hello@seaside.example"' in html
    assert 'name="phone"' in html
    assert 'name="website"' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "not an email"),
        ("phone", "12"),
        ("website", "javascript:alert(1)"),
        ("website", "http://"),
    ],
)
def test_bad_contacts_are_shown_on_their_field(
    alice_client: Client, field: str, value: str
) -> None:
    business_get()
    before = db_state()
    response = alice_client.post(reverse("accounts:business_edit"), BUSINESS | {field: value})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert db_state() == before


def test_contacts_can_be_cleared(alice: User) -> None:
    business_update(actor=alice, phone="+44 20 7946 0000")
    business_update(actor=alice, phone="")
    assert business_get().phone == ""


def test_staff_cannot_change_the_contacts(bob: User) -> None:
    with pytest.raises(Forbidden):
        business_update(actor=bob, phone="+44 20 7946 0000")
    assert business_get().phone == ""


def test_the_service_names_the_bad_field(alice: User) -> None:
    with pytest.raises(Invalid) as caught:
        business_update(actor=alice, contact_email="nope")
    assert list(caught.value.fields) == ["contact_email"]
