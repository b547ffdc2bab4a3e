"""The consent ledger: recording, the bases and their expiry, suppression after a person's own
withdrawal, and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.commerce.services import purchase_log
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.services.consent import consent_record, topic_create, topic_update
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 3, 12, 0, tzinfo=dt.UTC)
ADDRESS = "ann@example.com"


def days(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def ann() -> Person:
    return make_person(emails=[ADDRESS, "ann.work@example.org"])


@pytest.fixture
def news() -> Topic:
    return topic_create(actor=None, name="Newsletter")


def record(person: Person, n: int, basis: str, source: str = "staff", **kw: Any) -> Consent:
    return consent_record(
        actor=None, person=person, address=ADDRESS, basis=basis, source=source, at=days(n), **kw
    )


def status(person: Person, topic: Topic | None, n: int) -> tuple[bool, str]:
    found = consent_status(person=person, address=ADDRESS, topic=topic, at=days(n))
    return found.valid, found.basis


def test_it_has_no_consent_without_any_fact(ann: Person, news: Topic) -> None:
    found = consent_status(person=ann, address=ADDRESS, topic=news, at=T0)
    assert (found.valid, found.basis, found.reason) == (False, "none", "No consent on record")


def test_an_express_opt_in_holds_until_withdrawn(ann: Person, news: Topic) -> None:
    record(ann, 0, "express", source="form", topic=news, evidence="newsletter sign-up")
    found = consent_status(person=ann, address=ADDRESS, topic=news, at=days(3000))
    assert (found.valid, found.basis, found.since) == (True, "express", T0)
    assert found.reason == "Opted in on 3 May 2026 (form: newsletter sign-up)"
    record(ann, 10, "withdrawn", topic=news)
    assert status(ann, news, 11) == (False, "none")
    assert status(ann, news, 5) == (True, "express")


def test_a_withdrawal_for_one_topic_leaves_the_others(ann: Person, news: Topic) -> None:
    offers = topic_create(actor=None, name="Offers")
    record(ann, 0, "express")
    record(ann, 1, "withdrawn", topic=news)
    assert status(ann, news, 2) == (False, "none")
    assert status(ann, offers, 2) == (True, "express")
    assert status(ann, None, 2) == (True, "express")


def test_a_withdrawal_for_everything_ends_every_topic(ann: Person, news: Topic) -> None:
    record(ann, 0, "express", topic=news)
    record(ann, 1, "withdrawn")
    assert status(ann, news, 2) == (False, "none")
    assert status(ann, None, 2) == (False, "none")


def test_a_purchase_implies_consent_for_two_years(ann: Person, news: Topic) -> None:
    purchase_log(actor=None, person=ann, occurred_at=T0, amount="20")
    found = consent_status(person=ann, address=ADDRESS, topic=news, at=days(729))
    assert (found.valid, found.basis, found.until) == (True, "implied_purchase", days(730))
    assert found.reason == "Bought on 3 May 2026: implied consent until 2 May 2028"
    assert status(ann, news, 730) == (False, "none")


def test_an_inquiry_implies_consent_for_six_months(ann: Person, news: Topic) -> None:
    purchase_log(actor=None, person=ann, kind="inquiry", occurred_at=T0)
    assert status(ann, news, 182) == (True, "implied_inquiry")
    assert status(ann, news, 183) == (False, "none")


def test_a_withdrawal_after_a_purchase_voids_implied_consent(ann: Person, news: Topic) -> None:
    purchase_log(actor=None, person=ann, occurred_at=T0, amount="20")
    record(ann, 5, "withdrawn", topic=news)
    assert status(ann, news, 6) == (False, "none")
    purchase_log(actor=None, person=ann, occurred_at=days(7), amount="20")
    assert status(ann, news, 8) == (True, "implied_purchase")


def test_legitimate_interest_holds_until_any_withdrawal(ann: Person) -> None:
    events = topic_create(actor=None, name="Events", legitimate_interest=True)
    assert status(ann, events, 0) == (True, "legitimate_interest")
    record(ann, 1, "withdrawn", topic=events)
    assert status(ann, events, 2) == (False, "none")


@pytest.mark.parametrize("source", ["staff", "import", "api"])
def test_others_cannot_resubscribe_someone_who_unsubscribed(
    ann: Person, news: Topic, source: str
) -> None:
    purchase_log(actor=None, person=ann, occurred_at=days(3), amount="20")
    record(ann, 0, "express", source="form", topic=news)
    record(ann, 1, "withdrawn", source="unsubscribe", topic=news)
    record(ann, 2, "express", source=source, topic=news)
    found = consent_status(person=ann, address=ADDRESS, topic=news, at=days(4))
    assert (found.valid, found.basis, found.reason) == (False, "none", "Unsubscribed on 4 May 2026")
    assert Consent.objects.filter(person=ann).count() == 3


def test_their_own_new_opt_in_resubscribes_them(ann: Person, news: Topic) -> None:
    record(ann, 1, "withdrawn", source="form")
    record(ann, 2, "express", source="form", topic=news)
    assert status(ann, news, 3) == (True, "express")
    assert status(ann, None, 3) == (False, "none")


def test_a_self_withdrawal_voids_legitimate_interest_for_good(ann: Person) -> None:
    events = topic_create(actor=None, name="Events", legitimate_interest=True)
    record(ann, 1, "withdrawn", source="unsubscribe")
    record(ann, 2, "legitimate_interest", topic=events)
    assert status(ann, events, 3) == (False, "none")


def test_recording_twice_keeps_both_rows(ann: Person, news: Topic, bob: User) -> None:
    first = consent_record(actor=bob, person=ann, address=ADDRESS, basis="express", source="staff")
    second = consent_record(actor=bob, person=ann, address=ADDRESS, basis="express", source="staff")
    assert list(Consent.objects.order_by("id").values_list("id", "recorded_by")) == [
        (first.pk, bob.pk),
        (second.pk, bob.pk),
    ]
    assert AuditEntry.objects.filter(action="consent.record", actor=bob).count() == 2


def test_it_normalises_the_address(ann: Person) -> None:
    row = consent_record(
        actor=None, person=ann, address=" Ann@Example.COM ", basis="express", source="staff"
    )
    assert row.address == ADDRESS


def test_it_rejects_an_address_that_is_not_the_persons(ann: Person) -> None:
    with pytest.raises(Invalid) as caught:
        consent_record(
            actor=None, person=ann, address="zed@example.com", basis="express", source="staff"
        )
    assert caught.value.fields == {"address": ["That address is not one of this person's."]}
    assert Consent.objects.count() == 0


def test_staff_cannot_record_the_persons_own_acts(ann: Person, bob: User) -> None:
    with pytest.raises(Forbidden):
        consent_record(actor=bob, person=ann, address=ADDRESS, basis="express", source="form")
    assert Consent.objects.count() == 0


def test_a_deactivated_user_cannot_record_consent(ann: Person, charlie: User) -> None:
    with pytest.raises(Forbidden):
        consent_record(actor=charlie, person=ann, address=ADDRESS, basis="express", source="staff")
    assert Consent.objects.count() == 0


def test_staff_cannot_create_or_change_topics(bob: User, news: Topic) -> None:
    with pytest.raises(Forbidden):
        topic_create(actor=bob, name="Offers")
    with pytest.raises(Forbidden):
        topic_update(actor=bob, topic=news, name="Letters")
    assert list(Topic.objects.values_list("name", flat=True)) == ["Newsletter"]


def test_a_duplicate_topic_name_conflicts(maria: User, news: Topic) -> None:
    with pytest.raises(Conflict) as caught:
        topic_create(actor=maria, name=" NEWSLETTER ")
    assert list(caught.value.fields) == ["name"]
    assert Topic.objects.count() == 1


def test_a_manager_renames_a_topic(maria: User, news: Topic) -> None:
    topic_update(actor=maria, topic=news, name="Letters", legitimate_interest=True)
    news.refresh_from_db()
    assert (news.name, news.key, news.legitimate_interest) == ("Letters", "letters", True)


def test_the_person_page_escapes_evidence(ann: Person, news: Topic, bob_client: Client) -> None:
    record(ann, 0, "express", topic=news, evidence="<script>alert(1)</script>")
    html = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Opted in on 3 May 2026 (staff: &lt;script&gt;alert(1)&lt;/script&gt;)" in html


def test_staff_record_a_withdrawal_from_the_person_page(
    ann: Person, news: Topic, bob_client: Client, bob: User
) -> None:
    url = reverse("outreach:consent_add", args=[ann.pk])
    body = {"address": ADDRESS, "topic": news.pk, "basis": "withdrawn", "evidence": "On the phone"}
    response = bob_client.post(url, body)
    assert response.status_code == 302
    row = Consent.objects.get()
    assert (row.basis, row.source, row.topic, row.recorded_by) == ("withdrawn", "staff", news, bob)
    assert row.evidence == "On the phone"


def test_the_form_refuses_another_persons_address(ann: Person, bob_client: Client) -> None:
    url = reverse("outreach:consent_add", args=[ann.pk])
    response = bob_client.post(url, {"address": "zed@example.com", "basis": "express"})
    assert response.status_code == 302
    assert Consent.objects.count() == 0
