"""The email channel: an outbox row becomes an email sent through Django's email backend.

One connection serves a whole batch. Failures are sorted in three: a refusal of this message
that may pass later (4xx), a refusal that never will (5xx), and a broken transport (the server
down, slow, or gone mid-conversation) that says nothing about the message itself.
"""

from __future__ import annotations

import contextlib
import enum
import smtplib
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from goodwill.outreach.models import OutboxMessage


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # a 4xx reply: try this message again later
    FAILED = "failed"  # a 5xx reply: never try again
    TRANSPORT = "transport"  # no usable connection: try again later, and stop this batch


@dataclass(frozen=True)
class Result:
    """How one attempt ended; ``error`` is the server's reply or the exception, for people."""

    outcome: Outcome
    error: str = ""


def build(
    message: OutboxMessage, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The email for ``message``, with its stored Message-ID and headers."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or None,
        to=list(message.recipients),
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={**message.headers, "Message-ID": message.message_id},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def classify(exc: BaseException) -> Result:
    """Sort an exception raised while sending one message into an outcome."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # Every recipient refused: permanent only if every refusal is permanent.
        replies = list(exc.recipients.values())
        error = "; ".join(f"{addr}: {_reply(*r)}" for addr, r in exc.recipients.items())
        if replies and all(code >= 500 for code, _text in replies):
            return Result(Outcome.FAILED, error)
        return Result(Outcome.RETRY, error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Result(Outcome.TRANSPORT, f"{type(exc).__name__}: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        # SMTPSenderRefused, SMTPDataError, SMTPConnectError … all carry the reply.
        error = _reply(exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPConnectError) or exc.smtp_code == 421:
            return Result(Outcome.TRANSPORT, error)  # 421: the server is closing on us
        if 500 <= exc.smtp_code < 600:
            return Result(Outcome.FAILED, error)
        return Result(Outcome.RETRY, error)
    if isinstance(exc, OSError | smtplib.SMTPException):
        return Result(Outcome.TRANSPORT, f"{type(exc).__name__}: {exc}")
    raise exc


class Sender:
    """One connection to the email backend for a batch of messages (a context manager)."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend = get_connection(fail_silently=False)
        self.opened = False

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; a connection that already broke is simply dropped."""
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()
        self.opened = False

    def send(self, message: OutboxMessage) -> Result:
        """Try to send ``message`` once."""
        try:
            if not self.opened:
                self.connection.open()
                self.opened = True
        except (OSError, smtplib.SMTPException) as exc:
            # Connecting, greeting, STARTTLS or logging in failed: whatever the code (a 535
            # is a bad password, not a bad message), no message is to blame.
            self.close()
            result = classify(exc)
            return Result(Outcome.TRANSPORT, result.error)
        try:
            sent = self.connection.send_messages([build(message, self.connection)])
        except smtplib.SMTPServerDisconnected:
            # The server closed a connection we reused (idle, or its limit of messages per
            # connection): one fresh connection, once.
            self.close()
            return self._send_fresh(message)
        except (OSError, smtplib.SMTPException) as exc:
            return self._failed(exc)
        return self._sent() if sent == 1 else self._nothing_sent()

    def _sent(self) -> Result:
        """Sent; the recipients the server refused meanwhile (if any) are named in the error."""
        refused: dict[str, tuple[int, bytes]] = getattr(self.connection, "refused", {})
        error = "; ".join(f"{addr}: {_reply(*reply)}" for addr, reply in refused.items())
        return Result(Outcome.SENT, f"Refused: {error}" if error else "")

    def _send_fresh(self, message: OutboxMessage) -> Result:
        try:
            self.connection.open()
            self.opened = True
            sent = self.connection.send_messages([build(message, self.connection)])
        except (OSError, smtplib.SMTPException) as exc:
            return self._failed(exc)
        return self._sent() if sent == 1 else self._nothing_sent()

    def _failed(self, exc: BaseException) -> Result:
        result = classify(exc)
        if result.outcome is Outcome.TRANSPORT:
            self.close()
        return result

    def _nothing_sent(self) -> Result:
        self.close()
        return Result(Outcome.TRANSPORT, "The email backend sent nothing.")
