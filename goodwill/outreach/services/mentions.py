"""Internal mail that names someone who is erased (``OutboxMention``): the morning digest of
a day, the weekly feedback digest.

A message not yet sent (queued, held, failed, or being sent) is rendered again from what is
left once the person's rows are gone, for the same user, keeping its key, Message-ID and state,
so the team still gets the rest of the day's agenda or of the week's feedback; when nothing is
left to say it is withdrawn (deleted), as on a day with nothing on it. A sent message keeps its
row for the outbox's history with a fixed line for its text (and for its subject, when that
says their name).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from goodwill.outreach.jobs import digest, feedback_digest
from goodwill.outreach.models import OutboxMention, OutboxMessage
from goodwill.outreach.services.internal import InternalMail, mentions_record
from goodwill.people.normalize import fold

Rerender = Callable[[OutboxMessage], InternalMail | None]
# How each kind of internal mail is rendered again, by the first part of its idempotency key.
RERENDER: dict[str, Rerender] = {
    digest.KEY_PREFIX: digest.digest_rerender,
    feedback_digest.KEY_PREFIX: feedback_digest.feedback_digest_rerender,
}
_WORD = re.compile(r"\w+")
# What a stored text that named an erased person says instead (mail, and the greetings the app
# copied onto the timelines of the people who stay).
REMOVED = gettext_lazy("(removed: it named a person who was erased)")


def messages_naming(*, person_id: int) -> list[int]:
    """The ids of the messages that name the person, oldest first."""
    mentions = OutboxMention.objects.filter(person_id=person_id)
    return sorted(set(mentions.values_list("message_id", flat=True)))


def says_name(text: str, names: list[str]) -> bool:
    """Whether ``text`` holds one of ``names``, its words next to each other (accents and
    case aside: erasing "Al" leaves "Halifax")."""
    words = _WORD.findall(fold(text))
    for name in names:
        wanted = _WORD.findall(fold(name))
        if wanted and any(words[i : i + len(wanted)] == wanted for i in range(len(words))):
            return True
    return False


def _rewrite(message: OutboxMessage) -> bool:
    """Render ``message`` again from what is left; False when nothing is."""
    rerender, user = RERENDER.get(message.idempotency_key.split(":", 1)[0]), message.user
    mail = rerender(message) if rerender is not None else None
    if mail is None or user is None:  # no user left to greet: theirs is withdrawn too
        return False
    body_text, body_html = mail.render(user)
    OutboxMessage.objects.filter(pk=message.pk).update(
        subject=mail.subject, body_text=body_text, body_html=body_html, updated_at=timezone.now()
    )
    OutboxMention.objects.filter(message=message).delete()
    mentions_record(message, mail.mentions)
    return True


def _redact(message: OutboxMessage, names: list[str]) -> None:
    removed = str(REMOVED)
    OutboxMessage.objects.filter(pk=message.pk).update(
        subject=removed if says_name(message.subject, names) else message.subject,
        body_text=removed,
        body_html=f"<p>{escape(removed)}</p>",
        updated_at=timezone.now(),
    )


def mentions_forget(*, message_ids: list[int], names: list[str]) -> dict[str, int]:
    """Once an erased person's rows are gone, rewrite each of ``message_ids`` not yet sent
    without them (withdraw it when nothing is left), redact each one sent (its subject too when
    it says one of ``names``); returns how many were rewritten, withdrawn and redacted."""
    counts = {"rewritten": 0, "withdrawn": 0, "redacted": 0}
    with transaction.atomic():
        # Locked: a worker (SKIP LOCKED) does not claim one while it is being rewritten.
        found = OutboxMessage.objects.select_for_update().filter(pk__in=message_ids)
        for message in found.order_by("pk"):
            if message.state == OutboxMessage.State.SENT:
                _redact(message, names)
                counts["redacted"] += 1
            elif _rewrite(message):
                if message.state == OutboxMessage.State.SENDING:
                    # A worker holds the old text: it is queued again, and the worker, which
                    # looks once more before sending, leaves it (``worker.send``).
                    OutboxMessage.objects.filter(pk=message.pk).update(
                        state=OutboxMessage.State.QUEUED, lease_owner="", lease_expires_at=None
                    )
                counts["rewritten"] += 1
            else:
                message.delete()
                counts["withdrawn"] += 1
    return counts
