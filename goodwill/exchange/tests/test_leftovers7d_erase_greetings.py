"""Erasing one of a couple or a household: the greetings the app sent to all of them and copied
onto each one's records ("Happy anniversary, Jack and Ann!") no longer name the erased person on
the records of those who stay, nor in the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.services.erase import person_erase
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.services.greetings import greeting_draft, greeting_send
from goodwill.outreach.worker import Worker, WorkerConfig
from goodwill.people.models import Person
from goodwill.people.services import household_create, person_update, relationship_create
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction
from goodwill.timeline.services import interaction_log

pytestmark = pytest.mark.django_db
REMOVED = "(removed: it named a person who was erased)"


@dataclass
class Family:
    jack: Person
    ann: Person
    lily: Person
    wedding: Occasion
    reunion: Occasion
    birthday: Occasion


def _send(actor: User, occasion: Occasion) -> str:
    draft = greeting_draft(occasion=occasion, year=2026)
    greeting_send(actor=actor, occasion=occasion, year=2026, subject=draft.subject, body=draft.body)
    return draft.subject


@pytest.fixture
def family(maria: User) -> Family:
    jack = make_person(given_name="Jack", family_name="Whitman", emails=["jack@x.example"])
    ann = make_person(given_name="Ann", family_name="Whitman", emails=["ann@x.example"])
    lily = make_person(given_name="Lily", family_name="Whitman", emails=["lily@x.example"])
    household = household_create(actor=None, name="Whitmans", member_ids=[jack.pk, ann.pk, lily.pk])
    couple = relationship_create(actor=maria, person=jack, other=ann, kind="spouse")
    wedding = occasion_create(
        actor=maria, kind="wedding_anniversary", year=2000, month=6, day=20, relationship=couple
    )
    reunion = occasion_create(
        actor=maria, kind="custom", label="Family reunion", month=7, day=1, household=household
    )
    birthday = occasion_create(actor=maria, kind="birthday", month=3, day=4, person=ann)
    return Family(jack, ann, lily, wedding, reunion, birthday)


def test_the_greetings_name_jack_on_ann_and_lilys_records_before_he_is_erased(
    maria: User, family: Family
) -> None:
    assert "Jack" in _send(maria, family.wedding)
    assert "Jack" in _send(maria, family.reunion)
    assert Interaction.objects.filter(person=family.lily, summary__contains="Jack").count() == 1
    assert Touch.objects.filter(person=family.ann, summary__contains="Jack").count() == 2


def test_erasing_jack_leaves_his_name_in_no_greeting_ann_and_lily_keep(
    alice: User, maria: User, family: Family
) -> None:
    _send(maria, family.wedding)
    _send(maria, family.reunion)
    own = _send(maria, family.birthday)
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    kept = [family.ann.pk, family.lily.pk]
    timeline = Interaction.objects.filter(person_id__in=kept).order_by("person_id", "id")
    assert list(timeline.values_list("person_id", "summary")) == [
        (family.ann.pk, REMOVED),
        (family.ann.pk, REMOVED),
        (family.ann.pk, own),
        (family.lily.pk, REMOVED),
    ]
    touches = Touch.objects.filter(person_id__in=kept).order_by("person_id", "id")
    assert list(touches.values_list("person_id", "summary")) == [
        (family.ann.pk, REMOVED),
        (family.ann.pk, REMOVED),
        (family.ann.pk, own),
        (family.lily.pk, REMOVED),
    ]
    memory = OccasionTouch.objects.filter(record__occasion=family.reunion)
    assert list(memory.values_list("summary", flat=True)) == [REMOVED]


def test_erasing_jack_leaves_his_name_in_no_audit_entry(
    alice: User, maria: User, family: Family
) -> None:
    _send(maria, family.wedding)
    _send(maria, family.reunion)
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    entries = AuditEntry.objects.values_list("target_label", "changes")
    assert [e for e in entries if "Jack" in e[0] + json.dumps(e[1])] == []
    assert AuditEntry.objects.filter(target_label="[erased]").count() == 3  # Ann's 2, Lily's 1


def test_anns_access_export_no_longer_names_jack(
    alice: User, maria: User, maria_client: Client, family: Family
) -> None:
    _send(maria, family.wedding)
    _send(maria, family.reunion)
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    url = reverse("exchange:person_access", args=[family.ann.pk]) + "?format=json"
    export = maria_client.get(url).content.decode()
    assert "Jack" not in export
    assert "Ann" in export


def test_a_shared_family_name_alone_is_not_taken_for_jacks(
    alice: User, maria: User, family: Family
) -> None:
    interaction_log(
        actor=maria, person=family.ann, kind="note", summary="Whitman family photo on the wall"
    )
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    summaries = Interaction.objects.filter(person=family.ann).values_list("summary", flat=True)
    assert list(summaries) == ["Whitman family photo on the wall"]


def test_erasing_someone_leaves_the_greetings_of_people_only_sharing_a_first_name(
    alice: User, maria: User, family: Family
) -> None:
    other_jack = make_person(given_name="Jack", family_name="Doe", emails=["jd@x.example"])
    birthday = occasion_create(actor=maria, kind="birthday", month=5, day=6, person=other_jack)
    subject = _send(maria, birthday)
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    summaries = Interaction.objects.filter(person=other_jack).values_list("summary", flat=True)
    assert list(summaries) == [subject]


def _sent_before_jack_changed_address(maria: User, family: Family) -> str:
    """The household's greeting went to all three; Jack's address was removed since."""
    subject = _send(maria, family.reunion)
    person_update(actor=None, person=Person.objects.get(pk=family.jack.pk), emails=[])
    return subject


def test_a_sent_greeting_whose_address_jack_no_longer_has_keeps_its_row_without_his_name(
    alice: User, maria: User, family: Family, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _sent_before_jack_changed_address(maria, family)
    Worker(WorkerConfig(name="w1"), stop_when_idle=True, schedule=False).run()
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    message = OutboxMessage.objects.get()
    assert (message.state, message.subject, message.body_text) == ("sent", REMOVED, REMOVED)


def test_a_queued_greeting_naming_jack_is_withdrawn_and_anns_own_stays(
    alice: User, maria: User, family: Family
) -> None:
    _sent_before_jack_changed_address(maria, family)
    own = _send(maria, family.birthday)
    person_erase(actor=alice, person=family.jack, confirm_name="Jack Whitman")
    assert list(OutboxMessage.objects.values_list("subject", "state")) == [(own, "queued")]
