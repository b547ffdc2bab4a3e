"""Erasure reaches the team's own mail: a morning or feedback digest not yet sent that names the
erased person is written again without them (withdrawn when they were all it had to say), a
sent one keeps its row with its text removed, and the erasure's audit entry counts them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.services.merge import person_merge
from goodwill.feedback.tests.factories import heard
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.services.settings import agenda_preference_set
from goodwill.outreach.jobs.digest import send_digests
from goodwill.outreach.jobs.feedback_digest import send_feedback_digests
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.worker import Worker, WorkerConfig
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
NAME = "Zebulon Quixotic"
# Everything the digest says about him: his name, his age, last year's touch, his own date.
TRACES = ["Zebulon", "Quixotic", "turns 51", "lupin bouquet", "First night at the lighthouse"]
REMOVED = "(removed: it named a person who was erased)"
State = OutboxMessage.State


def _birthday_today(person: Person, age: int) -> Occasion:
    today = business_today()
    return occasion_create(
        actor=None,
        kind="birthday",
        month=today.month,
        day=today.day,
        year=today.year - age,
        person=person,
    )


def _zebulon(given_name: str = "Zebulon") -> Person:
    """Zebulon: 51 today, a lupin bouquet last year, and a date of his own today."""
    zebulon = make_person(given_name=given_name, family_name="Quixotic")
    birthday = _birthday_today(zebulon, 51)
    occasion_touch_log(
        actor=None,
        occasion=birthday,
        year=business_today().year - 1,
        kind="gift",
        summary="Sent a lupin bouquet",
        timeline=False,
    )
    today = business_today()
    occasion_create(
        actor=None,
        kind="custom",
        month=today.month,
        day=today.day,
        label="First night at the lighthouse",
        person=zebulon,
    )
    return zebulon


def _anne() -> Person:
    anne = make_person(given_name="Anne", family_name="Whitman")
    _birthday_today(anne, 40)
    return anne


def _digest_for(*users: User) -> int:
    for user in users:
        agenda_preference_set(actor=None, user=user, digest_email=True)
    return send_digests(timezone.now())


def _send_all(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Worker(WorkerConfig(name="w1"), stop_when_idle=True, schedule=False).run()


def _traces_in_outbox(traces: list[str]) -> list[tuple[int, str, str]]:
    """Every (message, column, trace) where an outbox message still says one of ``traces``."""
    found = []
    for row in OutboxMessage.objects.values("pk", "subject", "body_text", "body_html"):
        for column in ("subject", "body_text", "body_html"):
            found += [(row["pk"], column, t) for t in traces if t.lower() in row[column].lower()]
    return found


def _erase(alice: User, person: Person) -> dict[str, Any]:
    person_erase(actor=alice, person=person, confirm_name=NAME)
    changes: dict[str, Any] = AuditEntry.objects.get(action="person.erase").changes
    return changes


def test_a_queued_digest_is_written_again_without_the_erased_person(alice: User, bob: User) -> None:
    zebulon = _zebulon()
    _anne()
    assert _digest_for(alice, bob) == 2
    before = list(OutboxMessage.objects.order_by("pk").values_list("idempotency_key", "message_id"))
    assert all("Birthday — Zebulon (turns 51)" in m.body_text for m in OutboxMessage.objects.all())

    _erase(alice, zebulon)

    assert _traces_in_outbox(TRACES) == []
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [(m.idempotency_key, m.message_id) for m in messages] == before
    assert [m.recipients for m in messages] == [["alice@example.com"], ["bob@example.com"]]
    assert [m.state for m in messages] == [State.QUEUED, State.QUEUED]
    for message in messages:
        assert "TODAY: Birthday — Anne (turns 40)" in message.body_text
        assert "Birthday — Anne (turns 40)" in message.body_html
        assert message.subject.startswith("My business — today's occasions, ")


def test_the_rewritten_digest_is_what_the_team_receives(alice: User, settings: Any) -> None:
    zebulon = _zebulon()
    _anne()
    _digest_for(alice)

    _erase(alice, zebulon)
    _send_all(settings)

    (sent,) = mail.outbox
    assert sent.to == ["alice@example.com"]
    assert "TODAY: Birthday — Anne (turns 40)" in sent.body
    assert [t for t in TRACES if t in sent.body or t in str(sent.alternatives)] == []


def test_a_queued_digest_that_named_only_them_is_withdrawn(alice: User) -> None:
    zebulon = _zebulon()
    assert _digest_for(alice) == 1

    changes = _erase(alice, zebulon)

    assert OutboxMessage.objects.count() == 0
    assert changes["internal_messages"] == {"rewritten": 0, "withdrawn": 1, "redacted": 0}
    assert send_digests(timezone.now()) == 0  # nothing is left on today's agenda


def test_a_sent_digest_keeps_its_row_with_its_text_removed(alice: User, settings: Any) -> None:
    zebulon = _zebulon()
    _anne()
    _digest_for(alice)
    _send_all(settings)
    subject = OutboxMessage.objects.get().subject

    _erase(alice, zebulon)

    message = OutboxMessage.objects.get()
    assert (message.state, message.recipients, message.subject) == (
        State.SENT,
        ["alice@example.com"],
        subject,
    )
    assert (message.body_text, message.body_html) == (REMOVED, f"<p>{REMOVED}</p>")
    assert _traces_in_outbox(TRACES) == []


def test_a_digest_that_does_not_name_them_is_left_as_it_was(alice: User) -> None:
    _anne()
    quiet = make_person(given_name="Zebulon", family_name="Quixotic")  # nothing on today
    _digest_for(alice)
    before = list(OutboxMessage.objects.values_list("subject", "body_text", "body_html"))

    changes = _erase(alice, quiet)

    assert list(OutboxMessage.objects.values_list("subject", "body_text", "body_html")) == before
    assert changes["internal_messages"] == {"rewritten": 0, "withdrawn": 0, "redacted": 0}


def test_the_feedback_digest_is_written_again_without_their_words(alice: User, maria: User) -> None:
    zebulon = make_person(given_name="Zebulon", family_name="Quixotic")
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    heard(person=zebulon, category="place", text="Quixotic lupin bouquet", heard_at=now - hour)
    heard(category="price", sentiment="negative", text="Milk went up", heard_at=now - 2 * hour)
    assert send_feedback_digests(now) == 2

    changes = _erase(alice, zebulon)

    assert _traces_in_outbox(TRACES) == []
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [m.recipients for m in messages] == [["alice@example.com"], ["maria@example.com"]]
    for message in messages:
        assert "Price: 1 (0 positive, 1 negative)" in message.body_text
        assert "  - “Milk went up” (negative)" in message.body_text
        assert "Place:" not in message.body_text
    assert changes["internal_messages"] == {"rewritten": 2, "withdrawn": 0, "redacted": 0}


def test_the_erasure_audit_entry_counts_internal_messages_without_naming_them(
    alice: User, bob: User, settings: Any
) -> None:
    zebulon = _zebulon()
    _anne()
    _digest_for(alice)
    _send_all(settings)  # alice's digest went out
    _digest_for(bob)  # bob's is still queued
    heard(person=zebulon, text="Quixotic lupin bouquet", heard_at=timezone.now())
    send_feedback_digests(timezone.now())  # alice's feedback digest: only his words

    changes = _erase(alice, zebulon)

    assert changes["internal_messages"] == {"rewritten": 1, "withdrawn": 1, "redacted": 1}
    assert [t for t in TRACES if t.lower() in json.dumps(changes).lower()] == []
    assert _traces_in_outbox(TRACES) == []


def test_a_digest_naming_someone_merged_into_them_is_rewritten_when_they_are_erased(
    alice: User, maria: User
) -> None:
    zebulon = make_person(given_name="Zebulon", family_name="Quixotic")
    _anne()
    today = business_today()
    occasion_create(
        actor=None,
        kind="anniversary",
        month=today.month,
        day=today.day,
        label="Joined the club",
        person=zebulon,
    )
    twin = _zebulon(given_name="Zeb")  # the same man entered twice, with his other dates
    _digest_for(alice)
    assert "Birthday — Zeb (turns 51)" in OutboxMessage.objects.get().body_text
    person_merge(actor=maria, survivor=zebulon, other=twin)

    _erase(alice, Person.objects.get(pk=zebulon.pk))

    assert _traces_in_outbox([*TRACES, "Zeb ", "Joined the club"]) == []
    assert "TODAY: Birthday — Anne (turns 40)" in OutboxMessage.objects.get().body_text


@pytest.mark.parametrize("others", [True, False])
def test_a_digest_a_worker_is_sending_never_goes_out_with_the_erased_person(
    alice: User, settings: Any, others: bool
) -> None:
    from goodwill.outreach.worker.claim import claim
    from goodwill.outreach.worker.send import deliver

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    zebulon = _zebulon()
    if others:
        _anne()
    _digest_for(alice)
    config = WorkerConfig(name="w1")
    claimed = claim(config)  # the worker holds the text that names him

    _erase(alice, zebulon)
    deliver(claimed, config)  # it looks once more before sending: nothing stale goes out
    _send_all(settings)  # the rewritten digest, if anything is left to say

    sent = [m.body + str(m.alternatives) for m in mail.outbox]
    assert [t for t in TRACES for body in sent if t in body] == []
    assert len(sent) == (1 if others else 0)
    assert _traces_in_outbox(TRACES) == []


@pytest.mark.parametrize("others", [True, False])
@pytest.mark.django_db(transaction=True)
def test_an_erasure_while_the_digest_is_being_queued_leaves_them_out(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch, others: bool
) -> None:
    from goodwill.outreach.jobs import digest

    zebulon = _zebulon()
    if others:
        _anne()
    for user in (alice, bob):
        agenda_preference_set(actor=None, user=user, digest_email=True)
    built = digest.digest_mail
    calls: list[int] = []

    def erased_meanwhile(day: dt.date) -> Any:
        mail = built(day)
        if not calls:  # the erasure lands after the digest was built, before it is queued
            person_erase(actor=alice, person=zebulon, confirm_name=NAME)
        calls.append(1)
        return mail

    monkeypatch.setattr(digest, "digest_mail", erased_meanwhile)

    queued = send_digests(timezone.now())

    assert queued == (2 if others else 0)
    assert _traces_in_outbox(TRACES) == []
    if others:
        assert all("Anne" in m.body_text for m in OutboxMessage.objects.all())
