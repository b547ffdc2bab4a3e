"""The claim-time re-check: a marketing message queued while the person could be written to is
not sent once they unsubscribed, were suppressed, or spent their budget meanwhile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from goodwill.outreach import suppression
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.selectors.budget import BudgetVerdict, budget_check, touch_policy
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.outbox import message_enqueue
from goodwill.outreach.tests.smtp_sink import Sink, sink_fixture  # noqa: F401
from goodwill.outreach.worker import WorkerConfig, run
from goodwill.outreach.worker.claim import claim
from goodwill.outreach.worker.eligibility import refuse, still_eligible
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
State = OutboxMessage.State


@pytest.fixture
def offers() -> Topic:
    return topic_create(actor=None, name="Offers")


def _ann(address: str = "ann@example.com", opted_in: bool = True) -> Person:
    person = make_person(given_name="Ann", emails=[address])
    if opted_in:
        consent_record(
            actor=None,
            person=person,
            address=address,
            basis="express",
            source="form",
            at=timezone.now() - dt.timedelta(days=30),
        )
    return person


def _queue(person: Person, topic: Topic | None, kind: str = "marketing", **kw: Any) -> Any:
    message = message_enqueue(
        actor=None,
        kind=kind,
        recipients=[f"{person.given_name} <{person.primary_email}>"],
        subject="Our autumn menu",
        body_text=f"Dear {person.given_name}, the autumn menu is here.",
        idempotency_key=f"test:{person.pk}:{kind}:{kw.get('key', '')}",
        person=person,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(topic=topic)
    message.refresh_from_db()
    return message


def _touch(person: Person, days_ago: float, message: Any = None, **kw: Any) -> Touch:
    fields = {"purpose": "marketing", "intent": "giving", "channel": "email", "counts": True}
    return Touch.objects.create(
        person=person,
        at=timezone.now() - dt.timedelta(days=days_ago),
        message=message,
        **{**fields, **kw},
    )


def _unsubscribe(person: Person, at: dt.datetime) -> None:
    consent_record(
        actor=None,
        person=person,
        address=person.primary_email,
        basis="withdrawn",
        source="unsubscribe",
        at=at,
    )


def test_an_unsubscribe_after_queueing_stops_the_message(sink: Sink, offers: Topic) -> None:
    ann = _ann()
    message = _queue(ann, offers)
    when = timezone.now() - dt.timedelta(minutes=5)
    _unsubscribe(ann, when)
    counts = run(stop_when_idle=True, schedule=False)
    assert counts == {"refused": 1}
    assert sink.messages == []
    message.refresh_from_db()
    day = date_format(timezone.localtime(when).date(), "j M Y")
    assert (message.state, message.last_error) == (State.FAILED, f"Not sent: unsubscribed on {day}")
    assert (message.lease_owner, message.next_attempt_at) == ("", None)


def test_a_person_who_may_still_be_written_to_gets_the_message(sink: Sink, offers: Topic) -> None:
    message = _queue(_ann(), offers)
    assert run(stop_when_idle=True, schedule=False) == {"sent": 1}
    assert [m.message_id for m in sink.messages] == [message.message_id]


def test_a_withdrawal_of_the_topic_only_stops_that_topic(sink: Sink, offers: Topic) -> None:
    news = topic_create(actor=None, name="Newsletter")
    ann = _ann()
    consent_record(
        actor=None, person=ann, address=ann.primary_email, topic=news, basis="withdrawn",
        source="unsubscribe",
    )  # fmt: skip
    on_offers = _queue(ann, offers, key="offers")
    on_news = _queue(ann, news, key="news")
    refused = still_eligible([on_offers, on_news])
    assert list(refused) == [on_news.pk]


def test_a_suppressed_address_is_never_sent_to(
    sink: Sink, offers: Topic, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = _ann()
    message = _queue(ann, offers)
    monkeypatch.setattr(suppression, "_checkers", [lambda addresses: {"ann@example.com"}])
    assert run(stop_when_idle=True, schedule=False) == {"refused": 1}
    message.refresh_from_db()
    assert message.last_error == "Not sent: the address is on the suppression list"
    assert sink.messages == []


def test_consent_that_lapsed_stops_the_message(offers: Topic) -> None:
    ann = _ann(opted_in=False)
    message = _queue(ann, offers)
    assert still_eligible([message]) == {message.pk: "Not sent: no consent on record"}


def test_receipts_and_greetings_are_never_refused(sink: Sink, offers: Topic) -> None:
    ann = _ann()
    _unsubscribe(ann, timezone.now() - dt.timedelta(minutes=1))
    _queue(ann, None, kind="transactional")
    assert run(stop_when_idle=True, schedule=False) == {"sent": 1}
    assert len(sink.messages) == 1


def test_a_sent_marketing_message_last_week_uses_up_the_budget(offers: Topic) -> None:
    ann = _ann()
    earlier = _queue(ann, offers, key="earlier")
    OutboxMessage.objects.filter(pk=earlier.pk).update(state=State.SENT)
    _touch(ann, 7, message=earlier)
    message = _queue(ann, offers, key="now")
    _touch(ann, 0.01, message=message)  # its own touch, from when it was queued
    assert still_eligible([message]) == {
        message.pk: "Not sent: 1 marketing touch in the last 14 days (limit 1)"
    }


def test_a_touch_whose_message_never_went_out_does_not_count(offers: Topic) -> None:
    ann = _ann()
    earlier = _queue(ann, offers, key="earlier")
    OutboxMessage.objects.filter(pk=earlier.pk).update(state=State.FAILED)
    _touch(ann, 7, message=earlier)
    message = _queue(ann, offers, key="now")
    assert still_eligible([message]) == {}


def test_a_phone_call_yesterday_holds_the_message_back_by_the_gap(offers: Topic) -> None:
    ann = _ann()
    _touch(ann, 1, purpose="one_to_one", intent="giving", channel="phone", counts=False)
    message = _queue(ann, offers)
    assert still_eligible([message]) == {message.pk: "Not sent: within 48 h of the last touch"}


def test_two_messages_to_one_person_in_a_batch_only_the_first_goes(offers: Topic) -> None:
    ann = _ann()
    first = _queue(ann, offers, key="1")
    second = _queue(ann, offers, key="2")
    assert still_eligible([first, second]) == {
        second.pk: "Not sent: 1 marketing touch in the last 14 days (limit 1)"
    }


def test_the_recheck_takes_a_few_queries_whatever_the_batch(
    offers: Topic, django_assert_max_num_queries: Any
) -> None:
    messages = [_queue(_ann(f"p{i}@example.com"), offers) for i in range(30)]
    touch_policy()  # the business's policy exists once it was saved
    with django_assert_max_num_queries(8):
        assert still_eligible(messages) == {}


def test_a_refusal_is_not_recorded_over_another_workers_lease(offers: Topic) -> None:
    message = _queue(_ann(), offers)
    (mine,) = claim(WorkerConfig(name="w1"))
    OutboxMessage.objects.filter(pk=message.pk).update(lease_owner="w2")
    assert refuse([mine], {mine.pk: "Not sent: test"}, WorkerConfig(name="w1")) == 0
    message.refresh_from_db()
    assert (message.state, message.lease_owner) == (State.SENDING, "w2")


def test_a_refused_message_no_longer_uses_up_the_budget(sink: Sink, offers: Topic) -> None:
    ann = _ann()
    message = _queue(ann, offers)
    _touch(ann, 0.001, message=message)  # recorded when queued: it blocks a second campaign
    assert budget_check(person=ann, intent="giving").allowed is False
    _unsubscribe(ann, timezone.now() - dt.timedelta(seconds=1))
    assert run(stop_when_idle=True, schedule=False) == {"refused": 1}
    assert budget_check(person=ann, intent="giving") == BudgetVerdict(allowed=True, reason="")


def test_an_asking_message_waits_for_a_giving_touch_since_the_last_ask(offers: Topic) -> None:
    ann = _ann()
    _touch(ann, 20, purpose="one_to_one", intent="asking", channel="phone")
    message = _queue(ann, offers)
    _touch(ann, 0.001, message=message, intent="asking")
    assert still_eligible([message]) == {message.pk: "Not sent: asking again before a giving touch"}
