"""The worker against a real SMTP server on loopback that accepts, refuses (4xx, 5xx), stalls or
is down: every message ends sent, failed with the reply, or queued for a later retry."""

from __future__ import annotations

import datetime as dt
import email
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.tests.smtp_sink import Sink, sink_fixture  # noqa: F401
from goodwill.outreach.worker import run

State = OutboxMessage.State


def _queue(n: int = 1, **overrides: Any) -> list[OutboxMessage]:
    messages = []
    for i in range(n):
        data: dict[str, Any] = {
            "actor": None,
            "kind": OutboxMessage.Kind.INTERNAL,
            "recipients": [f"staff{i}@example.com"],
            "subject": f"Your agenda {i}",
            "body_text": "Anne and Ben: 10th anniversary.",
            "idempotency_key": f"digest:{i}",
        }
        data.update(overrides)
        messages.append(message_enqueue(**data))
    return messages


def _work(**options: Any) -> dict[str, int]:
    return dict(run(stop_when_idle=True, schedule=False, **options))


def _make_due(*messages: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        next_attempt_at=timezone.now()
    )


def test_it_sends_the_stored_message_id_headers_and_both_bodies(sink: Sink, db: None) -> None:
    (message,) = _queue(
        body_html="<p>Anne and Ben</p>",
        headers={"X-Goodwill-Kind": "digest"},
        reply_to="owner@example.com",
    )
    assert _work() == {"sent": 1}
    (received,) = sink.messages
    assert received.message_id == message.message_id
    assert received.rcpt_tos == ["staff0@example.com"]
    parsed = email.message_from_bytes(received.content)
    assert parsed["X-Goodwill-Kind"] == "digest"
    assert parsed["Reply-To"] == "owner@example.com"
    assert parsed["Subject"] == "Your agenda 0"
    assert [p.get_content_type() for p in parsed.walk()][1:] == ["text/plain", "text/html"]
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.lease_owner == ""
    assert message.lease_expires_at is None


def test_a_batch_goes_out_over_one_connection(sink: Sink, db: None) -> None:
    _queue(5)
    assert _work(batch=5) == {"sent": 5}
    assert sorted(m.subject for m in sink.messages) == [f"Your agenda {i}" for i in range(5)]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_4xx_reply_queues_the_message_for_a_later_retry(sink: Sink, db: None) -> None:
    sink.fail_next(1, "451 4.3.0 Mailbox busy, try later")
    (message,) = _queue()
    before = timezone.now()
    assert _work() == {"queued": 1}
    message.refresh_from_db()
    assert message.state == State.QUEUED
    assert message.attempts == 1
    assert message.last_error == "451 4.3.0 Mailbox busy, try later"
    # base 30 s, half of it jitter
    assert before + dt.timedelta(seconds=15) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + dt.timedelta(seconds=30)
    assert sink.messages == []


def test_after_a_4xx_the_message_is_sent_exactly_once_when_the_server_recovers(
    sink: Sink, db: None
) -> None:
    sink.fail_next(2, "452 4.2.2 Over quota for now")
    (message,) = _queue()
    assert _work() == {"queued": 1}
    assert _work() == {}  # not due yet: nothing is tried early
    _make_due(message)
    assert _work() == {"queued": 1}
    _make_due(message)
    assert _work() == {"sent": 1}
    assert sink.message_ids() == {message.message_id: 1}
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.attempts == 3
    assert message.last_error == ""


def test_a_5xx_reply_fails_the_message_at_once_with_the_reply(sink: Sink, db: None) -> None:
    sink.reply = "550 5.1.1 No such user here"
    (message,) = _queue()
    assert _work() == {"failed": 1}
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.attempts == 1
    assert message.last_error == "550 5.1.1 No such user here"
    assert message.next_attempt_at is None
    sink.reply = ""
    assert _work() == {}  # never retried
    assert sink.messages == []


def test_a_5xx_for_one_message_does_not_stop_the_others(sink: Sink, db: None) -> None:
    sink.fail_next(1, "554 5.7.1 Rejected as spam")
    first, second = _queue(2)
    assert _work(batch=2) == {"failed": 1, "sent": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.FAILED, State.SENT)
    assert first.last_error == "554 5.7.1 Rejected as spam"


@pytest.mark.parametrize(
    ("reply", "state"),
    [("550 5.1.1 Unknown user", State.FAILED), ("450 4.2.1 Try again", State.QUEUED)],
)
def test_a_refused_recipient_is_sorted_by_the_reply(
    sink: Sink, db: None, reply: str, state: str
) -> None:
    sink.rcpt_reply = reply
    (message,) = _queue()
    _work()
    message.refresh_from_db()
    assert message.state == state
    assert message.last_error == f"staff0@example.com: {reply}"


