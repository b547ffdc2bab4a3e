"""The outbox's services: enqueue (validated, idempotent, with a stable Message-ID), and the
manager's release, retry and cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services import outbox
from goodwill.outreach.services.outbox import (
    message_cancel,
    message_enqueue,
    message_release,
    message_retry,
)

State = OutboxMessage.State


def _payload(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "actor": None,
        "kind": OutboxMessage.Kind.INTERNAL,
        "recipients": ["anne@example.com"],
        "subject": "Your agenda for today",
        "body_text": "Ben turns 40.",
        "idempotency_key": "digest:1:2026-11-23",
    }
    data.update(overrides)
    return data


def test_it_queues_a_message_due_now_with_a_message_id_of_the_site(settings: Any, db: None) -> None:
    settings.SITE_URL = "https://crm.example.org"
    before = timezone.now()
    message = message_enqueue(**_payload())
    message.refresh_from_db()
    assert message.state == State.QUEUED
    assert message.recipients == ["anne@example.com"]
    assert message.attempts == 0
    assert before <= message.next_attempt_at <= timezone.now()
    assert message.message_id.startswith("<")
    assert message.message_id.endswith("@crm.example.org>")
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_the_same_key_twice_returns_the_first_message_unchanged(db: None) -> None:
    first = message_enqueue(**_payload())
    again = message_enqueue(**_payload(subject="Something else", recipients=["x@example.com"]))
    assert again.pk == first.pk
    assert again.subject == "Your agenda for today"
    assert again.message_id == first.message_id
    assert OutboxMessage.objects.count() == 1


def test_a_key_queued_by_another_process_meanwhile_returns_that_row(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = message_enqueue(**_payload(idempotency_key="race"))
    # The other process's row lands between our look-up and our insert.
    monkeypatch.setattr(outbox, "_existing", lambda key: None)
    message = message_enqueue(**_payload(idempotency_key="race", subject="Mine"))
    assert message.pk == other.pk
    assert message.subject == "Your agenda for today"
    assert OutboxMessage.objects.count() == 1


def test_it_keeps_display_names_and_normalises_the_domain(db: None) -> None:
    message = message_enqueue(**_payload(recipients=["Anne Harris <anne@EXAMPLE.com>"]))
    assert message.recipients == ["Anne Harris <anne@example.com>"]


def test_a_non_ascii_address_with_a_display_name_is_queued_bare(db: None) -> None:
    message = message_enqueue(**_payload(recipients=["Zoë Park <zoë@example.com>"]))
    assert message.recipients == ["zoë@example.com"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipients": ["not-an-address"]}, "recipients"),
        ({"recipients": ["anne@example.com", "bob@"]}, "recipients"),
        ({"recipients": []}, "recipients"),
        ({"recipients": "anne@example.com"}, "recipients"),
        ({"reply_to": "nobody"}, "reply_to"),
        ({"kind": "spam"}, "kind"),
        ({"subject": "  "}, "subject"),
        ({"subject": "Hello\nBcc: everyone@example.com"}, "subject"),
        ({"body_text": ""}, "body_text"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"headers": {"Message-ID": "<mine@example.com>"}}, "headers"),
        ({"headers": {"X-Tag": "a\r\nBcc: x@example.com"}}, "headers"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(
    db: None, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        message_enqueue(**_payload(**overrides))
    assert list(caught.value.fields) == [field]
    assert OutboxMessage.objects.count() == 0


def test_a_message_with_a_held_reason_is_held(db: None) -> None:
    message = message_enqueue(**_payload(held_reason="No usable name."))
    assert message.state == State.HELD
    assert message.held_reason == "No usable name."


def test_staff_messages_are_audited_and_system_messages_are_not(bob: User) -> None:
    message_enqueue(**_payload())
    assert AuditEntry.objects.filter(action="outbox.enqueue").count() == 0
    greeting = message_enqueue(**_payload(actor=bob, idempotency_key="greeting:1"))
    entry = AuditEntry.objects.get(action="outbox.enqueue")
    assert entry.actor == bob
    assert entry.target_id == greeting.pk
    assert greeting.created_by == bob


def test_a_deactivated_user_cannot_enqueue(charlie: User) -> None:
    with pytest.raises(Forbidden):
        message_enqueue(**_payload(actor=charlie))
    assert OutboxMessage.objects.count() == 0


def test_enqueueing_wakes_the_worker_when_the_transaction_commits(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    outbox.MESSAGE_QUEUED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_enqueue(**_payload())
        assert not outbox.MESSAGE_QUEUED.is_set()
    assert outbox.MESSAGE_QUEUED.is_set()


def test_a_manager_releases_a_held_message(maria: User) -> None:
    message = message_enqueue(**_payload(held_reason="No usable name."))
    message = message_release(actor=maria, message=message)
    assert message.state == State.QUEUED
    assert message.held_reason == ""
    assert message.next_attempt_at <= timezone.now()
    entry = AuditEntry.objects.get(action="outbox.release")
    assert entry.changes == {"state": ["held", "queued"]}


def test_staff_cannot_release_a_held_message(bob: User) -> None:
    message = message_enqueue(**_payload(held_reason="No usable name."))
    with pytest.raises(Forbidden):
        message_release(actor=bob, message=message)
    message.refresh_from_db()
    assert message.state == State.HELD
    assert AuditEntry.objects.filter(action="outbox.release").count() == 0


def test_only_a_held_message_can_be_released(maria: User) -> None:
    message = message_enqueue(**_payload())
    with pytest.raises(Conflict):
        message_release(actor=maria, message=message)
    message.refresh_from_db()
    assert message.state == State.QUEUED


def test_a_manager_retries_a_failed_message_with_fresh_attempts(maria: User) -> None:
    message = message_enqueue(**_payload())
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.FAILED, attempts=15, last_error="451 busy", next_attempt_at=None
    )
    message = message_retry(actor=maria, message=message)
    assert message.state == State.QUEUED
    assert message.attempts == 0
    assert message.next_attempt_at <= timezone.now()
    assert message.last_error == "451 busy"


def test_a_sent_message_cannot_be_retried_or_cancelled(alice: User) -> None:
    message = message_enqueue(**_payload())
    OutboxMessage.objects.filter(pk=message.pk).update(state=State.SENT)
    with pytest.raises(Conflict):
        message_retry(actor=alice, message=message)
    with pytest.raises(Conflict):
        message_cancel(actor=alice, message=message)
    message.refresh_from_db()
    assert message.state == State.SENT


def test_a_cancelled_message_ends_failed_saying_who_cancelled_it(maria: User) -> None:
    message = message_enqueue(**_payload())
    message = message_cancel(actor=maria, message=message)
    assert message.state == State.FAILED
    assert message.next_attempt_at is None
    assert message.last_error == "Cancelled by maria@example.com."


def test_staff_cannot_cancel(bob: User) -> None:
    message = message_enqueue(**_payload())
    with pytest.raises(Forbidden):
        message_cancel(actor=bob, message=message)
    message.refresh_from_db()
    assert message.state == State.QUEUED


def test_a_message_due_later_is_not_due_now(db: None) -> None:
    message = message_enqueue(**_payload())
    later = timezone.now() + dt.timedelta(hours=1)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=later)
    assert not OutboxMessage.objects.filter(next_attempt_at__lte=timezone.now()).exists()
