"""person_merge keeps the merged person's own contact limits (their touch policy): moved to a
survivor with none, combined (the stricter of each, both notes) with the survivor's, audited."""

from __future__ import annotations

import pytest
from django.apps import apps

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.services.merge import ONE_TO_ONE, person_merge
from goodwill.outreach.models_touch import PersonTouchPolicy
from goodwill.outreach.selectors.budget import Limits, person_limits
from goodwill.outreach.services.touch_policy import person_touch_policy_set
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

QUARTER = "Asked for at most one message a quarter"


def ann_and_anne() -> tuple[Person, Person]:
    ann = make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    anne = make_person(given_name="Anne", family_name="Lee", emails=["ann.lee@work.example"])
    return ann, anne


def merge_entry() -> AuditEntry:
    return AuditEntry.objects.get(action="person.merge")


def test_the_others_own_limits_move_to_a_survivor_without_any(maria: User) -> None:
    ann, anne = ann_and_anne()
    person_touch_policy_set(actor=maria, person=anne, long_max=1, long_days=90, note=QUARTER)
    person_merge(actor=maria, survivor=ann, other=anne)
    assert person_limits(ann) == Limits(
        short_max=1, short_days=14, long_max=1, long_days=90, min_gap_hours=48
    )
    assert PersonTouchPolicy.objects.get(person=ann).note == QUARTER
    entry = merge_entry()
    assert entry.changes["moved"][1]["touch_policy"] == 1
    assert entry.changes["touch_policy"] == [
        None,
        {"long_max": 1, "long_days": 90, "note": QUARTER},
    ]
    assert "merged_touch_policy" not in entry.changes


def test_limits_both_have_keep_the_stricter_of_each_and_both_notes(maria: User) -> None:
    ann, anne = ann_and_anne()
    person_touch_policy_set(
        actor=maria, person=ann, short_max=3, short_days=7, min_gap_hours=24, note="Prefers email"
    )
    person_touch_policy_set(
        actor=maria,
        person=anne,
        short_max=1,
        short_days=14,
        long_max=2,
        long_days=60,
        min_gap_hours=12,
        note=QUARTER,
    )
    person_merge(actor=maria, survivor=ann, other=anne)
    # Fewer per window, the longer window, the longer gap; a limit only one of them set is
    # compared with the business's (2 a quarter beats 4; 60 days never shortens 90).
    assert person_limits(ann) == Limits(
        short_max=1, short_days=14, long_max=2, long_days=90, min_gap_hours=24
    )
    own = PersonTouchPolicy.objects.get()
    assert (own.person_id, own.note) == (ann.pk, f"Prefers email; {QUARTER}")
    assert own.updated_by == maria
    entry = merge_entry()
    assert entry.changes["moved"][1]["touch_policy"] == 1
    assert entry.changes["merged_touch_policy"] == [
        {
            "short_max": 1,
            "short_days": 14,
            "long_max": 2,
            "long_days": 60,
            "min_gap_hours": 12,
            "note": QUARTER,
        },
        None,
    ]
    assert entry.changes["touch_policy"] == [
        {"short_max": 3, "short_days": 7, "min_gap_hours": 24, "note": "Prefers email"},
        {
            "short_max": 1,
            "short_days": 14,
            "long_max": 2,
            "long_days": 90,
            "min_gap_hours": 24,
            "note": f"Prefers email; {QUARTER}",
        },
    ]


def test_a_survivor_who_asked_for_fewer_never_gets_more(maria: User) -> None:
    ann, anne = ann_and_anne()
    person_touch_policy_set(actor=maria, person=ann, long_max=0, note="No marketing at all")
    person_touch_policy_set(actor=maria, person=anne, long_max=10, note="Loves our offers")
    person_merge(actor=maria, survivor=anne, other=ann)
    assert person_limits(anne).long_max == 0
    assert PersonTouchPolicy.objects.get(person=anne).note == (
        "Loves our offers; No marketing at all"
    )


def test_long_notes_are_cut_to_fit_and_the_others_is_whole_in_the_audit(maria: User) -> None:
    ann, anne = ann_and_anne()
    mine, theirs = "M" * 150, "T" * 150
    person_touch_policy_set(actor=maria, person=ann, short_max=2, note=mine)
    person_touch_policy_set(actor=maria, person=anne, short_max=1, note=theirs)
    person_merge(actor=maria, survivor=ann, other=anne)
    own = PersonTouchPolicy.objects.get(person=ann)
    assert (own.short_max, own.note) == (1, f"{mine}; {theirs}"[:200])
    assert merge_entry().changes["merged_touch_policy"][0]["note"] == theirs


def test_every_one_per_person_record_is_merged_explicitly() -> None:
    """A one-to-one link to a person is not re-pointed by the merge's generic pass: each must
    be merged on its own, or deleting the other person would drop it silently."""
    linked = {
        model
        for model in apps.get_models()
        for field in model._meta.fields
        if field.one_to_one and field.related_model is Person
    }
    assert linked == ONE_TO_ONE


def test_a_limit_only_the_other_set_never_loosens_the_survivors(maria: User) -> None:
    """The business allows 4 a quarter with 48 hours between; Ann asked for one a quarter, Anne
    set a 30-day window and 12 hours: Ann keeps one per 90 days, 48 hours apart."""
    ann, anne = ann_and_anne()
    person_touch_policy_set(actor=maria, person=ann, long_max=1, note=QUARTER)
    person_touch_policy_set(actor=maria, person=anne, long_days=30, min_gap_hours=12)
    person_merge(actor=maria, survivor=ann, other=anne)
    limits = person_limits(ann)
    assert (limits.long_max, limits.long_days, limits.min_gap_hours) == (1, 90, 48)