def test_a_recipient_refused_while_the_other_accepts_is_recorded(sink: Sink, db: None) -> None:
    sink.refuse["ben@example.com"] = "550 5.1.1 No such mailbox"
    (message,) = _queue(recipients=["anne@example.com", "ben@example.com"])

    assert _work() == {"sent": 1}

    (received,) = sink.messages
    assert received.rcpt_tos == ["anne@example.com"]
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.last_error == "Refused: ben@example.com: 550 5.1.1 No such mailbox"


def test_a_server_that_is_down_leaves_every_message_queued_for_later(sink: Sink, db: None) -> None:
    sink.stop()
    messages = _queue(3)
    now = timezone.now()
    assert _work(batch=3) == {"queued": 3}
    for message in messages:
        message.refresh_from_db()
        assert message.state == State.QUEUED
        assert message.attempts == 1
        assert message.next_attempt_at > now
        assert message.last_error.startswith("ConnectionRefusedError")
    sink.start()
    _make_due(*messages)
    assert _work(batch=3) == {"sent": 3}
    assert sorted(sink.message_ids().values()) == [1, 1, 1]


def test_a_server_that_stalls_past_the_timeout_leaves_the_message_queued(
    sink: Sink, db: None, settings: Any
) -> None:
    settings.EMAIL_TIMEOUT = 0.3
    sink.delay = 1.0
    first, second = _queue(2)
    assert _work(batch=2) == {"queued": 2}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.QUEUED, State.QUEUED)
    assert first.last_error.startswith(("TimeoutError", "SMTPServerDisconnected"))
    assert first.next_attempt_at > timezone.now()


def test_a_421_closing_reply_is_a_transport_error(sink: Sink, db: None) -> None:
    sink.fail_next(1, "421 4.3.2 Shutting down")
    (message,) = _queue()
    assert _work() == {"queued": 1}
    message.refresh_from_db()
    assert message.last_error == "421 4.3.2 Shutting down"


def test_a_message_refused_too_often_ends_failed(sink: Sink, db: None, settings: Any) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 2
    sink.reply = "451 4.3.0 Still busy"
    (message,) = _queue()
    assert _work() == {"queued": 1}
    _make_due(message)
    assert _work() == {"failed": 1}
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert message.attempts == 2
    assert message.last_error == "451 4.3.0 Still busy"


def test_held_messages_are_not_sent(sink: Sink, db: None) -> None:
    (message,) = _queue(held_reason="No usable name.")
    assert _work() == {}
    message.refresh_from_db()
    assert message.state == State.HELD
    assert sink.messages == []


def _email_settings(tmp_path: Path, **env: str) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_")}
    base |= {"GOODWILL_DATA_DIR": str(tmp_path), **env}
    names = [
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "DEFAULT_FROM_EMAIL",
    ]
    code = (
        "import json, goodwill.settings as s;"
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=base, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def test_email_settings_come_from_one_url_or_from_smtp_variables(tmp_path: Path) -> None:
    assert _email_settings(tmp_path)["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    from_url = _email_settings(
        tmp_path,
        GOODWILL_EMAIL_URL="smtp+tls://desk%40example.com:p%40ss@mail.example.com",
        GOODWILL_FROM_EMAIL="B&B Rosa <hello@example.com>",
    )
    assert from_url == {
        "EMAIL_BACKEND": "goodwill.outreach.channels.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "desk@example.com",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "B&B Rosa <hello@example.com>",
    }
    secret = tmp_path / "smtp_password"
    secret.write_text("from-a-file\n")
    from_vars = _email_settings(
        tmp_path,
        GOODWILL_SMTP_HOST="smtp.example.com",
        GOODWILL_SMTP_PORT="465",
        GOODWILL_SMTP_USER="desk",
        GOODWILL_SMTP_PASSWORD_FILE=str(secret),
        GOODWILL_SMTP_SSL="true",
    )
    assert from_vars["EMAIL_BACKEND"] == "goodwill.outreach.channels.smtp.EmailBackend"
    assert (from_vars["EMAIL_HOST"], from_vars["EMAIL_PORT"]) == ("smtp.example.com", 465)
    assert (from_vars["EMAIL_HOST_USER"], from_vars["EMAIL_HOST_PASSWORD"]) == (
        "desk",
        "from-a-file",
    )
    assert (from_vars["EMAIL_USE_SSL"], from_vars["EMAIL_USE_TLS"]) == (True, False)
