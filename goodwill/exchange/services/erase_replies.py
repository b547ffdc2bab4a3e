"""The API responses kept for retried requests (``core.IdempotentResponse``, a day's worth) that
name a person being erased. Erasure deletes them; a retry of such a request within the day is
then carried out again.

A response names them when its path is about them (``/people/{id}``), when it holds one of their
addresses or phones, or when anywhere in its JSON a person field (``person_id``, ``other_id``,
``…_person_id``) is their id, a ``<row>_id`` field is the id of a row the erasure removes (their
relationship, occasion, interaction…), or its own ``id`` is such a row's and the path names that
kind of row (``POST /api/v1/relationships`` answered with the relationship that tied them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Model

from goodwill.core.services import idempotent_responses_forget

PERSON_FIELDS = ("person_id", "other_id")
# The API's path segment for a kind of row, where it is not the model's name plus "s".
COLLECTIONS = {"people": "person", "feedback": "feedback", "touches": "occasiontouch"}
_SEGMENT = re.compile(r"[a-z][a-z_-]*")


def _pairs(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) of every object inside ``value``."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _pairs(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _pairs(inner)


def _collection(path: str) -> str:
    """The kind of row the path's last named segment is about: "relationship" for
    ``/api/v1/relationships``, "occasiontouch" for ``/api/v1/occasions/7/touches``."""
    named = [s for s in path.strip("/").split("/") if _SEGMENT.fullmatch(s)]
    if not named:
        return ""
    last = named[-1]
    return COLLECTIONS.get(last, last[:-1] if last.endswith("s") else last).replace("-", "")


class _Mentions:
    def __init__(
        self,
        person_id: int,
        emails: Iterable[str],
        phones: Iterable[str],
        rows: dict[type[Model], list[int]],
    ) -> None:
        self.person_id = person_id
        self.in_path = re.compile(rf"/people/{person_id}(/|$)")
        self.held = [e.casefold() for e in emails] + [p for p in phones if p]
        self.rows = {model._meta.model_name or "": set(ids) for model, ids in rows.items()}

    def _field(self, key: str, value: Any) -> bool:
        if not isinstance(value, int) or isinstance(value, bool) or not key.endswith("_id"):
            return False
        if key in PERSON_FIELDS or key.endswith("_person_id"):
            return value == self.person_id
        return value in self.rows.get(key[:-3].replace("_", ""), ())

    def __call__(self, path: str, body: str) -> bool:
        if self.in_path.search(path):
            return True
        text = body.casefold()
        if any(value in text for value in self.held):
            return True
        try:
            data = json.loads(body)
        except ValueError:
            return False
        if isinstance(data, dict) and data.get("id") in self.rows.get(_collection(path), ()):
            return True  # the reply that created or changed one of their rows
        return any(self._field(key, value) for key, value in _pairs(data))


def replies_forget(
    person_id: int,
    emails: Iterable[str],
    phones: Iterable[str],
    rows: dict[type[Model], list[int]],
) -> int:
    """Delete the kept responses that name the person (``rows``: the ids of every row the
    erasure removes, by model); how many."""
    return idempotent_responses_forget(_Mentions(person_id, emails, phones, rows))
