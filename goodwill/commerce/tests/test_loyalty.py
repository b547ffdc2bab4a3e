"""Loyalty numbers: set, replace, remove, refuse someone else's; on the page and in the API."""

from __future__ import annotations

import pytest
from django.test import Client

from goodwill.accounts.models import AuditEntry
from goodwill.commerce.models import LoyaltyNumber
from goodwill.commerce.services import loyalty_number_set
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _numbers() -> list[tuple[int, str]]:
    return list(LoyaltyNumber.objects.order_by("id").values_list("person_id", "number"))


def test_a_number_is_stored_normalised_and_audited(bob):
    ann = make_person(given_name="Ann", family_name="Lee")
    stored = loyalty_number_set(actor=bob, person=ann, number=" mb 0042-7 ")
    assert stored is not None
    assert stored.number == "MB00427"
    assert _numbers() == [(ann.pk, "MB00427")]
    entry = AuditEntry.objects.get(action="loyalty_number.set")
    assert (entry.person_id, entry.changes) == (ann.pk, {"loyalty_number": [None, "MB00427"]})


def test_a_new_number_replaces_the_old_one_and_an_empty_one_removes_it(bob):
    ann = make_person(given_name="Ann", family_name="Lee")
    loyalty_number_set(actor=bob, person=ann, number="A1")
    loyalty_number_set(actor=bob, person=ann, number="B2")
    assert _numbers() == [(ann.pk, "B2")]
    assert loyalty_number_set(actor=bob, person=ann, number="") is None
    assert _numbers() == []
    assert AuditEntry.objects.filter(action="loyalty_number.set").count() == 3


def test_setting_the_same_number_again_changes_nothing(bob):
    ann = make_person(given_name="Ann", family_name="Lee")
    loyalty_number_set(actor=bob, person=ann, number="A1")
    loyalty_number_set(actor=bob, person=ann, number="a-1")
    assert AuditEntry.objects.filter(action="loyalty_number.set").count() == 1


def test_someone_elses_number_is_refused_naming_them_and_nothing_changes(bob):
    ann = make_person(given_name="Ann", family_name="Lee")
    ben = make_person(given_name="Ben", family_name="Stone")
    loyalty_number_set(actor=bob, person=ann, number="A1")
    loyalty_number_set(actor=bob, person=ben, number="B2")
    with pytest.raises(Conflict) as caught:
        loyalty_number_set(actor=bob, person=ben, number="a1")
    assert caught.value.fields == {"number": ["Loyalty number A1 belongs to Ann Lee."]}
    assert _numbers() == [(ann.pk, "A1"), (ben.pk, "B2")]


def test_a_number_too_long_is_refused(bob):
    ann = make_person(given_name="Ann", family_name="Lee")
    with pytest.raises(Invalid) as caught:
        loyalty_number_set(actor=bob, person=ann, number="9" * 41)
    assert caught.value.fields == {"number": ["At most 40 characters."]}
    assert _numbers() == []


def test_a_deactivated_user_cannot_set_one(charlie):
    ann = make_person(given_name="Ann", family_name="Lee")
    with pytest.raises(Forbidden):
        loyalty_number_set(actor=charlie, person=ann, number="A1")
    assert _numbers() == []


def test_the_person_page_shows_and_saves_the_number(bob_client):
    ann = make_person(given_name="Ann", family_name="Lee")
    response = bob_client.post(f"/people/{ann.pk}/loyalty-number/", {"number": "mb 42"})
    assert response["Location"] == f"/people/{ann.pk}/#purchases"
    page = bob_client.get(f"/people/{ann.pk}/").content.decode()
    assert 'id="id_loyalty_number" value="MB42"' in page


def test_the_person_page_says_whose_number_it_is(bob_client):
    ann = make_person(given_name="Ann", family_name="Lee")
    ben = make_person(given_name="Ben", family_name="Stone")
    loyalty_number_set(actor=None, person=ann, number="A1")
    response = bob_client.post(f"/people/{ben.pk}/loyalty-number/", {"number": "A1"}, follow=True)
    assert "Loyalty number A1 belongs to Ann Lee." in response.content.decode()
    assert _numbers() == [(ann.pk, "A1")]


def test_the_api_reads_and_sets_the_number(tokens):
    ann = make_person(given_name="Ann", family_name="Lee")
    ben = make_person(given_name="Ben", family_name="Stone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['bob']}"}
    url = f"/api/v1/people/{ann.pk}/loyalty-number"
    put = Client().put(url, {"number": "mb-7"}, content_type="application/json", **auth)
    assert (put.status_code, put.json()) == (200, {"person_id": ann.pk, "number": "MB7"})
    assert Client().get(url, **auth).json() == {"person_id": ann.pk, "number": "MB7"}
    clash = Client().put(
        f"/api/v1/people/{ben.pk}/loyalty-number",
        {"number": "MB7"},
        content_type="application/json",
        **auth,
    )
    assert clash.status_code == 409
    assert clash.json()["error"]["fields"] == {"number": ["Loyalty number MB7 belongs to Ann Lee."]}
    anonymous = Client().put(url, {"number": ""}, content_type="application/json")
    assert anonymous.status_code == 401
    assert _numbers() == [(ann.pk, "MB7")]
