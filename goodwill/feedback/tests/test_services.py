"""Noting what a customer said, acknowledging it and saying what was done about it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.feedback.models import Feedback
from goodwill.feedback.services.feedback import (
    feedback_acknowledge,
    feedback_act,
)
from goodwill.feedback.tests.factories import SCRIPT, heard
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db
CATEGORIES = "price, product, service, staff, place, competitor, other"


def _rows() -> list[tuple[object, ...]]:
    return list(
        Feedback.objects.order_by("pk").values_list(
            "status", "handled_by", "handled_at", "action", "text"
        )
    )


def test_any_staff_member_notes_anonymous_feedback_trimmed(bob: User) -> None:
    feedback = heard(bob, text="  Your produce prices are the best in town \n")

    stored = Feedback.objects.get()
    assert stored.pk == feedback.pk
    assert stored.text == "Your produce prices are the best in town"
    assert (stored.source, stored.category, stored.sentiment) == ("counter", "price", "positive")
    assert stored.person is None
    assert stored.heard_by == bob
    assert stored.status == Feedback.Status.NEW
    assert stored.handled_by is None
    assert Interaction.objects.count() == 0
    entry = AuditEntry.objects.get(action="feedback.create")
    assert entry.actor == bob
    assert entry.person_id is None
    assert entry.changes["text"] == [None, "Your produce prices are the best in town"]


def test_feedback_from_a_person_is_logged_on_their_timeline(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")

    feedback = heard(bob, person=anne, category="service", sentiment="negative", source="phone")

    touch = Interaction.objects.get(person=anne)
    assert touch.kind == Interaction.Kind.FEEDBACK
    assert touch.direction == Interaction.Direction.INBOUND
    assert touch.summary == "Best produce prices in town"
    assert touch.channel == "phone"
    assert touch.staff == bob
    assert touch.occurred_at == feedback.heard_at
    assert AuditEntry.objects.get(action="feedback.create").person_id == anne.pk


def test_a_long_remark_is_summarised_on_the_timeline_with_the_whole_text_as_details() -> None:
    anne = make_person(given_name="Anne")
    text = "word " * 300

    heard(person=anne, text=text)

    touch = Interaction.objects.get()
    assert len(touch.summary) == 200
    assert touch.summary.endswith("…")
    assert touch.body == text.strip()


def test_managers_and_owners_may_note_feedback_too(maria: User, alice: User) -> None:
    heard(maria)
    heard(alice)
    assert sorted(Feedback.objects.values_list("heard_by__email", flat=True)) == [
        "alice@example.com",
        "maria@example.com",
    ]


def test_a_deactivated_user_cannot_note_feedback(charlie: User) -> None:
    with pytest.raises(Forbidden):
        heard(charlie)
    assert Feedback.objects.count() == 0
    assert AuditEntry.objects.filter(action="feedback.create").count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "   "}, "text", "Write down what they said."),
        ({"text": "x" * 2001}, "text", "At most 2000 characters."),
        ({"category": "weather"}, "category", f"Choose one of: {CATEGORIES}."),
        ({"sentiment": "meh"}, "sentiment", "Choose one of: positive, negative, neutral."),
        ({"source": "survey"}, "source", "Choose one of: counter, phone."),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    bob: User, overrides: dict[str, str], field: str, message: str
) -> None:
    anne = make_person(given_name="Anne")
    with pytest.raises(Invalid) as caught:
        heard(bob, person=anne, **overrides)
    assert caught.value.fields == {field: [message]}
    assert caught.value.message == f"{field}: {message}"
    assert Feedback.objects.count() == 0
    assert Interaction.objects.count() == 0


def test_a_naive_time_is_refused(bob: User) -> None:
    with pytest.raises(Invalid) as caught:
        heard(bob, heard_at=dt.datetime(2026, 5, 1, 9, 0))
    assert caught.value.fields == {"heard_at": ["Give the time with its time zone."]}
    assert Feedback.objects.count() == 0


def test_a_manager_acknowledges_new_feedback(bob: User, maria: User) -> None:
    feedback = heard(bob)

    feedback_acknowledge(actor=maria, feedback=feedback)

    stored = Feedback.objects.get()
    assert stored.status == Feedback.Status.ACKNOWLEDGED
    assert stored.handled_by == maria
    assert stored.handled_at is not None
    assert timezone.now() - stored.handled_at < dt.timedelta(minutes=1)
    entry = AuditEntry.objects.get(action="feedback.acknowledge")
    assert entry.actor == maria
    assert entry.changes["status"] == ["new", "acknowledged"]


def test_acknowledging_twice_changes_nothing_the_second_time(bob: User, maria: User) -> None:
    feedback = heard(bob)
    feedback_acknowledge(actor=maria, feedback=feedback)
    before = _rows()

    feedback_acknowledge(actor=maria, feedback=Feedback.objects.get())

    assert _rows() == before
    assert AuditEntry.objects.filter(action="feedback.acknowledge").count() == 1


def test_an_owner_records_what_was_done(bob: User, alice: User) -> None:
    feedback = heard(bob)

    feedback_act(actor=alice, feedback=feedback, action="  Put it on the shop window  ")

    stored = Feedback.objects.get()
    assert stored.status == Feedback.Status.ACTED_ON
    assert stored.action == "Put it on the shop window"
    assert stored.handled_by == alice
    entry = AuditEntry.objects.get(action="feedback.act")
    assert entry.changes["status"] == ["new", "acted_on"]
    assert entry.changes["action"] == ["", "Put it on the shop window"]


def test_staff_cannot_acknowledge_or_act(bob: User) -> None:
    feedback = heard(bob)
    before = _rows()

    with pytest.raises(Forbidden):
        feedback_acknowledge(actor=bob, feedback=feedback)
    with pytest.raises(Forbidden):
        feedback_act(actor=bob, feedback=feedback, action="Nothing")

    assert _rows() == before
    assert (
        AuditEntry.objects.filter(action__in=["feedback.acknowledge", "feedback.act"]).count() == 0
    )


def test_acting_without_saying_what_was_done_is_refused(bob: User, maria: User) -> None:
    feedback = heard(bob)
    before = _rows()

    with pytest.raises(Invalid) as caught:
        feedback_act(actor=maria, feedback=feedback, action="  ")

    assert caught.value.fields == {"action": ["Say in a few words what you did."]}
    assert _rows() == before


def test_html_is_stored_as_plain_text_in_the_feedback_and_the_audit(bob: User) -> None:
    heard(bob, text=f"Loved it {SCRIPT}")
    assert Feedback.objects.get().text == f"Loved it {SCRIPT}"
    entry = AuditEntry.objects.get(action="feedback.create")
    assert entry.changes["text"] == [None, f"Loved it {SCRIPT}"]


def test_the_database_refuses_a_score_outside_0_to_10() -> None:
    now = timezone.now()
    Feedback.objects.create(source="survey", category="other", heard_at=now, score=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(source="survey", category="other", heard_at=now, score=11)
    assert Feedback.objects.count() == 1


def test_the_database_refuses_an_empty_remark_unless_it_is_a_survey() -> None:
    now = timezone.now()
    Feedback.objects.create(source="survey", category="other", heard_at=now, thumbs_up=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(source="counter", category="other", heard_at=now)
    assert Feedback.objects.count() == 1


def test_erasing_a_person_removes_their_feedback(bob: User) -> None:
    anne = make_person(given_name="Anne")
    heard(bob, person=anne)
    heard(bob)
    anne.delete()
    assert list(Feedback.objects.values_list("person", flat=True)) == [None]
