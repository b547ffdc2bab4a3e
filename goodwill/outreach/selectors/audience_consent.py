"""The consent ledger read for many people at once, for an audience: the same rules as
:func:`goodwill.outreach.selectors.consent.status_from`, without the sentences, over ledger rows
and purchase facts loaded a chunk of people at a time (never one query per person)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from django.db.models import Max, Q

from goodwill.commerce.models import Purchase
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import IMPLIED_BY_INQUIRY, IMPLIED_BY_PURCHASE, _walk

CHUNK = 5_000
T = TypeVar("T")
VALID, NO_CONSENT, WITHDRAWN_BY_THEM = "valid", "no_consent", "suppressed"


def chunks(ids: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``ids`` in slices short enough for any database's limit on query parameters."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def among(field: str, ids: Sequence[int]) -> Q:
    """Rows whose ``field`` is one of ``ids`` (sorted): a range when the ids are dense — the
    caller skips the few others — since a long IN list costs more to build than to read."""
    if ids and len(ids) > 100 and len(ids) * 3 > ids[-1] - ids[0]:
        return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
    return Q(**{f"{field}__in": ids})


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """What the consent rules read of one ledger row."""

    address: str
    basis: str
    source: str
    recorded_at: dt.datetime
    pk: int

    @property
    def self_withdrawal(self) -> bool:
        return self.basis == Consent.Basis.WITHDRAWN and self.source in (
            Consent.Source.UNSUBSCRIBE,
            Consent.Source.FORM,
        )


def _ledger(ids: Sequence[int], topic: Topic, at: dt.datetime) -> dict[int, list[LedgerRow]]:
    rows: dict[int, list[LedgerRow]] = defaultdict(list)
    found = (
        Consent.objects.filter(among("person_id", ids), recorded_at__lte=at)
        .filter(Q(topic=None) | Q(topic=topic))
        .order_by("recorded_at", "id")
        .values_list("person_id", "address", "basis", "source", "recorded_at", "id")
    )
    for person_id, address, basis, source, recorded_at, pk in found:
        rows[person_id].append(LedgerRow(address, basis, source, recorded_at, pk))
    return rows


def _facts(ids: Sequence[int], at: dt.datetime) -> dict[int, tuple[dt.datetime | None, ...]]:
    found = (
        Purchase.objects.filter(among("person_id", ids), occurred_at__lte=at)
        .values("person_id")
        .annotate(
            bought=Max(
                "occurred_at", filter=Q(kind__in=[Purchase.Kind.PURCHASE, Purchase.Kind.STAY])
            ),
            asked=Max("occurred_at", filter=Q(kind=Purchase.Kind.INQUIRY)),
        )
        .order_by()
    )
    return {row["person_id"]: (row["bought"], row["asked"]) for row in found}


def _verdict(
    rows: list[LedgerRow],
    topic: Topic,
    facts: tuple[dt.datetime | None, ...] | None,
    at: dt.datetime,
) -> str:
    """VALID, NO_CONSENT or WITHDRAWN_BY_THEM (a self-withdrawal still in force), by the rules
    of ``status_from``; '' when the purchase ``facts`` (None: not read yet) are needed."""
    grant, withdrawal, suppressing = _walk(cast(list[Consent], rows))
    if grant is not None and grant.basis == Consent.Basis.EXPRESS:
        return VALID
    if suppressing is not None:
        return WITHDRAWN_BY_THEM
    if grant is not None:
        return VALID
    if facts is None:
        return ""
    after = withdrawal.recorded_at if withdrawal is not None else None
    for when, span in zip(facts, (IMPLIED_BY_PURCHASE, IMPLIED_BY_INQUIRY), strict=True):
        if when is not None and when + span > at and (after is None or after < when):
            return VALID
    if withdrawal is not None:
        return NO_CONSENT
    return VALID if topic.legitimate_interest else NO_CONSENT


def consent_verdicts(addresses: dict[int, str], *, topic: Topic, at: dt.datetime) -> dict[int, str]:
    """Person id → verdict for writing to their address (``addresses``) about ``topic``: a
    query per chunk of 5,000 people for the ledger, and one for the purchases of those whom
    the ledger alone does not decide."""
    verdicts: dict[int, str] = {}
    ids = sorted(addresses)
    for chunk in chunks(ids):
        ledger = _ledger(chunk, topic, at)
        mine: dict[int, list[LedgerRow]] = {}
        undecided: list[int] = []
        for person_id in chunk:
            address = addresses[person_id]
            rows = [r for r in ledger.get(person_id, ()) if r.address == address]
            verdict = _verdict(rows, topic, None, at)
            if verdict:
                verdicts[person_id] = verdict
            else:
                mine[person_id] = rows
                undecided.append(person_id)
        facts = _facts(undecided, at) if undecided else {}
        for person_id in undecided:
            known = facts.get(person_id, (None, None))
            verdicts[person_id] = _verdict(mine[person_id], topic, known, at)
    return verdicts
