"""The API responses kept for retried requests (``core.IdempotentResponse``, a day's worth) that
name a person being erased: the reply that created them, those about them (their path, or a
``person_id``), and any that holds one of their addresses or phones. Erasure deletes them; a
retry of such a request within the day is then carried out again."""

from __future__ import annotations

import re
from collections.abc import Iterable

from goodwill.core.services import idempotent_responses_forget


def replies_forget(person_id: int, emails: Iterable[str], phones: Iterable[str]) -> int:
    """Delete the kept responses that name the person; how many."""
    in_path = re.compile(rf"/people/{person_id}(/|$)")
    as_field = re.compile(rf'"person_id":\s*{person_id}\b')
    as_id = re.compile(rf'"id":\s*{person_id}\b')
    held = [e.casefold() for e in emails] + [p for p in phones if p]

    def mentions(path: str, body: str) -> bool:
        if in_path.search(path) or as_field.search(body):
            return True
        if path.rstrip("/").endswith("/people") and as_id.search(body):
            return True  # the reply to the request that created them
        text = body.casefold()
        return any(value in text for value in held)

    return idempotent_responses_forget(mentions)
