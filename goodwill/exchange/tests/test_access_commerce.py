"""The right of access and erasure cover what a person bought and told us: purchases, their
journey, frontline notes, follow-ups and survey links."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import User
from goodwill.commerce.models import Journey, Purchase
from goodwill.commerce.services.loyalty import loyalty_number_set
from goodwill.commerce.tests.factories import buy
from goodwill.exchange.export.access import person_access_data
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.tests.test_erase import mentions
from goodwill.feedback.models import Feedback, FollowUp, Survey
from goodwill.feedback.services.feedback import feedback_heard_create
from goodwill.feedback.services.followups import followup_mark_asked
from goodwill.outreach.models_consent import Consent
from goodwill.outreach.services.consent import consent_record
from goodwill.outreach.services.surveys import survey_send
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
SECRETS = ["Yolanda", "Brightwater", "velvet truffle box", "the sauna was cold", "YB4471"]


@pytest.fixture
def yolanda(bob: User) -> object:
    person = make_person(
        given_name="Yolanda", family_name="Brightwater", emails=["yolanda@erase.example"]
    )
    loyalty_number_set(actor=bob, person=person, number="YB-4471")
    first = buy(person, days=9, description="velvet truffle box")
    second = buy(person, days=5, description="Sauna evening")
    followup_mark_asked(
        actor=bob, purchase=first, method="phone", answer="the sauna was cold", category="place"
    )
    survey_send(actor=bob, purchase=second)
    consent_record(
        actor=bob,
        person=person,
        address="yolanda@erase.example",
        basis="express",
        source="staff",
        evidence="Yolanda asked for the seasonal letter",
    )
    feedback_heard_create(
        actor=bob,
        text="Yolanda Brightwater loves the shop",
        category="staff",
        sentiment="positive",
        person=person,
    )
    return person


def test_their_data_lists_purchases_journey_feedback_followups_and_surveys(yolanda: object) -> None:
    data = person_access_data(yolanda)  # type: ignore[arg-type]

    assert data["loyalty_numbers"] == ["YB4471"]
    assert [p["what"] for p in data["purchases"]] == ["velvet truffle box", "Sauna evening"]
    assert data["journey"]["stage"] == "returning"
    assert sorted(f["said"] for f in data["feedback"]) == [
        "Yolanda Brightwater loves the shop",
        "the sauna was cold",
    ]
    assert sorted(f["method"] for f in data["followups"]) == ["phone", "survey"]
    assert len(data["surveys"]) == 1
    assert "token" not in str(data["surveys"])
    assert [(c["basis"], c["evidence"]) for c in data["consents"]] == [
        ("express", "Yolanda asked for the seasonal letter")
    ]


def test_erasure_removes_them_from_every_table(yolanda: object, alice: User) -> None:
    person_erase(actor=alice, person=yolanda, confirm_name="Yolanda Brightwater")  # type: ignore[arg-type]

    assert mentions(SECRETS) == []
    for model in (Purchase, Journey, Feedback, FollowUp, Survey, Consent):
        assert model.objects.count() == 0


def test_a_merge_moves_purchases_and_recomputes_the_stage(maria: User) -> None:
    from django.utils import timezone

    from goodwill.commerce.services import journey_note_score
    from goodwill.exchange.services.merge import person_merge

    anne = make_person(given_name="Anne", family_name="Lee")
    twin = make_person(given_name="Anne", family_name="Lee")
    buy(anne, days=30)
    buy(twin, days=3)
    journey_note_score(person=twin, score=10, at=timezone.now())

    person_merge(actor=maria, survivor=anne, other=twin)

    journey = Journey.objects.get(person=anne)
    assert (journey.purchases, journey.best_score, journey.stage) == (2, 10, "advocate")
    assert Purchase.objects.filter(person=anne).count() == 2
