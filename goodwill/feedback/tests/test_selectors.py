"""Reading feedback: the manager's inbox, one item, a person's latest and the weekly summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.core.errors import Forbidden, Invalid, NotFound
from goodwill.feedback.selectors.digest import feedback_digest_summary
from goodwill.feedback.selectors.feedback import (
    feedback_get_for_user,
    feedback_inbox,
    feedback_list_for_person,
)
from goodwill.feedback.services.feedback import feedback_acknowledge
from goodwill.feedback.tests.factories import heard
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def _ago(hours: float) -> dt.datetime:
    return NOW - dt.timedelta(hours=hours)


def test_the_inbox_lists_newest_first_for_managers_and_owners(maria: User, alice: User) -> None:
    old = heard(text="Old", heard_at=_ago(5))
    new = heard(text="New", heard_at=_ago(1))
    middle = heard(text="Middle", heard_at=_ago(3))

    for user in (maria, alice):
        page = feedback_inbox(user=user)
        assert [f.pk for f in page.items] == [new.pk, middle.pk, old.pk]
        assert page.next_cursor is None


def test_staff_and_deactivated_users_cannot_read_the_inbox(bob: User, charlie: User) -> None:
    feedback = heard()
    for user in (bob, charlie):
        with pytest.raises(Forbidden):
            feedback_inbox(user=user)
        with pytest.raises(Forbidden):
            feedback_get_for_user(user=user, feedback_id=feedback.pk)


def test_the_inbox_filters_by_status_category_sentiment_and_source(maria: User) -> None:
    price = heard(category="price", sentiment="positive", source="counter")
    staff = heard(category="staff", sentiment="negative", source="phone")
    neutral = heard(category="staff", sentiment="neutral", source="counter")
    feedback_acknowledge(actor=maria, feedback=staff)

    def ids(**filters: str) -> list[int]:
        return [f.pk for f in feedback_inbox(user=maria, **filters).items]

    assert ids(status="new") == [neutral.pk, price.pk]
    assert ids(status="acknowledged") == [staff.pk]
    assert ids(category="staff") == [neutral.pk, staff.pk]
    assert ids(sentiment="negative") == [staff.pk]
    assert ids(source="phone") == [staff.pk]
    assert ids(category="staff", source="counter") == [neutral.pk]
    assert ids(status="acted_on") == []


def test_an_unknown_filter_value_is_refused_naming_the_filter(maria: User) -> None:
    with pytest.raises(Invalid) as caught:
        feedback_inbox(user=maria, sentiment="meh")
    assert caught.value.fields == {"sentiment": ["Choose one of: positive, negative, neutral."]}


def test_the_inbox_pages_by_cursor_without_skipping_same_time_rows(maria: User) -> None:
    same = _ago(2)
    rows = [heard(text=f"Remark {n}", heard_at=same) for n in range(5)]

    first = feedback_inbox(user=maria, limit=2)
    second = feedback_inbox(user=maria, limit=2, cursor=first.next_cursor)
    third = feedback_inbox(user=maria, limit=2, cursor=second.next_cursor)

    expected = [f.pk for f in reversed(rows)]
    assert [f.pk for f in first.items + second.items + third.items] == expected
    assert third.next_cursor is None


def test_a_bad_cursor_is_refused(maria: User) -> None:
    with pytest.raises(Invalid) as caught:
        feedback_inbox(user=maria, cursor="not-a-cursor")
    assert caught.value.fields == {"cursor": ["This cursor is not valid."]}


def test_unknown_feedback_is_not_found(maria: User) -> None:
    with pytest.raises(NotFound):
        feedback_get_for_user(user=maria, feedback_id=999)


def test_a_persons_five_newest_for_managers_and_nothing_for_staff(maria: User, bob: User) -> None:
    anne = make_person(given_name="Anne")
    rows = [heard(person=anne, text=f"Remark {n}", heard_at=_ago(10 - n)) for n in range(7)]
    heard(text="Someone else")

    latest = feedback_list_for_person(user=maria, person=anne)

    assert [f.text for f in latest] == [f"Remark {n}" for n in (6, 5, 4, 3, 2)]
    assert latest[0].pk == rows[6].pk
    assert feedback_list_for_person(user=bob, person=anne) == []


def test_the_digest_summary_counts_by_category_with_the_three_latest_quotes() -> None:
    heard(category="price", sentiment="positive", text="Cheapest apples", heard_at=_ago(30))
    heard(category="price", sentiment="positive", text="Great deals", heard_at=_ago(20))
    heard(category="price", sentiment="negative", text="Milk went up", heard_at=_ago(10))
    heard(category="price", sentiment="neutral", text="Same as Aldi", heard_at=_ago(5))
    heard(category="staff", sentiment="negative", text="Rude at till 2", heard_at=_ago(4))
    heard(category="staff", sentiment="positive", text="Sam is lovely", heard_at=_ago(3))
    heard(category="place", sentiment="negative", text="Too old", heard_at=_ago(24 * 8))
    heard(category="other", sentiment="neutral", text="Too new", heard_at=NOW)

    summary = feedback_digest_summary(since=NOW - dt.timedelta(days=7), until=NOW)

    assert [(s.category, s.label, s.count, s.positive, s.negative) for s in summary] == [
        ("price", "Price", 4, 2, 1),
        ("staff", "Staff", 2, 1, 1),
    ]
    assert [(q.text, q.sentiment) for q in summary[0].quotes] == [
        ("Same as Aldi", "neutral"),
        ("Milk went up", "negative"),
        ("Great deals", "positive"),
    ]
    assert [q.text for q in summary[1].quotes] == ["Sam is lovely", "Rude at till 2"]


def test_equal_counts_follow_the_category_order() -> None:
    heard(category="competitor", heard_at=_ago(1))
    heard(category="product", heard_at=_ago(2))

    summary = feedback_digest_summary(since=_ago(24), until=NOW)

    assert [s.category for s in summary] == ["product", "competitor"]


def test_a_week_without_feedback_has_an_empty_summary() -> None:
    heard(heard_at=timezone.now())
    assert feedback_digest_summary(since=_ago(24 * 7), until=NOW) == []
