"""The last look before a marketing message goes out: is the person still someone we may write to?

A campaign checks consent, suppression and the touch budget when it is queued; days may pass
before a worker claims the message, and meanwhile the person may have unsubscribed, been erased,
or had a phone call. So the worker asks again for each claimed batch, with a handful of queries
whatever its size:

1. Consent for (person, address, topic) is read from the ledger and the purchases as they are now
   (the same rules as the person page: ``status_from``), so an unsubscribe wins.
2. The address must not be on the suppression list (erased people).
3. The budget counts the touches that really happened: the person's other counting touches whose
   message was sent, or that had no message (a call, a visit), plus this one.

Transactional and internal messages are never refused here. A refused message ends ``failed``
and says why ("Not sent: unsubscribed on 4 Dec 2026"); its touch then no longer counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from email.utils import parseaddr

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.commerce.models import Purchase
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch
from goodwill.outreach.selectors.budget import (
    ASKING_LOOKBACK,
    URGENT_WINDOW,
    Limits,
    Recent,
    limits_for,
    touch_policy,
    verdict_reason,
)
from goodwill.outreach.selectors.consent import Facts, applicable, status_from
from goodwill.outreach.suppression import suppressed
from goodwill.outreach.worker.config import WorkerConfig

State = OutboxMessage.State


def address_of(recipient: str) -> str:
    """The bare, lower-case address of a stored recipient ("Ann <ann@x.org>" → "ann@x.org")."""
    return parseaddr(recipient)[1].strip().lower()


def not_sent(reason: str) -> str:
    """The error a refused message ends with: "Not sent: unsubscribed on 4 Dec 2026"."""
    return _("Not sent: %(why)s") % {"why": reason[:1].lower() + reason[1:]}


def _facts(person_ids: set[int], at: dt.datetime) -> dict[int, Facts]:
    """Each person's last purchase or stay and last inquiry (one grouped query)."""
    rows = (
        Purchase.objects.filter(person_id__in=person_ids, occurred_at__lte=at)
        .values("person_id")
        .annotate(
            bought=Max(
                "occurred_at", filter=Q(kind__in=[Purchase.Kind.PURCHASE, Purchase.Kind.STAY])
            ),
            asked=Max("occurred_at", filter=Q(kind=Purchase.Kind.INQUIRY)),
        )
    )
    found = {r["person_id"]: Facts(bought_at=r["bought"], asked_at=r["asked"]) for r in rows}
    return {pid: found.get(pid, Facts(bought_at=None, asked_at=None)) for pid in person_ids}


def _consent_refusals(messages: list[OutboxMessage], at: dt.datetime) -> dict[int, str]:
    """Message id → the consent status's reason, for messages whose consent is no longer valid
    at one of their addresses (two queries for the batch)."""
    person_ids = {m.person_id for m in messages if m.person_id is not None}
    ledger: dict[int, list[Consent]] = defaultdict(list)
    for row in Consent.objects.filter(person_id__in=person_ids, recorded_at__lte=at):
        ledger[row.person_id].append(row)
    facts = _facts(person_ids, at)
    topics = {t.pk: t for t in Topic.objects.filter(pk__in={m.topic_id for m in messages})}
    refused: dict[int, str] = {}
    for message in messages:
        if message.person_id is None:
            continue
        topic = topics.get(message.topic_id) if message.topic_id is not None else None
        for address in {address_of(r) for r in message.recipients}:
            rows = applicable(ledger[message.person_id], address, topic)
            status = status_from(rows=rows, topic=topic, facts=facts[message.person_id], at=at)
            if not status.valid:
                refused[message.pk] = not_sent(status.reason)
                break
    return refused


def still_eligible(
    messages: Iterable[OutboxMessage], *, at: dt.datetime | None = None
) -> dict[int, str]:
    """Message id → why it must not go out now, for the marketing messages among ``messages``
    that lost their consent, whose address is suppressed, or that would break the budget."""
    at = at or timezone.now()
    marketing = [m for m in messages if m.kind == OutboxMessage.Kind.MARKETING]
    if not marketing:
        return {}
    blocked = suppressed({address_of(r) for m in marketing for r in m.recipients})
    refused = {
        m.pk: not_sent(_("the address is on the suppression list"))
        for m in marketing
        if any(address_of(r) in blocked for r in m.recipients)
    }
    rest = [m for m in marketing if m.pk not in refused]
    refused |= _consent_refusals(rest, at)
    rest = [m for m in rest if m.pk not in refused]
    refused |= {pk: not_sent(why) for pk, why in budget_refusals(rest, at=at).items()}
    return refused


