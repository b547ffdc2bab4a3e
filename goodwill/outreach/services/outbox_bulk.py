"""Queueing many rendered messages at once (a campaign to thousands of people).

Every row is checked exactly as :func:`~goodwill.outreach.services.outbox.message_enqueue`
checks one message — valid addresses, a one-line subject of at most 300 characters, header names
and values without line breaks — and the whole chunk is refused (nothing of it written) when one
row is bad. Rows whose idempotency key is already in the outbox are skipped, so queueing the same
campaign again adds nothing. Each chunk of 2,000 is one bulk insert of plain rows (ids allocated
up front, no model instance per row); every row gets its own stable Message-ID; the worker is
woken when the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import make_msgid
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Invalid
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.outbox import (
    clean_headers,
    site_domain,
    validated_message,
    wake_worker,
)
from goodwill.people.services.bulk_sql import allocate_ids, db_value, insert_rows

CHUNK = 2_000


@dataclass
class BulkMessage:
    """One rendered message to queue; ``held_reason`` holds it for review."""

    idempotency_key: str
    recipients: list[str]
    subject: str
    body_text: str
    kind: str = OutboxMessage.Kind.MARKETING
    body_html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    person_id: int | None = None
    topic_id: int | None = None
    held_reason: str = ""
    next_attempt_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Queued:
    """A row the bulk path wrote: its id and state (queued, or held for review)."""

    pk: int
    state: str


_FIELDS = (
    "id", "idempotency_key", "kind", "recipients", "from_email", "reply_to", "person_id",
    "subject", "body_text", "body_html", "headers", "topic_id", "message_id", "state",
    "held_reason", "next_attempt_at", "created_by_id",
)  # fmt: skip


_JSON_FIELDS: dict[str, Field[Any, Any]] = {
    f.name: f for f in OutboxMessage._meta.concrete_fields if f.name in ("recipients", "headers")
}


def _json(name: str, value: object) -> Any:
    """A JSON field's value as this database takes it (text on SQLite, jsonb on PostgreSQL)."""
    return _JSON_FIELDS[name].get_db_prep_save(value, connection)


class _Stamps:
    """Datetimes as the database takes them, converted once per distinct value."""

    def __init__(self) -> None:
        self.seen: dict[dt.datetime, Any] = {}

    def __call__(self, value: dt.datetime) -> Any:
        if value not in self.seen:
            self.seen[value] = db_value(OutboxMessage, "next_attempt_at", value)
        return self.seen[value]


def _row(
    message: BulkMessage,
    index: int,
    actor: User | None,
    now: dt.datetime,
    stamp: _Stamps,
    domain: str,
) -> tuple[Any, ...]:
    """The checked values of one message, in ``_FIELDS`` order (the id left to fill in)."""
    try:
        fields = validated_message(
            kind=message.kind,
            recipients=message.recipients,
            subject=message.subject,
            body_text=message.body_text,
            idempotency_key=message.idempotency_key,
            reply_to="",
            held_reason=message.held_reason,
        )
        headers = clean_headers(message.headers)
    except Invalid as exc:
        raise Invalid(f"row {index}: {exc.message}", fields=exc.fields) from exc
    held = bool(fields["held_reason"])
    return (
        None,
        fields["idempotency_key"],
        fields["kind"],
        _json("recipients", fields["recipients"]),
        settings.DEFAULT_FROM_EMAIL,
        "",
        message.person_id,
        fields["subject"],
        message.body_text,
        message.body_html or "",
        _json("headers", headers),
        message.topic_id,
        make_msgid(domain=domain),
        OutboxMessage.State.HELD if held else OutboxMessage.State.QUEUED,
        fields["held_reason"],
        stamp(message.next_attempt_at or now),
        actor.pk if actor is not None else None,
    )


def _chunks(rows: Iterable[BulkMessage], size: int) -> Iterator[list[BulkMessage]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def messages_enqueue_bulk(
    *, actor: User | None, messages: Iterable[BulkMessage], chunk_size: int = CHUNK
) -> dict[str, Queued]:
    """Queue ``messages`` (staff; the caller audits the batch as one act): idempotency key →
    the new row. Keys already queued are left as they are and not returned."""
    require_role(actor, User.Role.STAFF)
    created: dict[str, Queued] = {}
    offset = 0
    stamp = _Stamps()
    domain = site_domain()
    for chunk in _chunks(messages, max(1, chunk_size)):
        now = timezone.now()
        rows = [_row(m, offset + i, actor, now, stamp, domain) for i, m in enumerate(chunk)]
        offset += len(chunk)
        with transaction.atomic():
            existing = set(
                OutboxMessage.objects.filter(idempotency_key__in=[r[1] for r in rows]).values_list(
                    "idempotency_key", flat=True
                )
            )
            fresh = []
            for row in rows:
                if row[1] not in existing:
                    existing.add(row[1])
                    fresh.append(row)
            ids = allocate_ids(OutboxMessage, len(fresh))
            fresh = [(pk, *row[1:]) for pk, row in zip(ids, fresh, strict=True)]
            insert_rows(OutboxMessage, _FIELDS, fresh)
            for row in fresh:
                created[row[1]] = Queued(row[0], row[13])
            if any(row[13] == OutboxMessage.State.QUEUED for row in fresh):
                transaction.on_commit(wake_worker)
    return created
