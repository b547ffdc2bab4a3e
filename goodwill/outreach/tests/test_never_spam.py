"""Property: whatever people, consents, unsubscribes, purchases, birthdays, calls, campaigns and
one-to-one emails come along over simulated months, no person ever receives a marketing message
without valid consent, beyond the touch budget, without a reason it is relevant to them, after
unsubscribing, or without their own name in the greeting.

Hypothesis draws the people and a sequence of events; the clock (``timezone.now``) moves only on
"wait" events, and the worker (real SMTP to a loopback server) runs on "deliver" and before each
wait. What the server received is then judged by an oracle written from the rules, not from the
code under test: the ledger walk, the 730-day purchase basis, the windows (1 in 14 days, 4 in 90),
the 48-hour gap, a giving touch before asking again, and one urgent subject per 90 days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import event as note
from hypothesis import strategies as st

from goodwill.accounts.models import User
from goodwill.commerce.services import purchase_log
from goodwill.core.errors import GoodwillError
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import CampaignRecipient
from goodwill.outreach.models_consent import Topic
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.services.campaigns import campaign_create, campaign_queue
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.outreach.services.direct import direct_email_send
from goodwill.outreach.services.offers import offer_create
from goodwill.outreach.services.touch_policy import touch_policy_update
from goodwill.outreach.services.touches import touch_log
from goodwill.outreach.tests.campaign_helpers import complete_footer
from goodwill.outreach.tests.smtp_sink import Sink, sink_fixture  # noqa: F401
from goodwill.outreach.worker import run
from goodwill.people.models import Person
from goodwill.people.services import interest_get_or_create
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
GENERIC = {"customer", "valued customer", "guest", "sir or madam", "valued guest"}

# People: their names (some unusable), whether the address's local part is their name, whether
# they like storm chasing, whether they have a birthday.
person_st = st.fixed_dictionaries(
    {
        "given": st.sampled_from(["Ann", "Zoë", "Ben", "Ann", "", "Customer", "ben", "guest"]),
        "preferred": st.sampled_from(["", "", "Annie"]),
        "name_as_address": st.booleans(),
        "likes": st.sampled_from([True, True, True, False]),
        "birthday": st.one_of(st.none(), st.integers(1, 12)),
        "opted_in": st.sampled_from([True, True, True, False]),
    }
)
who = st.integers(0, 3)
campaign_st = st.tuples(st.just("campaign"), st.sampled_from(["giving", "asking"]), st.booleans())
event_st = st.one_of(
    campaign_st,
    campaign_st,
    st.tuples(st.just("wait"), st.integers(1, 50)),
    st.tuples(
        st.just("consent"),
        who,
        st.sampled_from(["express", "withdrawn"]),
        st.sampled_from(["form", "staff", "unsubscribe"]),
        st.booleans(),  # for the offers' topic (else: for everything)
    ),
    st.tuples(st.just("purchase"), who),
    st.tuples(st.just("direct"), who, st.sampled_from(["giving", "asking"]), st.booleans()),
    st.tuples(st.just("call"), who, st.sampled_from(["giving", "asking"])),
    st.tuples(st.just("deliver")),
)


@dataclass
class Happened:
    """One touch that reached a person, in the order things happened (``seq``)."""

    seq: int
    at: dt.datetime
    intent: str
    counts: bool
    urgent: bool = False
    marketing: OutboxMessage | None = None


@dataclass
class World:
    """The simulation: the clock, the people, and what the oracle needs to know."""

    sink: Sink
    bob: User
    maria: User
    topic: Topic
    now: dt.datetime = T0
    seq: int = 0
    people: list[Person] = field(default_factory=list)
    ledger: dict[int, list[tuple[int, dt.datetime, str, str, bool]]] = field(default_factory=dict)
    bought: dict[int, list[tuple[int, dt.datetime]]] = field(default_factory=dict)
    touches: dict[int, list[Happened]] = field(default_factory=dict)
    seen: int = 0

    def tick(self) -> int:
        self.seq += 1
        return self.seq

    def deliver(self) -> None:
        """Run the worker until idle and file what arrived as touches, in arrival order."""
        run(stop_when_idle=True, schedule=False)
        for received in self.sink.messages[self.seen :]:
            row = OutboxMessage.objects.get(message_id=received.message_id)
            touch = Touch.objects.get(message=row)
            self.touches.setdefault(row.person_id or 0, []).append(
                Happened(
                    self.tick(),
                    self.now,
                    touch.intent,
                    touch.counts,
                    touch.urgent,
                    row if row.kind == OutboxMessage.Kind.MARKETING else None,
                )
            )
        self.seen = len(self.sink.messages)


def _person(w: World, index: int, spec: dict[str, Any]) -> Person:
    given = spec["given"]
    local = given.lower() if spec["name_as_address"] and given else f"p{index}"
    person = make_person(
        given_name=given,
        preferred_name=spec["preferred"],
        family_name="Lee",
        emails=[f"{local}@h{index}.example"],
    )
    if spec["opted_in"]:
        at = T0 - 30 * DAY
        consent_record(
            actor=None, person=person, address=person.primary_email, basis="express",
            source="form", at=at,
        )  # fmt: skip
        w.ledger[person.pk] = [(w.tick(), at, "express", "form", False)]
    if spec["likes"]:
        give_interests(person, "Storm chasing")
    if spec["birthday"]:
        occasion_create(actor=None, kind="birthday", month=spec["birthday"], day=10, person=person)
    return person


def _apply(w: World, event: tuple[Any, ...]) -> None:  # noqa: C901 - one branch per event
    kind = event[0]
    personal = kind in ("consent", "purchase", "direct", "call")
    person = w.people[event[1] % len(w.people)] if personal else None
    if kind == "wait":
        w.deliver()
        w.now += event[1] * DAY + dt.timedelta(hours=3)
    elif kind == "deliver":
        w.deliver()
    elif kind == "consent" and person is not None:
        _, _i, basis, source, on_topic = event
        source = "form" if basis == "express" and source == "unsubscribe" else source
        topic = w.topic if on_topic else None
        consent_record(
            actor=None, person=person, address=person.primary_email, topic=topic, basis=basis,
            source=source,
        )  # fmt: skip
        w.ledger.setdefault(person.pk, []).append((w.tick(), w.now, basis, source, on_topic))
    elif kind == "purchase" and person is not None:
        purchase_log(actor=None, person=person, occurred_at=w.now)
        w.bought.setdefault(person.pk, []).append((w.tick(), w.now))
    elif kind == "campaign":
        _, intent, urgent = event
        subject = ("Last chance, " if urgent else "News for ") + "{{ preferred_name }}"
        offer = offer_create(
            actor=None, name=f"Offer {w.seq}", topic=w.topic, interests=["storm chasing"],
            occasion_kinds=["birthday"], subject_template=subject, intent=intent,
            body_template="Dear {{ preferred_name }},\n\nA storm weekend for you.",
        )  # fmt: skip
        try:
            campaign_queue(
                actor=w.maria, campaign=campaign_create(actor=None, offer=offer, name="C")
            )
        except GoodwillError as exc:
            note(f"campaign refused: {exc.message[:60]}")
        w.tick()
    elif kind == "direct" and person is not None:
        _, _i, intent, override = event
        with contextlib.suppress(GoodwillError):  # refused by a check
            direct_email_send(
                actor=w.maria if override else w.bob, person=person, intent=intent,
                subject=f"A note {w.seq}", body="Dear you,\n\nThank you.", override=override,
            )  # fmt: skip
        w.tick()
    elif kind == "call" and person is not None:
        touch_log(actor=w.bob, person=person, channel="phone", intent=event[2], summary="Called")
        counts = event[2] == "asking"
        w.touches.setdefault(person.pk, []).append(Happened(w.tick(), w.now, event[2], counts))


# The oracle


def _consent_valid(w: World, person: Person, seq: int, at: dt.datetime) -> tuple[bool, bool]:
    """(valid, withdrawn by the person themself) before ``seq``, by the ledger rules."""
    grant = withdrawal = suppressing = None
    for row in [r for r in w.ledger.get(person.pk, []) if r[0] < seq]:
        _seq, _when, basis, source, _topic = row
        if basis == "withdrawn":
            grant, withdrawal = None, row
            if source in ("unsubscribe", "form"):
                suppressing = row
        elif suppressing is None or source == "form":
            grant, withdrawal, suppressing = row, None, None
    if grant is not None:
        return True, False
    if suppressing is not None:
        return False, True
    bought = [when for s, when in w.bought.get(person.pk, []) if s < seq]
    last = max(bought, default=None)
    if last is not None and last + 730 * DAY > at:
        return withdrawal is None or withdrawal[1] < last, False
    return False, False


def _budget_problem(prior: list[Happened], t: Happened) -> str:
    if sum(1 for h in prior if h.counts and h.at > t.at - 14 * DAY):
        return "more than 1 in 14 days"
    if sum(1 for h in prior if h.counts and h.at > t.at - 90 * DAY) >= 4:
        return "more than 4 in 90 days"
    if any(h.at > t.at - 2 * DAY for h in prior):
        return "within 48 h of another touch"
    year = [h for h in prior if h.at > t.at - 365 * DAY]
    asked = max((h.at for h in year if h.intent == "asking"), default=None)
    gave = max((h.at for h in year if h.intent == "giving"), default=None)
    if t.intent == "asking" and asked is not None and (gave is None or gave < asked):
        return "asked again before giving"
    if t.urgent and any(h.urgent and h.at > t.at - 90 * DAY for h in prior):
        return "a second urgent subject in 90 days"
    return ""


def _judge(w: World, person: Person, t: Happened, prior: list[Happened]) -> None:
    message = t.marketing
    assert message is not None
    valid, unsubscribed = _consent_valid(w, person, t.seq, t.at)
    assert not unsubscribed, f"{person.primary_email} got {message.subject!r} after unsubscribing"
    assert valid, f"{person.primary_email} got {message.subject!r} without consent"
    problem = _budget_problem(prior, t)
    assert not problem, f"{person.primary_email} got {message.subject!r}: {problem}"
    recipient = CampaignRecipient.objects.get(message=message)
    likes = person.interests.filter(interest__key="storm chasing").exists()
    has_birthday = person.occasions.filter(kind="birthday").exists()
    assert recipient.reason, message.subject
    assert likes or has_birthday, f"{person.primary_email} got {message.subject!r}, unrelated"
    parsed = email.message_from_bytes(
        next(m.content for m in w.sink.messages if m.message_id == message.message_id),
        policy=email.policy.default,
    )
    own = (person.preferred_name or person.given_name).strip()
    first = parsed.get_body(preferencelist=("plain",)).get_content().splitlines()[0]  # type: ignore[union-attr]
    assert own, f"{person.primary_email} has no name but got {message.subject!r}"
    assert own.lower() not in GENERIC, first
    copied = own == own.lower()  # "ben" from ben@…, not "Anna" typed for anna@…
    assert not (copied and own == person.primary_email.split("@")[0]), first
    assert first == f"Dear {own},", first


def _check(w: World) -> None:
    marketing = sum(1 for ts in w.touches.values() for t in ts if t.marketing is not None)
    refused = OutboxMessage.objects.filter(last_error__startswith="Not sent").count()
    note(f"marketing messages delivered: {min(marketing, 3)}{'+' if marketing > 2 else ''}")
    note(f"refused when claimed: {'yes' if refused else 'no'}")
    for person in w.people:
        touches = sorted(w.touches.get(person.pk, []), key=lambda h: h.seq)
        for index, t in enumerate(touches):
            if t.marketing is not None:
                _judge(w, person, t, touches[:index])


@pytest.fixture
def clock() -> Iterator[list[dt.datetime]]:
    current = [T0]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: current[0]):
        yield current


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(person_st, min_size=1, max_size=4),
    first=campaign_st,
    events=st.lists(event_st, min_size=1, max_size=12),
)
def test_no_one_ever_gets_marketing_they_should_not(
    people: list[dict[str, Any]],
    first: tuple[Any, ...],
    events: list[tuple[Any, ...]],
    sink: Sink,
    bob: User,
    maria: User,
    clock: list[dt.datetime],
) -> None:
    with transaction.atomic():
        clock[0] = T0
        complete_footer()
        touch_policy_update(actor=None, quiet_start="00:00", quiet_end="00:00")
        interest_get_or_create(name="storm chasing")
        w = World(sink=sink, bob=bob, maria=maria, topic=topic_create(actor=None, name="Offers"))
        w.seen = len(sink.messages)
        w.people = [_person(w, i, spec) for i, spec in enumerate(people)]
        for event in [first, *events]:
            _apply(w, event)
            clock[0] = w.now
        w.deliver()
        _check(w)
        transaction.set_rollback(True)
