"""The touch budget: each rule blocks with its reason and lets through when not exceeded, the
bulk answer agrees with the single one, quiet hours in the person's zone, and the policy's
validation and permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch, TouchPolicy
from goodwill.outreach.selectors.budget import (
    budget_blocked,
    budget_check,
    quiet_until,
    touch_policy,
)
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.services.touch_policy import person_touch_policy_set, touch_policy_update
from goodwill.outreach.services.touches import TouchRow, touch_log, touches_record
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 3, 12, 0, tzinfo=dt.UTC)


def days(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def touch(person: Person, n: float, purpose: str = "marketing", intent: str = "giving", **kw: Any):
    touches_record(
        rows=[TouchRow(person_id=person.pk, at=days(n), purpose=purpose, intent=intent, **kw)]
    )


def check(person: Person, n: float, intent: str = "giving", **kw: Any) -> tuple[bool, str]:
    verdict = budget_check(person=person, intent=intent, at=days(n), **kw)
    return verdict.allowed, verdict.reason


@pytest.fixture
def ann() -> Person:
    return make_person()


def test_a_second_marketing_touch_within_14_days_is_blocked(ann: Person) -> None:
    touch(ann, 0)
    assert check(ann, 10) == (False, "1 marketing touch in the last 14 days (limit 1)")
    assert check(ann, 15) == (True, "")


def test_at_most_four_marketing_touches_in_90_days(ann: Person) -> None:
    for n in (0, 20, 40, 60):
        touch(ann, n)
    assert check(ann, 80) == (False, "4 marketing touches in the last 90 days (limit 4)")
    assert check(ann, 91) == (True, "")


def test_a_one_to_one_asking_call_counts_but_a_giving_one_does_not(ann: Person) -> None:
    touch(ann, 0, purpose="one_to_one", intent="giving", channel="phone")
    assert check(ann, 5) == (True, "")
    touch(ann, 6, purpose="one_to_one", intent="asking", channel="phone")
    assert check(ann, 10) == (False, "1 marketing touch in the last 14 days (limit 1)")


def test_nothing_goes_within_the_gap_after_a_one_to_one_touch(ann: Person) -> None:
    touch(ann, 0, purpose="one_to_one", intent="giving", channel="phone")
    assert check(ann, 1) == (False, "within 48 h of the last touch")
    assert check(ann, 2.1) == (True, "")


def test_a_transactional_message_neither_counts_nor_starts_the_gap(ann: Person) -> None:
    touch(ann, 0, purpose="transactional", intent="neutral")
    assert check(ann, 0.1) == (True, "")


def test_asking_again_waits_for_a_giving_touch(ann: Person) -> None:
    person_touch_policy_set(actor=None, person=ann, short_max=10, long_max=10)
    touch(ann, 0, intent="asking")
    assert check(ann, 5, intent="asking") == (False, "asking again before a giving touch")
    assert check(ann, 5, intent="giving") == (True, "")
    touch(ann, 5, intent="giving")
    assert check(ann, 10, intent="asking") == (True, "")


def test_asking_again_is_allowed_when_the_policy_does_not_require_giving(ann: Person) -> None:
    touch_policy_update(actor=None, giving_before_asking=False, short_max=5)
    touch(ann, 0, intent="asking")
    assert check(ann, 5, intent="asking") == (True, "")


def test_one_urgent_subject_per_quarter(ann: Person) -> None:
    touch(ann, 0, urgent=True)
    assert check(ann, 60, urgent=True) == (False, "an urgent subject already this quarter")
    assert check(ann, 60) == (True, "")
    assert check(ann, 91, urgent=True) == (True, "")


def test_a_touch_whose_message_failed_does_not_count(ann: Person) -> None:
    message = message_enqueue(
        actor=None,
        kind="marketing",
        recipients=["ann@example.com"],
        subject="Spring",
        body_text="Hello",
        idempotency_key="spring-ann",
        person=ann,
    )
    touch(ann, 0, message_id=message.pk)
    assert check(ann, 5)[0] is False
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.FAILED)
    assert check(ann, 5) == (True, "")


def test_a_persons_own_limits_raise_or_lower_the_budget(ann: Person) -> None:
    ben = make_person(given_name="Ben")
    touch(ann, 0)
    touch(ben, 0)
    person_touch_policy_set(actor=None, person=ann, short_max=2)
    person_touch_policy_set(actor=None, person=ben, short_days=30)
    assert check(ann, 10) == (True, "")
    assert check(ben, 20) == (False, "1 marketing touch in the last 30 days (limit 1)")
    person_touch_policy_set(actor=None, person=ben, short_days=None)
    assert check(ben, 20) == (True, "")


def test_the_bulk_answer_agrees_with_the_single_one(ann: Person) -> None:
    people = [make_person(given_name=f"P{i}") for i in range(6)]
    touch(people[0], 0)
    touch(people[1], 0, purpose="one_to_one", intent="giving", channel="phone")
    touch(people[2], 0, intent="asking")
    touch(people[3], -30, urgent=True)
    touch(people[4], -5, purpose="transactional", intent="neutral")
    person_touch_policy_set(actor=None, person=people[5], short_max=0)
    ids = [p.pk for p in people] + [ann.pk]
    for intent, urgent in [("giving", False), ("asking", True)]:
        expected = {}
        for person in [*people, ann]:
            verdict = budget_check(person=person, intent=intent, urgent=urgent, at=days(1))
            if not verdict.allowed:
                expected[person.pk] = verdict.reason
        assert budget_blocked(person_ids=ids, intent=intent, urgent=urgent, at=days(1)) == expected
        assert budget_blocked(person_ids=None, intent=intent, urgent=urgent, at=days(1)) == expected
    assert set(budget_blocked(person_ids=ids, intent="giving", at=days(1))) == {
        people[0].pk,
        people[1].pk,
        people[2].pk,
        people[5].pk,
    }


def test_the_bulk_answer_takes_a_few_queries(ann: Person, django_assert_max_num_queries) -> None:
    people = [make_person(given_name=f"P{i}") for i in range(5)]
    for person in people:
        touch(person, 0)
    person_touch_policy_set(actor=None, person=people[0], short_max=3)
    with django_assert_max_num_queries(4):
        blocked = budget_blocked(person_ids=None, intent="giving", at=days(3))
    assert blocked == {p.pk: "1 marketing touch in the last 14 days (limit 1)" for p in people[1:]}


def test_quiet_hours_follow_the_persons_time_zone() -> None:
    at = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)  # 22:00 in Auckland, 11:00 in Lisbon
    until = quiet_until(time_zone="Pacific/Auckland", at=at)
    assert until is not None
    assert until.astimezone(dt.UTC) == dt.datetime(2026, 6, 1, 20, 0, tzinfo=dt.UTC)
    assert quiet_until(time_zone="Europe/Lisbon", at=at) is None


def test_quiet_hours_end_the_same_morning_after_midnight() -> None:
    at = dt.datetime(2026, 6, 1, 2, 30, tzinfo=dt.UTC)  # 03:30 in Lisbon (summer time)
    until = quiet_until(time_zone="Europe/Lisbon", at=at)
    assert until is not None
    assert until.astimezone(dt.UTC) == dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC)


def test_an_empty_zone_means_the_businesss_and_equal_ends_mean_no_quiet_hours() -> None:
    at = dt.datetime(2026, 6, 1, 22, 0, tzinfo=dt.UTC)
    until = quiet_until(time_zone="", at=at)
    assert until is not None
    assert until.astimezone(dt.UTC) == dt.datetime(2026, 6, 2, 8, 0, tzinfo=dt.UTC)
    touch_policy_update(actor=None, quiet_start="00:00", quiet_end="00:00")
    assert quiet_until(time_zone="", at=at) is None


def test_staff_log_a_call_as_asking_and_it_shows_on_the_timeline(ann: Person, bob: User) -> None:
    logged = touch_log(
        actor=bob, person=ann, channel="phone", intent="asking", summary="Asked for a review"
    )
    assert (logged.purpose, logged.counts, logged.created_by) == ("one_to_one", True, bob)
    assert logged.interaction is not None
    assert (logged.interaction.direction, logged.interaction.intent) == ("outbound", "asking")
    assert logged.interaction.summary == "Asked for a review"
    assert AuditEntry.objects.filter(action="touch.log", target_id=logged.pk).count() == 1


def test_logging_names_the_bad_field(ann: Person, bob: User) -> None:
    with pytest.raises(Invalid) as channel:
        touch_log(actor=bob, person=ann, channel="pigeon", intent="asking", summary="x")
    with pytest.raises(Invalid) as intent:
        touch_log(actor=bob, person=ann, channel="phone", intent="taking", summary="x")
    with pytest.raises(Invalid) as summary:
        touch_log(actor=bob, person=ann, channel="phone", intent="giving", summary=" ")
    assert list(channel.value.fields) == ["channel"]
    assert list(intent.value.fields) == ["intent"]
    assert list(summary.value.fields) == ["summary"]
    assert Touch.objects.count() == 0


def test_a_deactivated_user_cannot_log_a_touch(ann: Person, charlie: User) -> None:
    with pytest.raises(Forbidden):
        touch_log(actor=charlie, person=ann, channel="phone", intent="giving", summary="Hi")
    assert Touch.objects.count() == 0


def test_staff_cannot_change_the_policy(bob: User, ann: Person) -> None:
    with pytest.raises(Forbidden):
        touch_policy_update(actor=bob, short_max=3)
    with pytest.raises(Forbidden):
        person_touch_policy_set(actor=bob, person=ann, short_max=3)
    assert touch_policy().short_max == 1
    assert PersonTouchPolicy.objects.count() == 0


def test_a_manager_changes_the_policy_and_it_is_audited(maria: User) -> None:
    touch_policy_update(actor=maria, short_max=2, quiet_start="22:30", stay_in_touch_days=90)
    policy = TouchPolicy.objects.get(pk=1)
    assert (policy.short_max, policy.quiet_start, policy.stay_in_touch_days) == (
        2,
        dt.time(22, 30),
        90,
    )
    assert policy.updated_by == maria
    assert AuditEntry.objects.filter(action="touch_policy.update").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("short_days", 0),
        ("long_days", 366),
        ("short_max", 51),
        ("long_max", -1),
        ("quiet_start", "25:00"),
        ("quiet_end", "8am"),
        ("stay_in_touch_stages", ["regular", "vip"]),
        ("stay_in_touch_days", 0),
        ("min_gap_hours", "soon"),
    ],
)
def test_bad_policy_input_names_the_field(maria: User, field: str, value: object) -> None:
    with pytest.raises(Invalid) as found:
        touch_policy_update(actor=maria, **{field: value})
    assert list(found.value.fields) == [field]
    assert touch_policy().short_max == 1
    assert TouchPolicy.objects.count() == 0


def test_a_worker_rechecking_a_queued_message_ignores_its_own_touch(ann: Person) -> None:
    message = message_enqueue(
        actor=None,
        kind="marketing",
        recipients=["ann@example.com"],
        subject="Spring",
        body_text="Hello",
        idempotency_key="spring-ann",
        person=ann,
    )
    touch(ann, 0, message_id=message.pk)
    assert check(ann, 0.5, ignore_messages=[message.pk]) == (True, "")
    assert check(ann, 0.5) == (False, "1 marketing touch in the last 14 days (limit 1)")


def test_a_limit_of_zero_blocks_people_never_touched(ann: Person) -> None:
    touch_policy_update(actor=None, long_max=0)
    assert check(ann, 0) == (False, "0 marketing touches in the last 90 days (limit 0)")
    assert budget_blocked(person_ids=None, intent="giving", at=days(0)) == {
        ann.pk: "0 marketing touches in the last 90 days (limit 0)"
    }
