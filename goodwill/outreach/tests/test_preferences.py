"""Preference links and the preference page ``/p/<token>/``: only a token's hash is stored, links
are made in bulk in one query, and the person sees every topic, opts out of one or of everything,
or opts in again — with no login."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from goodwill.accounts.services import business_update
from goodwill.core.tests.matrix import db_state
from goodwill.core.tokens import token_hash
from goodwill.outreach.models_campaigns import PreferenceLink
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import consent_status
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.preferences import (
    preference_link_create,
    preference_links_bulk,
    preference_unsubscribe,
)
from goodwill.people.models import Person
from goodwill.people.services.persons import person_update
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ADDRESS = "ann@example.com"


@pytest.fixture(autouse=True)
def _setup(settings: Any) -> None:
    settings.PREFERENCES_RATE = "1000/m"
    cache.clear()
    business_update(actor=None, name="Seaside B&B")


@pytest.fixture
def ann() -> Person:
    return make_person(emails=[ADDRESS])


@pytest.fixture
def offers() -> Topic:
    return topic_create(actor=None, name="Anniversary offers")


@pytest.fixture
def news() -> Topic:
    return topic_create(actor=None, name="Newsletter", description="Once a season.")


@pytest.fixture
def token(ann: Person, offers: Topic, news: Topic) -> str:
    consent_record(
        actor=None, person=ann, address=ADDRESS, topic=offers, basis="express", source="staff"
    )
    return preference_link_create(person=ann, address=ADDRESS, topic=offers)


def page(token: str) -> str:
    return reverse("outreach:preferences", args=[token])


def may_write(person: Person, topic: Topic | None) -> bool:
    return consent_status(person=person, address=ADDRESS, topic=topic).valid


def save(token: str, shown: list[Topic], wanted: list[Topic]) -> Any:
    data = {"shown": [t.pk for t in shown], "wanted": [t.pk for t in wanted]}
    return Client().post(page(token), data)


def test_only_the_hash_of_a_token_is_stored(ann: Person, offers: Topic) -> None:
    raw = preference_link_create(person=ann, address=" Ann@Example.com ", topic=offers)
    link = PreferenceLink.objects.get()
    assert len(raw) == 43
    assert (link.token_hash, link.address, link.topic) == (token_hash(raw), ADDRESS, offers)
    assert raw not in str(list(PreferenceLink.objects.values()))


def test_links_for_a_campaign_are_made_in_one_query(
    ann: Person, offers: Topic, django_assert_max_num_queries: Any
) -> None:
    bea = make_person(given_name="Bea", emails=["bea@example.com"])
    rows = [(ann.pk, ADDRESS, offers.pk), (bea.pk, "bea@example.com", None)]
    # One multi-row insert (on SQLite it goes straight to the driver, unseen by Django).
    with django_assert_max_num_queries(1):
        raws = preference_links_bulk(rows)
    assert len(set(raws)) == 2
    found = {
        link.token_hash: (link.person_id, link.address, link.topic_id)
        for link in PreferenceLink.objects.all()
    }
    assert [found[token_hash(raw)] for raw in raws] == rows


def test_the_page_shows_every_topic_ticked_when_we_may_write(token: str) -> None:
    response = Client().get(page(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What Seaside B&amp;B may send to ann@example.com." in html
    assert html.count('type="checkbox" name="wanted"') == 2
    offers, news = (
        Topic.objects.get(name="Anniversary offers"),
        Topic.objects.get(name="Newsletter"),
    )
    assert f'value="{offers.pk}" checked>' in html
    assert f'value="{news.pk}">' in html
    assert "You asked for these emails." in html
    assert "Once a season." in html
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_a_get_changes_nothing(token: str) -> None:
    before = db_state()
    Client().get(page(token))
    assert db_state() == before


def test_saving_records_only_what_changed(
    token: str, ann: Person, offers: Topic, news: Topic
) -> None:
    before = Consent.objects.count()
    response = save(token, shown=[offers, news], wanted=[news])
    assert response.status_code == 302
    assert response.headers["Location"] == page(token) + "?saved=1"
    assert (may_write(ann, offers), may_write(ann, news)) == (False, True)
    rows = list(Consent.objects.order_by("pk")[before:])
    assert [(r.topic, r.basis, r.source, r.recorded_by) for r in rows] == [
        (offers, "withdrawn", "form", None),
        (news, "express", "form", None),
    ]
    assert "Preference page: ticked the topic" in rows[1].evidence
    save(token, shown=[offers, news], wanted=[news])
    assert Consent.objects.count() == before + 2


def test_the_saved_notice_shows_after_saving(token: str, offers: Topic, news: Topic) -> None:
    response = Client().post(page(token), {"shown": [offers.pk]}, follow=True)
    assert response.status_code == 200
    assert "Saved. Your choices apply from now on." in response.content.decode()


def test_a_topic_added_after_the_page_was_shown_is_left_alone(
    token: str, ann: Person, offers: Topic
) -> None:
    events = topic_create(actor=None, name="Events", legitimate_interest=True)
    save(token, shown=[offers], wanted=[offers])
    assert may_write(ann, events) is True
    assert Consent.objects.filter(topic=events).count() == 0


def test_unsubscribing_from_everything_stops_every_topic(
    token: str, ann: Person, offers: Topic, news: Topic
) -> None:
    consent_record(
        actor=None, person=ann, address=ADDRESS, topic=news, basis="express", source="staff"
    )
    response = Client().post(page(token), {"everything": "1"}, follow=True)
    assert (may_write(ann, None), may_write(ann, offers), may_write(ann, news)) == (
        False,
        False,
        False,
    )
    row = Consent.objects.order_by("-pk").first()
    assert row is not None
    assert (row.topic, row.basis, row.source) == (None, "withdrawn", "form")
    html = response.content.decode()
    assert "You unsubscribed from everything" in html
    assert "checked" not in html


def test_the_persons_own_opt_in_lifts_their_unsubscribe(
    token: str, ann: Person, offers: Topic, news: Topic
) -> None:
    preference_unsubscribe(token=token)
    assert may_write(ann, offers) is False
    save(token, shown=[offers, news], wanted=[offers])
    assert may_write(ann, offers) is True


def test_the_page_needs_its_csrf_token(token: str, ann: Person, offers: Topic) -> None:
    before = db_state()
    response = Client(enforce_csrf_checks=True).post(page(token), {"everything": "1"})
    assert response.status_code == 403
    assert db_state() == before
    assert may_write(ann, offers) is True


def test_an_unknown_topic_is_refused_and_nothing_changes(token: str, offers: Topic) -> None:
    before = db_state()
    response = Client().post(page(token), {"shown": [offers.pk, 99999]})
    assert response.status_code == 422
    assert db_state() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_gets_the_neutral_page(method: str, token: str) -> None:
    before = db_state()
    response = getattr(Client(), method)(page(token[:-2]), {"everything": "1"})
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert db_state() == before


def test_names_on_the_page_are_escaped(token: str) -> None:
    business_update(actor=None, name="<script>alert(1)</script>")
    topic_create(actor=None, name="<img src=x onerror=alert(2)>")
    html = Client().get(page(token)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


@pytest.mark.parametrize("button", ["everything", "save"])
def test_an_address_no_longer_on_record_gets_the_neutral_page_and_changes_nothing(
    button: str, token: str, ann: Person, offers: Topic
) -> None:
    person_update(actor=None, person=ann, emails=["ann@elsewhere.example"])
    data = {"everything": "1"} if button == "everything" else {"shown": [offers.pk]}
    before = db_state()
    response = Client().post(page(token), data)
    assert response.status_code == 404
    assert "Nothing was changed" in response.content.decode()
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert db_state() == before
