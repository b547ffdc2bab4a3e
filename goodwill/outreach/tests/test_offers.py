"""Offers: what they must say (topic, who they are for, safe templates that greet by name), who
may write them, the audit trail, and the preview with a real person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid, NotFound
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.selectors.offers import offer_get, offer_list, offer_preview
from goodwill.outreach.services.consent import topic_create
from goodwill.outreach.services.offers import offer_archive, offer_create, offer_update
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic() -> Topic:
    return topic_create(actor=None, name="Offers")


@pytest.fixture
def storms() -> None:
    give_interests(make_person(given_name="Sam"), "Storm chasing", "Gluten-free")


def payload(topic: Topic, /, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Storm season",
        "topic": topic,
        "interests": ["storm chasing"],
        "subject_template": "A storm-watch night for you, {{ preferred_name }}",
        "body_template": "Dear {{ preferred_name }},\n\nYour code: {{ offer_code }}.",
        "code_prefix": "storm",
    }
    fields.update(overrides)
    return fields


def create(actor: User | None, topic: Topic, /, **overrides: Any) -> Offer:
    return offer_create(actor=actor, **payload(topic, **overrides))


def refused(actor: User | None, topic: Topic, /, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(Invalid) as caught:
        create(actor, topic, **overrides)
    assert Offer.objects.count() == 0
    return caught.value.fields


def test_a_manager_creates_an_offer(maria: User, topic: Topic, storms: None) -> None:
    offer = create(maria, topic, categories=[" Gluten-Free ", "gluten-free", "Bread"])
    assert (offer.name, offer.topic, offer.code_prefix, offer.intent) == (
        "Storm season",
        topic,
        "STORM",
        "giving",
    )
    assert [i.key for i in offer.interests.all()] == ["storm chasing"]
    assert offer.categories == ["Gluten-Free", "Bread"]
    entry = AuditEntry.objects.get(action="offer.create")
    assert (entry.actor, entry.target_id, entry.changes["interests"]) == (
        maria,
        offer.pk,
        [offer.interests.get().pk],
    )


def test_staff_cannot_create_an_offer(bob: User, topic: Topic, storms: None) -> None:
    with pytest.raises(Forbidden):
        create(bob, topic)
    assert Offer.objects.count() == 0


def test_an_offer_needs_a_topic(maria: User, topic: Topic, storms: None) -> None:
    assert refused(maria, topic, topic=None) == {
        "topic": ["Choose a topic; every offer belongs to one."]
    }


def test_an_offer_needs_to_say_who_it_is_for(maria: User, topic: Topic) -> None:
    assert refused(maria, topic, interests=[]) == {
        "interests": ["Say who this offer is for: interests, occasions or purchase categories."]
    }


def test_an_occasion_kind_alone_is_enough(maria: User, topic: Topic) -> None:
    offer = create(maria, topic, interests=[], occasion_kinds=["wedding_anniversary"])
    assert offer.occasion_kinds == ["wedding_anniversary"]


def test_unknown_interests_and_occasions_are_named(maria: User, topic: Topic) -> None:
    fields = refused(maria, topic, interests=["kite surfing"], occasion_kinds=["divorce"])
    assert fields == {
        "occasion_kinds": [
            "Unknown occasion “divorce”; one of birthday, wedding_anniversary, anniversary, custom."
        ],
        "interests": ["No interest called “kite surfing”; add it to someone's interests first."],
    }


def test_every_fault_is_reported_at_once(maria: User, topic: Topic, storms: None) -> None:
    fields = refused(
        maria,
        topic,
        name=" ",
        subject_template="Hi {{ email }}",
        body_template="Dear friend,\nHello {{ given_name }}",
        valid_from=dt.date(2026, 6, 2),
        valid_until=dt.date(2026, 6, 1),
        code_prefix="no spaces!",
    )
    assert fields == {
        "name": ["Give the offer a name."],
        "subject_template": [
            "line 1, column 4: unknown placeholder {{ email }}; use one of preferred_name, "
            "given_name, family_name, names, business, occasion, years, offer_code, valid_until, "
            "unsubscribe_url, preferences_url"
        ],
        "body_template": [
            "Start the message with the person's name, e.g. “Dear {{ preferred_name }},”"
        ],
        "code_prefix": ["Up to 12 letters A–Z and digits, or nothing."],
        "valid_until": ["The offer must end on or after the day it starts."],
    }


def test_a_subject_with_a_line_break_is_refused(maria: User, topic: Topic, storms: None) -> None:
    assert refused(maria, topic, subject_template="Hi\r\nBcc: x@evil.test") == {
        "subject_template": ["A subject is one line; remove the line break."]
    }


def test_a_manager_edits_an_offer(maria: User, topic: Topic, storms: None) -> None:
    offer = create(maria, topic)
    offer_update(actor=maria, offer=offer, name="Storms", interests=["gluten free"])
    offer.refresh_from_db()
    assert (offer.name, [i.key for i in offer.interests.all()]) == ("Storms", ["gluten free"])
    entry = AuditEntry.objects.get(action="offer.update")
    assert entry.changes["name"] == ["Storm season", "Storms"]


def test_a_refused_edit_changes_nothing(maria: User, topic: Topic, storms: None) -> None:
    offer = create(maria, topic)
    with pytest.raises(Invalid):
        offer_update(actor=maria, offer=offer, name="Other", body_template="Hello {{ x }}")
    offer.refresh_from_db()
    assert offer.name == "Storm season"
    assert not AuditEntry.objects.filter(action="offer.update").exists()


def test_staff_cannot_edit_or_archive(maria: User, bob: User, topic: Topic, storms: None) -> None:
    offer = create(maria, topic)
    with pytest.raises(Forbidden):
        offer_update(actor=bob, offer=offer, name="Mine")
    with pytest.raises(Forbidden):
        offer_archive(actor=bob, offer=offer)
    offer.refresh_from_db()
    assert (offer.name, offer.archived_at) == ("Storm season", None)


def test_an_archived_offer_leaves_the_list_and_cannot_change(
    maria: User, bob: User, topic: Topic, storms: None
) -> None:
    offer = create(maria, topic)
    offer_archive(actor=maria, offer=offer)
    assert offer_list(user=bob) == []
    assert offer_list(user=bob, include_archived=True) == [offer]
    with pytest.raises(Conflict):
        offer_update(actor=maria, offer=offer, name="Again")
    assert AuditEntry.objects.filter(action="offer.archive").count() == 1


def test_staff_read_offers_and_others_get_not_found(
    bob: User, maria: User, charlie: User, topic: Topic
) -> None:
    offer = create(maria, topic, interests=[], occasion_kinds=["birthday"])
    assert offer_get(user=bob, offer_id=offer.pk) == offer
    with pytest.raises(NotFound):
        offer_get(user=bob, offer_id=offer.pk + 1)
    with pytest.raises(Forbidden):
        offer_list(user=charlie)


def test_the_preview_renders_for_a_real_person(maria: User, topic: Topic, storms: None) -> None:
    offer = create(maria, topic, subject_template="Last chance, {{ preferred_name }}!")
    anna = make_person(given_name="Anna", preferred_name="Annie")
    preview = offer_preview(offer=offer, person=anna)
    assert (preview.subject, preview.body) == (
        "Last chance, Annie!",
        "Dear Annie,\n\nYour code: STORM-SAMPLE.",
    )
    assert (preview.held_reason, preview.urgent) == ("", True)


def test_the_preview_says_why_a_message_would_be_held(
    maria: User, topic: Topic, storms: None
) -> None:
    offer = create(maria, topic)
    customer = make_person(given_name="Valued Customer", family_name="Jones")
    preview = offer_preview(offer=offer, person=customer)
    assert preview.held_reason == "“Valued Customer” is not a name"


def test_the_preview_escapes_a_name_in_html(maria: User, topic: Topic, storms: None) -> None:
    offer = create(maria, topic)
    person = make_person(given_name="<b>Ann</b>")
    assert offer_preview(offer=offer, person=person).body_html.startswith(
        "<p>Dear &lt;b&gt;Ann&lt;/b&gt;,</p>"
    )