def refuse(messages: list[OutboxMessage], reasons: dict[int, str], config: WorkerConfig) -> int:
    """End the refused messages ``failed`` with their reason (only rows still leased to this
    worker, like every result); returns how many were refused."""
    if not reasons:
        return 0
    now = timezone.now()
    by_reason: dict[str, list[int]] = defaultdict(list)
    for message in messages:
        if message.pk in reasons:
            by_reason[reasons[message.pk]].append(message.pk)
    count = 0
    for reason, ids in by_reason.items():
        count += OutboxMessage.objects.filter(
            id__in=ids, state=State.SENDING, lease_owner=config.name
        ).update(
            state=State.FAILED,
            last_error=reason,
            next_attempt_at=None,
            lease_owner="",
            lease_expires_at=None,
            updated_at=now,
        )
    return count


def _happened(person_ids: set[int], since: dt.datetime, at: dt.datetime) -> dict[int, list[Touch]]:
    """Each person's non-transactional touches between ``since`` and ``at`` that really
    happened: their message was sent, or they had none (a logged call). The touches of queued,
    held, failed or in-flight messages (this batch's own) do not."""
    found: dict[int, list[Touch]] = defaultdict(list)
    rows = (
        Touch.objects.filter(person_id__in=person_ids, at__gt=since, at__lte=at)
        .filter(Q(message=None) | Q(message__state=State.SENT))
        .exclude(purpose=Touch.Purpose.TRANSACTIONAL)
        .only("person_id", "at", "intent", "urgent", "counts")
    )
    for touch in rows:
        found[touch.person_id].append(touch)
    return found


def _recent(touches: list[Touch], limits: Limits, at: dt.datetime) -> Recent:
    """What the budget's rules need to know, from the touches that happened."""

    def latest(items: Iterable[dt.datetime]) -> dt.datetime | None:
        return max(items, default=None)

    return Recent(
        short=sum(
            1 for t in touches if t.counts and t.at > at - dt.timedelta(days=limits.short_days)
        ),
        long=sum(
            1 for t in touches if t.counts and t.at > at - dt.timedelta(days=limits.long_days)
        ),
        last_touch=latest(
            t.at for t in touches if t.at > at - dt.timedelta(hours=limits.min_gap_hours)
        ),
        last_asking=latest(t.at for t in touches if t.intent == Touch.Intent.ASKING),
        last_giving=latest(t.at for t in touches if t.intent == Touch.Intent.GIVING),
        urgent=sum(1 for t in touches if t.urgent and t.at > at - URGENT_WINDOW),
    )


def budget_refusals(messages: list[OutboxMessage], *, at: dt.datetime) -> dict[int, str]:
    """Message id → the budget rule this message would now break (the budget's own rules and
    wording), counting only the touches that happened and the messages of this batch already
    let through (four queries)."""
    person_ids = {m.person_id for m in messages if m.person_id is not None}
    if not person_ids:
        return {}
    policy = touch_policy()
    own = {p.person_id: p for p in PersonTouchPolicy.objects.filter(person_id__in=person_ids)}
    limits = {pid: limits_for(policy, own.get(pid)) for pid in person_ids}
    widest = max(max(lim.short_days, lim.long_days) for lim in limits.values())
    since = at - max(dt.timedelta(days=widest), ASKING_LOOKBACK, URGENT_WINDOW)
    history = _happened(person_ids, since, at)
    theirs = {t.message_id: t for t in Touch.objects.filter(message__in=[m.pk for m in messages])}
    refused: dict[int, str] = {}
    for message in messages:
        if message.person_id is None:
            continue
        touch = theirs.get(message.pk) or Touch(
            purpose=Touch.Purpose.MARKETING, intent=Touch.Intent.GIVING, counts=True
        )
        mine = history[message.person_id]
        why = verdict_reason(
            _recent(mine, limits[message.person_id], at),
            limits=limits[message.person_id],
            policy=policy,
            intent=touch.intent,
            urgent=touch.urgent,
            counts=touch.counts,
            at=at,
        )
        if why:
            refused[message.pk] = why
        else:  # let through: it counts against the next message to the same person
            mine.append(Touch(at=at, intent=touch.intent, urgent=touch.urgent, counts=touch.counts))
    return refused
