"""The unsubscribe link ``/u/<token>/``: a GET only asks, a POST (one click, no cookie, no CSRF
token) unsubscribes at once and never redirects; every bad link gets the same page and changes
nothing; a self-unsubscribe is lifted only by the person's own opt-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.services import business_update
from goodwill.core.errors import NotFound
from goodwill.core.tests.matrix import db_state
from goodwill.outreach.models_campaigns import PreferenceLink
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.selectors.preferences import preference_link_get
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.preferences import preference_link_create
from goodwill.people.models import Person
from goodwill.people.services.persons import person_update
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ADDRESS = "ann@example.com"
ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _setup(settings: Any) -> None:
    settings.PREFERENCES_RATE = "1000/m"
    cache.clear()
    business_update(actor=None, name="Seaside B&B", address="1 Shore Road\nSeaside")


@pytest.fixture
def ann() -> Person:
    return make_person(emails=[ADDRESS])


@pytest.fixture
def offers() -> Topic:
    return topic_create(actor=None, name="Anniversary offers")


@pytest.fixture
def token(ann: Person, offers: Topic) -> str:
    consent_record(
        actor=None, person=ann, address=ADDRESS, topic=offers, basis="express", source="staff"
    )
    return preference_link_create(person=ann, address=ADDRESS, topic=offers)


def url(token: str) -> str:
    return reverse("outreach:unsubscribe", args=[token])


def may_write(person: Person, topic: Topic | None) -> bool:
    return consent_status(person=person, address=ADDRESS, topic=topic).valid


def one_click(token: str) -> object:
    """What a mailbox provider sends (RFC 8058): no cookie, no CSRF token."""
    return Client(enforce_csrf_checks=True).post(url(token), ONE_CLICK, content_type=FORM)


def test_a_get_asks_to_confirm_and_changes_nothing(token: str, ann: Person, offers: Topic) -> None:
    before = db_state()
    response = Client().get(url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop emails about Anniversary offers from Seaside B&amp;B?" in page
    assert f'<form method="post" action="{url(token)}">' in page
    assert reverse("outreach:preferences", args=[token]) in page
    assert db_state() == before
    assert may_write(ann, offers) is True
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_one_click_post_unsubscribes_at_once_without_a_redirect(
    token: str, ann: Person, offers: Topic
) -> None:
    response = one_click(token)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert may_write(ann, offers) is False
    row = Consent.objects.order_by("-pk").first()
    assert row is not None
    assert (row.basis, row.source, row.topic, row.recorded_by, row.address) == (
        "withdrawn",
        "unsubscribe",
        offers,
        None,
        ADDRESS,
    )
    assert PreferenceLink.objects.get().used_at is not None


def test_any_post_body_unsubscribes(token: str, ann: Person, offers: Topic) -> None:
    response = Client(enforce_csrf_checks=True).post(url(token))
    assert response.status_code == 200
    assert may_write(ann, offers) is False


def test_only_the_links_topic_is_stopped(token: str, ann: Person, offers: Topic) -> None:
    news = topic_create(actor=None, name="Newsletter")
    consent_record(actor=None, person=ann, address=ADDRESS, basis="express", source="staff")
    one_click(token)
    assert (may_write(ann, offers), may_write(ann, news)) == (False, True)


def test_a_second_post_is_harmless_and_adds_nothing(token: str) -> None:
    one_click(token)
    rows = Consent.objects.count()
    response = one_click(token)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert Consent.objects.count() == rows


def test_a_staff_opt_in_does_not_lift_an_unsubscribe_but_the_persons_own_does(
    token: str, ann: Person, offers: Topic
) -> None:
    one_click(token)
    consent_record(
        actor=None, person=ann, address=ADDRESS, topic=offers, basis="express", source="staff"
    )
    assert may_write(ann, offers) is False
    client = Client()
    page = reverse("outreach:preferences", args=[token])
    client.post(page, {"shown": [offers.pk], "wanted": [offers.pk]})
    assert may_write(ann, offers) is True


def test_a_link_without_a_topic_stops_everything(ann: Person, offers: Topic) -> None:
    consent_record(actor=None, person=ann, address=ADDRESS, basis="express", source="staff")
    raw = preference_link_create(person=ann, address=ADDRESS, topic=None)
    assert "Stop all emails from Seaside B&amp;B?" in Client().get(url(raw)).content.decode()
    one_click(raw)
    assert (may_write(ann, None), may_write(ann, offers)) == (False, False)


def _tampered(raw: str) -> str:
    return raw[:-1] + ("A" if raw[-1] != "A" else "B")


@pytest.mark.parametrize("kind", ["unknown", "tampered", "expired", "too long"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_gets_the_neutral_page_and_changes_nothing(
    kind: str, method: str, token: str, ann: Person, offers: Topic
) -> None:
    if kind == "expired":
        PreferenceLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    bad = {
        "unknown": "not-a-token",
        "tampered": _tampered(token),
        "expired": token,
        "too long": "x" * 101,
    }[kind]
    before = db_state()
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url(bad))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This link does not work" in page
    assert "Anniversary" not in page
    assert db_state() == before
    assert may_write(ann, offers) is True


def test_a_link_works_for_two_years(token: str) -> None:
    link = PreferenceLink.objects.get()
    for days in (400, 729):
        later = link.created_at + dt.timedelta(days=days)
        assert preference_link_get(token=token, now=later).pk == link.pk
    with pytest.raises(NotFound):
        preference_link_get(token=token, now=link.created_at + dt.timedelta(days=731))


def test_too_many_bad_links_from_one_address_get_a_429(settings: Any, token: str) -> None:
    settings.PREFERENCES_RATE = "3/m"
    client = Client()
    statuses = [client.get(url(f"guess-{n}")).status_code for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert client.get(url(token)).status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(url(token)).status_code == 200
    # The one-click POST of a working link still goes through from the limited address.
    assert client.post(url(token), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.post(url("guess-9"), {"List-Unsubscribe": "One-Click"}).status_code == 429


def test_working_links_are_never_slowed_down(settings: Any, ann: Person, offers: Topic) -> None:
    settings.PREFERENCES_RATE = "2/m"
    raws = [preference_link_create(person=ann, address=ADDRESS, topic=offers) for _n in range(5)]
    assert [one_click(raw).status_code for raw in raws] == [200] * 5


def test_the_business_name_is_escaped(token: str) -> None:
    business_update(actor=None, name="<script>alert(1)</script>")
    page = Client().get(url(token)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_one_click_post_for_an_address_no_longer_on_record_still_says_done(
    token: str, ann: Person
) -> None:
    person_update(actor=None, person=ann, emails=["ann@elsewhere.example"])
    consents = Consent.objects.count()
    response = one_click(token)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert Consent.objects.count() == consents
    assert PreferenceLink.objects.get().used_at is not None
