"""The API keeps the first response to a request sent with an ``Idempotency-Key`` for a day, to
replay it to a retry. Erasing someone deletes the kept responses that name them, and the hourly
job forgets every response once it is a day old."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.models import IdempotentResponse
from goodwill.exchange.jobs import purge_replies
from goodwill.exchange.services.erase import person_erase
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import call, token_for

pytestmark = pytest.mark.django_db

ZEB = {"given_name": "Zebulon", "family_name": "Quixotic", "emails": ["zeb@example.com"]}


def _post(token: str, path: str, body: dict[str, object], key: str):
    return call("post", path, token, body, **{"Idempotency-Key": key})


def _kept() -> str:
    return " ".join(IdempotentResponse.objects.values_list("body", flat=True))


def test_erasure_deletes_the_kept_responses_that_name_the_person(maria: User, alice: User):
    token = token_for(maria)
    zeb_id = _post(token, "/api/v1/people", ZEB, "create-zeb").json()["id"]
    _post(token, "/api/v1/people", {"given_name": "Farid"}, "create-farid")
    call_body = {"person_id": zeb_id, "kind": "call", "summary": "Asked about the sea view"}
    _post(token, "/api/v1/interactions", call_body, "call-zeb")
    assert "Zebulon" in _kept()
    assert "sea view" in _kept()

    zeb = Person.objects.get(pk=zeb_id)
    person_erase(actor=alice, person=zeb, confirm_name="Zebulon Quixotic")

    kept = _kept()
    assert "Zebulon" not in kept
    assert "zeb@example.com" not in kept
    assert "sea view" not in kept
    assert "Farid" in kept  # someone else's stays
    erase = AuditEntry.objects.get(action="person.erase")
    assert erase.changes["api_replies_removed"] == 2
    # A retry of the request that created them is carried out again, not answered from memory.
    again = _post(token, "/api/v1/people", ZEB, "create-zeb")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != zeb_id


def test_a_response_older_than_a_day_is_not_replayed(maria: User):
    token = token_for(maria)
    first = _post(token, "/api/v1/people", {"given_name": "Cy"}, "create-cy")
    IdempotentResponse.objects.update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    again = _post(token, "/api/v1/people", {"given_name": "Cy"}, "create-cy")
    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
    assert IdempotentResponse.objects.count() == 1


def test_the_hourly_job_forgets_responses_a_day_old(maria: User):
    token = token_for(maria)
    _post(token, "/api/v1/people", {"given_name": "Old"}, "old")
    IdempotentResponse.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    _post(token, "/api/v1/people", {"given_name": "New"}, "new")

    purge_replies(timezone.now())

    assert list(IdempotentResponse.objects.values_list("key", flat=True)) == ["new"]


def test_erasure_deletes_replies_about_their_ties_dates_and_touches(maria: User, alice: User):
    """Replies that name them only by another field: the relationship (as ``other_id``, once it
    is stored from the other side), their couple's wedding (``relationship_id``) and a touch on
    their birthday (answered with the touch, under ``/occasions/{id}/touches``)."""
    token = token_for(maria)
    zeb_id = _post(token, "/api/v1/people", ZEB, "create-zeb").json()["id"]
    ann_id = _post(token, "/api/v1/people", {"given_name": "Ann"}, "create-ann").json()["id"]
    tie = {"person_id": zeb_id, "other_id": ann_id, "kind": "spouse", "notes": "Met at sea"}
    rel = _post(token, "/api/v1/relationships", tie, "tie").json()
    wedding = {"relationship_id": rel["id"], "kind": "wedding_anniversary", "month": 6, "day": 2}
    _post(token, "/api/v1/occasions", {**wedding, "note": "Lighthouse wedding"}, "wed")
    birthday = {"person_id": zeb_id, "kind": "birthday", "month": 3, "day": 9}
    bday = call("post", "/api/v1/occasions", token, birthday).json()
    touch = {"year": 2026, "kind": "gift", "summary": "Sent the tide clock"}
    _post(token, f"/api/v1/occasions/{bday['id']}/touches", touch, "touch")
    ann_note = {"person_id": ann_id, "kind": "call", "summary": "Asked about parking"}
    _post(token, "/api/v1/interactions", ann_note, "call-ann")
    kept = _kept()
    assert all(text in kept for text in ("Met at sea", "Lighthouse wedding", "tide clock"))

    zeb = Person.objects.get(pk=zeb_id)
    person_erase(actor=alice, person=zeb, confirm_name="Zebulon Quixotic")

    kept = _kept()
    for text in ("Met at sea", "Lighthouse wedding", "tide clock"):
        assert text not in kept
    assert "parking" in kept  # Ann's own call stays, and so does the reply that created her
    assert IdempotentResponse.objects.filter(path="/api/v1/people").count() == 1
    again = _post(token, "/api/v1/relationships", tie, "tie")
    assert "Idempotent-Replayed" not in again  # carried out again: Zebulon is no more
    assert again.status_code == 404
