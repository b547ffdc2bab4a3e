"""The audience of an offer: who it is relevant to and why, and everyone left out grouped by the
one reason that stopped them — read set-wise, without a query per person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goodwill.commerce.services import purchase_log
from goodwill.core.errors import Invalid
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.selectors.audience import audience
from goodwill.outreach.services.consent import consent_record
from goodwill.outreach.services.offers import offer_archive, offer_update
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.outreach.suppression import register
from goodwill.outreach.tests.campaign_helpers import fan, make_offer, make_topic, opt_in
from goodwill.people.services import relationship_create
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers() -> Topic:
    return make_topic()


def only(found: dict[str, int], reason: str) -> dict[str, int]:
    """The excluded counts expected when exactly one person was left out, for ``reason``."""
    return {r: int(r == reason) for r in found}


def test_a_fan_with_consent_is_in_with_the_reason(offers: Topic) -> None:
    nora = fan(offers)
    found = audience(offer=make_offer(offers))
    assert [(r.person_id, r.name, r.address, r.reason) for r in found.recipients] == [
        (nora.pk, "Nora Lee", "nora.fan@example.com", "Likes storm chasing")
    ]
    assert found.excluded_total == 0


def test_someone_without_a_matching_interest_is_no_relevance(offers: Topic) -> None:
    fan(offers)
    other = make_person(given_name="Otto", emails=["otto@example.com"])
    give_interests(other, "Knitting")
    opt_in(other, offers)
    found = audience(offer=make_offer(offers))
    assert found.excluded == only(found.excluded, "no_relevance")
    assert [e.person_id for e in found.samples["no_relevance"]] == [other.pk]


def test_a_dislike_is_not_relevance(offers: Topic) -> None:
    person = make_person(given_name="Dana", emails=["dana@example.com"])
    give_interests(person, "Storm chasing", attitude="dislikes")
    opt_in(person, offers)
    found = audience(offer=make_offer(offers))
    assert found.recipients == []
    assert found.excluded == only(found.excluded, "no_relevance")


def test_a_dislike_outweighs_a_purchase_of_the_category(offers: Topic) -> None:
    person = make_person(given_name="Dana", emails=["dana@example.com"])
    give_interests(person, "Storm chasing", attitude="dislikes")
    purchase_log(actor=None, person=person, description="Spa day", category="Spa", amount="90")
    opt_in(person, offers)
    found = audience(offer=make_offer(offers, categories=["spa"]))
    assert found.recipients == []


def test_each_exclusion_reason_has_its_person(offers: Topic) -> None:
    offer = make_offer(offers)
    fan(offers)
    make_person(given_name="Otto", emails=["otto@example.com"])
    no_address = make_person(given_name="Nomail")
    give_interests(no_address, "Storm chasing")
    no_consent = make_person(given_name="Nick", emails=["nick@example.com"])
    give_interests(no_consent, "Storm chasing")
    unsubscribed = fan(offers, "Una")
    consent_record(
        actor=None,
        person=unsubscribed,
        address=unsubscribed.primary_email,
        topic=offers,
        basis="withdrawn",
        source="unsubscribe",
    )
    generic = fan(offers, "Customer")
    touched = fan(offers, "Tess")
    touches_record(
        rows=[
            TouchRow(
                person_id=touched.pk,
                at=timezone.now() - dt.timedelta(days=3),
                purpose="marketing",
                intent="giving",
            )
        ]
    )
    found = audience(offer=offer)
    assert found.excluded == {
        "no_relevance": 1,
        "no_address": 1,
        "suppressed": 1,
        "no_consent": 1,
        "no_name": 1,
        "budget": 1,
        "urgency": 0,
    }
    assert [e.person_id for e in found.samples["no_address"]] == [no_address.pk]
    assert [e.person_id for e in found.samples["no_consent"]] == [no_consent.pk]
    assert [e.person_id for e in found.samples["suppressed"]] == [unsubscribed.pk]
    assert [e.person_id for e in found.samples["no_name"]] == [generic.pk]
    assert found.samples["no_name"][0].detail == "“Customer” is not a name"
    assert [(e.person_id, e.detail) for e in found.samples["budget"]] == [
        (touched.pk, "1 marketing touch in the last 14 days (limit 1)")
    ]
    assert len(found.recipients) == 1


def test_an_erased_address_is_suppressed(offers: Topic) -> None:
    nora = fan(offers)
    checker = lambda addresses: {a for a in addresses if a == "nora.fan@example.com"}  # noqa: E731
    register(checker)
    try:
        found = audience(offer=make_offer(offers))
    finally:
        from goodwill.outreach import suppression

        suppression._checkers.remove(checker)
    assert found.recipients == []
    assert [e.person_id for e in found.samples["suppressed"]] == [nora.pk]


def test_a_withdrawal_from_everything_by_the_person_suppresses(offers: Topic) -> None:
    nora = fan(offers)
    consent_record(
        actor=None,
        person=nora,
        address=nora.primary_email,
        topic=None,
        basis="withdrawn",
        source="form",
    )
    found = audience(offer=make_offer(offers))
    assert found.excluded == only(found.excluded, "suppressed")


def test_an_urgent_subject_after_one_this_quarter_is_urgency(offers: Topic) -> None:
    rushed = fan(offers)
    touches_record(
        rows=[
            TouchRow(
                person_id=rushed.pk,
                at=timezone.now() - dt.timedelta(days=40),
                purpose="marketing",
                intent="giving",
                urgent=True,
            )
        ]
    )
    calm = audience(offer=make_offer(offers))
    urgent = audience(offer=make_offer(offers, subject_template="Last chance, {{ given_name }}!"))
    assert [r.person_id for r in calm.recipients] == [rushed.pk]
    assert urgent.urgent is True
    assert urgent.excluded == only(urgent.excluded, "urgency")


def test_implied_consent_by_a_recent_purchase_counts(offers: Topic) -> None:
    buyer = make_person(given_name="Bea", emails=["bea@example.com"])
    give_interests(buyer, "Storm chasing")
    purchase_log(actor=None, person=buyer, description="Room", amount="100")
    found = audience(offer=make_offer(offers))
    assert [r.person_id for r in found.recipients] == [buyer.pk]


def test_a_purchase_of_a_category_is_relevance(offers: Topic) -> None:
    buyer = make_person(given_name="Bea", emails=["bea@example.com"])
    opt_in(buyer, offers)
    when = dt.datetime(2026, 3, 3, 15, tzinfo=dt.UTC)
    purchase_log(actor=None, person=buyer, description="Spa day", category="Spa ", occurred_at=when)
    found = audience(offer=make_offer(offers, interests=[], categories=["SPA"]))
    assert [(r.person_id, r.reason) for r in found.recipients] == [
        (buyer.pk, "Bought Spa day on 3 Mar 2026")
    ]


def test_a_couple_with_a_shared_occasion_gets_one_message(offers: Topic) -> None:
    ann = make_person(given_name="Ann", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", emails=["ben@example.com"])
    opt_in(ann, offers)
    opt_in(ben, offers)
    couple = relationship_create(actor=None, person=ann, other=ben, kind="spouse")
    soon = timezone.localdate() + dt.timedelta(days=10)
    wedding = occasion_create(
        actor=None, kind="wedding_anniversary", month=soon.month, day=soon.day, relationship=couple
    )
    offer = make_offer(offers, interests=[], occasion_kinds=["wedding_anniversary"])
    found = audience(offer=offer)
    day = f"{soon.day} {soon:%b}"
    assert [(r.person_id, r.reason, r.occasion_id, r.partners) for r in found.recipients] == [
        (ann.pk, f"Wedding anniversary on {day}, with Ben Harris", wedding.pk, (ben.pk,))
    ]
    assert found.excluded_total == 0


def test_an_occasion_months_away_is_not_relevant(offers: Topic) -> None:
    ann = make_person(given_name="Ann", emails=["ann@example.com"])
    opt_in(ann, offers)
    later = timezone.localdate() + dt.timedelta(days=120)
    occasion_create(actor=None, kind="birthday", month=later.month, day=later.day, person=ann)
    found = audience(offer=make_offer(offers, interests=[], occasion_kinds=["birthday"]))
    assert found.recipients == []


def test_an_offer_that_has_ended_is_refused(offers: Topic) -> None:
    offer = make_offer(offers)
    offer_update(
        actor=None,
        offer=offer,
        valid_from=timezone.localdate() - dt.timedelta(days=20),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(Invalid) as caught:
        audience(offer=offer)
    assert list(caught.value.fields) == ["valid_until"]


def test_an_archived_offer_is_refused(offers: Topic) -> None:
    offer = offer_archive(actor=None, offer=make_offer(offers))
    with pytest.raises(Invalid):
        audience(offer=offer)


def test_the_queries_do_not_grow_with_the_people(offers: Topic) -> None:
    offer = make_offer(offers)
    for name in ("Amy", "Bob", "Cy"):
        fan(offers, name)
    audience(offer=offer)  # the settings rows are made on first use
    with CaptureQueriesContext(connection) as few:
        audience(offer=offer)
    for name in ("Dee", "Eve", "Fay", "Gus", "Hal", "Ivy"):
        fan(offers, name)
    with CaptureQueriesContext(connection) as more:
        found = audience(offer=offer)
    assert len(found.recipients) == 9
    assert len(more) == len(few)


def test_it_can_be_narrowed_to_some_people(offers: Topic) -> None:
    amy, bob = fan(offers, "Amy"), fan(offers, "Bob")
    other = make_person(given_name="Otto", emails=["otto@example.com"])
    found = audience(offer=make_offer(offers), person_ids=[bob.pk, other.pk])
    assert [r.person_id for r in found.recipients] == [bob.pk]
    assert found.excluded == only(found.excluded, "no_relevance")
    assert amy.pk not in {e.person_id for group in found.samples.values() for e in group}
