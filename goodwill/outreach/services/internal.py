"""Internal mail to the team (the morning agenda, the weekly feedback digest): one message per
user through the outbox, rendered from a text and an HTML template, once per idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from goodwill.accounts.models import User
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.outbox import message_enqueue


def internal_mail_enqueue(
    *,
    users: list[User],
    subject: str,
    template: str,
    context: dict[str, Any],
    key: Callable[[User], str],
) -> int:
    """Queue ``template``.txt/.html for each of ``users`` (``user`` in the context) with the
    idempotency key ``key(user)``; returns how many messages there are."""
    for user in users:
        page = context | {"user": user}
        message_enqueue(
            actor=None,
            kind=OutboxMessage.Kind.INTERNAL,
            recipients=[user.email],
            subject=subject,
            body_text=render_to_string(f"{template}.txt", page),
            body_html=render_to_string(f"{template}.html", page),
            idempotency_key=key(user),
            user=user,
        )
    return len(users)
