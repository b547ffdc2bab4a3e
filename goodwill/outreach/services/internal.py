"""Internal mail to the team (the morning agenda, the weekly feedback digest): one message per
user through the outbox, rendered from a text and an HTML template, once per idempotency key,
with the people it names recorded (``OutboxMention``) so that an erasure can find it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from goodwill.accounts.models import User
from goodwill.outreach.models import OutboxMention, OutboxMessage
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.people.models import Person


@dataclass(frozen=True)
class InternalMail:
    """What one internal mail says (``template``.txt/.html rendered for each user, ``user`` in
    the context) and the ids of the people it names."""

    subject: str
    template: str
    context: dict[str, Any]
    mentions: frozenset[int] = field(default_factory=frozenset)

    def render(self, user: User) -> tuple[str, str]:
        """The text and HTML bodies for ``user``."""
        page = self.context | {"user": user}
        return (
            render_to_string(f"{self.template}.txt", page),
            render_to_string(f"{self.template}.html", page),
        )


def mentions_record(message: OutboxMessage, person_ids: Iterable[int]) -> None:
    """Record that ``message`` names each of ``person_ids``."""
    OutboxMention.objects.bulk_create(
        [OutboxMention(message=message, person_id=pk) for pk in sorted(set(person_ids))]
    )


def internal_mail_enqueue(
    *,
    users: list[User],
    mail: InternalMail,
    key: Callable[[User], str],
    rebuild: Callable[[], InternalMail | None] | None = None,
) -> int:
    """Queue ``mail`` for each of ``users`` with the idempotency key ``key(user)`` (a key
    already queued is left as it is, with the people it named); returns how many were queued.
    Someone the mail names who was erased after it was built (``rebuild`` makes it again from
    what is left; None: nothing is left to say) is never queued with it."""
    queued = 0
    for user in users:
        with transaction.atomic():
            current = _without_the_erased(mail, rebuild)
            if current is None:
                return queued
            mail = current
            body_text, body_html = mail.render(user)
            known = OutboxMessage.objects.filter(idempotency_key=key(user)).exists()
            message = message_enqueue(
                actor=None,
                kind=OutboxMessage.Kind.INTERNAL,
                recipients=[user.email],
                subject=mail.subject,
                body_text=body_text,
                body_html=body_html,
                idempotency_key=key(user),
                user=user,
            )
            if not known:
                mentions_record(message, mail.mentions)
            queued += 1
    return queued


def _without_the_erased(
    mail: InternalMail, rebuild: Callable[[], InternalMail | None] | None
) -> InternalMail | None:
    """``mail``, or made again when someone it names was erased since; the people it names are
    locked until the transaction ends, so an erasure that starts now waits, then finds it."""
    for _attempt in range(3):
        here = set(
            Person.objects.select_for_update()
            .filter(pk__in=mail.mentions)
            .values_list("pk", flat=True)
        )
        if here == set(mail.mentions):
            return mail
        if rebuild is None:
            return None
        rebuilt = rebuild()
        if rebuilt is None:
            return None
        mail = rebuilt
    return None
