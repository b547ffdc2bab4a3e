"""The weekly feedback digest: who gets it, what it says, once a week, Monday 08:00 business
time, nothing in a quiet week."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.accounts.models import User
from goodwill.accounts.services import business_update, user_update
from goodwill.feedback.tests.factories import ESCAPED, SCRIPT, heard
from goodwill.outreach.jobs.feedback_digest import JOB, send_feedback_digests
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.schedule.registry import job_get

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # ISO week 48 of 2026


def _ago(hours: float) -> dt.datetime:
    return MONDAY - dt.timedelta(hours=hours)


def _week() -> None:
    heard(category="price", sentiment="positive", text="Best produce prices", heard_at=_ago(30))
    heard(category="price", sentiment="negative", text="Milk went up", heard_at=_ago(20))
    heard(category="staff", sentiment="positive", text="Sam is lovely", heard_at=_ago(10))
    heard(category="place", sentiment="negative", text="Last month", heard_at=_ago(24 * 8))


def test_managers_and_owners_get_the_week_once(
    alice: User, maria: User, bob: User, charlie: User
) -> None:
    user_update(actor=None, user=charlie, role=User.Role.MANAGER)  # deactivated
    _week()

    assert send_feedback_digests(MONDAY) == 2
    assert send_feedback_digests(MONDAY + dt.timedelta(hours=2)) == 2  # the job ran again

    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [m.recipients for m in messages] == [["alice@example.com"], ["maria@example.com"]]
    assert [m.idempotency_key for m in messages] == [
        f"feedback-digest:{alice.pk}:2026-W48",
        f"feedback-digest:{maria.pk}:2026-W48",
    ]
    message = messages[0]
    assert message.kind == OutboxMessage.Kind.INTERNAL
    assert message.state == OutboxMessage.State.QUEUED
    assert message.subject == "My business — what customers told us, week of 2026-11-16"
    text = message.body_text
    assert "Price: 2 (1 positive, 1 negative)" in text
    assert "Staff: 1 (1 positive, 0 negative)" in text
    assert text.index("Price: 2") < text.index("Staff: 1")
    assert "  - “Milk went up” (negative)\n  - “Best produce prices” (positive)" in text
    assert "Last month" not in text
    assert "http://127.0.0.1:8000/feedback/" in text
    assert "<li>“Sam is lovely” <small>(positive)</small></li>" in message.body_html


def test_nothing_is_sent_after_a_week_without_feedback(alice: User, maria: User) -> None:
    heard(text="Too long ago", heard_at=_ago(24 * 7 + 1))
    assert send_feedback_digests(MONDAY) == 0
    assert OutboxMessage.objects.count() == 0


def test_quotes_are_escaped_in_the_html_part(alice: User) -> None:
    heard(text=f"Great {SCRIPT}", heard_at=_ago(1))

    send_feedback_digests(MONDAY)

    message = OutboxMessage.objects.get()
    assert f"Great {ESCAPED}" in message.body_html
    assert SCRIPT not in message.body_html
    assert f"Great {SCRIPT}" in message.body_text  # plain text carries it as said


def test_the_digest_runs_on_monday_at_eight_in_the_business_zone() -> None:
    business_update(actor=None, time_zone="America/Halifax")
    sunday = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    assert JOB.next_after(sunday) == dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    just_after = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    assert JOB.next_after(just_after) == dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 3, 0, tzinfo=dt.UTC)  # a Wednesday; Halifax is UTC-3
    assert JOB.next_after(summer) == dt.datetime(2026, 7, 6, 11, 0, tzinfo=dt.UTC)


def test_the_job_is_registered_with_the_others() -> None:
    assert job_get("feedback.weekly_digest") is JOB
