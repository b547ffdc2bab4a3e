"""Every write to the outbox that is not the worker's: enqueue, release, retry, cancel.

A message is rendered when it is queued and gets its Message-ID then, so every attempt (and any
duplicate after a crash) carries the same Message-ID. Enqueueing the same idempotency key twice
returns the first row unchanged. Messages the system makes itself (``actor=None``, the digests)
are not audited one by one — the outbox row is their record; messages a member of staff makes,
and every release, retry and cancel, are.
"""

from __future__ import annotations

import threading
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid
from goodwill.outreach.models import OutboxMessage
from goodwill.people.models import Person

# Set after a transaction that queued a message commits: an in-process worker waiting on it
# wakes at once instead of at its next poll.
MESSAGE_QUEUED = threading.Event()

MAX_RECIPIENTS = 50


def site_domain() -> str:
    """The host of GOODWILL_SITE_URL: the right-hand side of every Message-ID we make."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _address(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid.field(field, _("Give an email address."))
    if "\n" in value or "\r" in value:
        raise Invalid.field(field, _("An address cannot span several lines."))
    name, addr = parseaddr(value.strip())
    try:
        info = validate_email(addr, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid.field(
            field,
            _("%(value)s is not a valid address: %(reason)s") % {"value": value, "reason": exc},
        ) from exc
    if not name:
        return info.normalized
    try:
        return formataddr((name, info.normalized))
    except UnicodeEncodeError:
        return info.normalized  # a non-ASCII local part ("zoë@…") cannot carry a display name


def clean_headers(headers: dict[str, Any] | None) -> dict[str, str]:
    """Extra headers as strings; Invalid naming ``headers`` for a bad name, one the outbox sets
    itself (Message-ID, To, From, Subject, Cc, Bcc) or a value spanning several lines."""
    clean: dict[str, str] = {}
    for name, value in (headers or {}).items():
        text = str(value)
        if not isinstance(name, str) or not name or any(c in name for c in ":\r\n "):
            raise Invalid.field("headers", _("%(name)r is not a header name.") % {"name": name})
        if name.lower() in ("message-id", "to", "from", "subject", "cc", "bcc"):
            raise Invalid.field("headers", _("%(name)s is set by the outbox.") % {"name": name})
        if "\r" in text or "\n" in text:
            raise Invalid.field("headers", _("%(name)s spans several lines.") % {"name": name})
        clean[name] = text
    return clean


def validated_message(
    *,
    kind: str,
    recipients: list[str],
    subject: str,
    body_text: str,
    idempotency_key: str,
    reply_to: str,
    held_reason: str,
) -> dict[str, Any]:
    """The message's fields checked and cleaned (addresses, one-line subject, key); Invalid
    naming the first bad field. Shared by ``message_enqueue`` and the bulk queue."""
    if kind not in OutboxMessage.Kind.values:
        raise Invalid.field("kind", _("Unknown kind %(kind)s.") % {"kind": kind})
    if isinstance(recipients, str) or not recipients:
        raise Invalid.field("recipients", _("Give at least one recipient."))
    if len(recipients) > MAX_RECIPIENTS:
        raise Invalid.field("recipients", _("At most %(n)d recipients.") % {"n": MAX_RECIPIENTS})
    to = [_address("recipients", r) for r in recipients]
    subject = (subject or "").strip()
    if not subject:
        raise Invalid.field("subject", _("Give a subject."))
    if "\n" in subject or "\r" in subject or len(subject) > 300:
        raise Invalid.field("subject", _("One line of at most 300 characters."))
    if not (body_text or "").strip():
        raise Invalid.field("body_text", _("The message has no text."))
    key = (idempotency_key or "").strip()
    if not key or len(key) > 200:
        raise Invalid.field("idempotency_key", _("Give a key of 1 to 200 characters."))
    return {
        "kind": kind,
        "recipients": to,
        "subject": subject,
        "idempotency_key": key,
        "reply_to": _address("reply_to", reply_to) if reply_to else "",
        "held_reason": (held_reason or "").strip()[:200],
    }


def _existing(key: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(idempotency_key=key).first()


def wake_worker() -> None:
    """Wake an in-process worker waiting for mail (called once a queueing commit is done)."""
    MESSAGE_QUEUED.set()


def message_enqueue(
    *,
    actor: User | None,
    kind: str,
    recipients: list[str],
    subject: str,
    body_text: str,
    idempotency_key: str,
    person: Person | None = None,
    user: User | None = None,
    body_html: str = "",
    headers: dict[str, Any] | None = None,
    reply_to: str = "",
    held_reason: str = "",
) -> OutboxMessage:
    """Queue one rendered message (held for review when ``held_reason``); the same
    ``idempotency_key`` again returns the existing row unchanged."""
    require_role(actor, User.Role.STAFF)
    fields = validated_message(
        kind=kind,
        recipients=recipients,
        subject=subject,
        body_text=body_text,
        idempotency_key=idempotency_key,
        reply_to=reply_to,
        held_reason=held_reason,
    )
    existing = _existing(fields["idempotency_key"])
    if existing is not None:
        return existing
    now = timezone.now()
    message = OutboxMessage(
        **fields,
        from_email=settings.DEFAULT_FROM_EMAIL,
        person=person,
        user=user,
        body_text=body_text,
        body_html=body_html or "",
        headers=clean_headers(headers),
        message_id=make_msgid(domain=site_domain()),
        state=OutboxMessage.State.HELD if fields["held_reason"] else OutboxMessage.State.QUEUED,
        next_attempt_at=now,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            message.save()
            if actor is not None:
                audit_record(
                    actor=actor,
                    action="outbox.enqueue",
                    target=message,
                    person_id=person.pk if person is not None else None,
                    changes={"subject": [None, message.subject], "state": [None, message.state]},
                )
    except IntegrityError:
        # Another process queued the same key between our read and our write.
        return OutboxMessage.objects.get(idempotency_key=fields["idempotency_key"])
    if message.state == OutboxMessage.State.QUEUED:
        transaction.on_commit(wake_worker)
    return message


def _transition(
    *,
    actor: User | None,
    message: OutboxMessage,
    allowed: tuple[str, ...],
    action: str,
    changes: dict[str, Any],
) -> OutboxMessage:
    require_role(actor, User.Role.MANAGER)
    before = message.state
    with transaction.atomic():
        # Conditional: a worker (or another manager) may have moved the row meanwhile.
        updated = OutboxMessage.objects.filter(pk=message.pk, state__in=allowed).update(
            **changes, updated_at=timezone.now()
        )
        if updated != 1:
            message.refresh_from_db()
            raise Conflict(
                _("This message is %(state)s and cannot be changed that way.")
                % {"state": message.get_state_display()}
            )
        message.refresh_from_db()
        audit_record(
            actor=actor,
            action=action,
            target=message,
            person_id=message.person_id,
            changes={"state": [before, message.state]},
        )
    if message.state == OutboxMessage.State.QUEUED:
        transaction.on_commit(wake_worker)
    return message


def message_release(*, actor: User | None, message: OutboxMessage) -> OutboxMessage:
    """Send a message that was held for review (managers)."""
    return _transition(
        actor=actor,
        message=message,
        allowed=(OutboxMessage.State.HELD,),
        action="outbox.release",
        changes={
            "state": OutboxMessage.State.QUEUED,
            "held_reason": "",
            "next_attempt_at": timezone.now(),
        },
    )


def message_retry(*, actor: User | None, message: OutboxMessage) -> OutboxMessage:
    """Queue a failed message again with a fresh count of attempts (managers)."""
    return _transition(
        actor=actor,
        message=message,
        allowed=(OutboxMessage.State.FAILED,),
        action="outbox.retry",
        changes={
            "state": OutboxMessage.State.QUEUED,
            "attempts": 0,
            "next_attempt_at": timezone.now(),
        },
    )


def message_cancel(*, actor: User | None, message: OutboxMessage) -> OutboxMessage:
    """Never send a queued, held or failed message: it ends failed, saying who cancelled it
    (managers)."""
    who = actor.email if actor is not None else _("the command line")
    return _transition(
        actor=actor,
        message=message,
        allowed=(
            OutboxMessage.State.QUEUED,
            OutboxMessage.State.HELD,
            OutboxMessage.State.FAILED,
        ),
        action="outbox.cancel",
        changes={
            "state": OutboxMessage.State.FAILED,
            "next_attempt_at": None,
            "last_error": _("Cancelled by %(who)s.") % {"who": who},
        },
    )
