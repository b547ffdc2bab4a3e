"""Reads of the consent ledger: whether a person may be written to at an address about a topic,
and why; the ledger's history; the topics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.commerce.models import Purchase
from goodwill.core.errors import NotFound
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.people.models import Person
from goodwill.people.normalize import fold

IMPLIED_BY_PURCHASE = dt.timedelta(days=730)
IMPLIED_BY_INQUIRY = dt.timedelta(days=183)


@dataclass(frozen=True)
class ConsentStatus:
    """Whether writing is allowed, on which basis, and the sentence staff see."""

    valid: bool
    basis: str  # express, implied_purchase, implied_inquiry, legitimate_interest or none
    reason: str
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True)
class Facts:
    """The person's last purchase or stay and last inquiry, up to the moment asked about."""

    bought_at: dt.datetime | None
    asked_at: dt.datetime | None


def _day(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value).date(), "j M Y")


def _origin(row: Consent) -> str:
    detail = row.source_detail or row.evidence[:60]
    return f"{row.source}: {detail}" if detail else row.source


def _walk(rows: Iterable[Consent]) -> tuple[Consent | None, Consent | None, Consent | None]:
    """The grant in force, the withdrawal in force and the self-withdrawal still suppressing
    grants, from ``rows`` oldest first. After the person withdrew themself, only their own new
    opt-in (express, source form) counts; other grants stay on the ledger without effect."""
    grant: Consent | None = None
    withdrawal: Consent | None = None
    suppressing: Consent | None = None
    for row in rows:
        if row.basis == Consent.Basis.WITHDRAWN:
            grant, withdrawal = None, row
            if row.self_withdrawal:
                suppressing = row
        elif suppressing is None or (
            row.basis == Consent.Basis.EXPRESS and row.source == Consent.Source.FORM
        ):
            grant, withdrawal, suppressing = row, None, None
    return grant, withdrawal, suppressing


def status_from(
    *, rows: Iterable[Consent], topic: Topic | None, facts: Facts, at: dt.datetime
) -> ConsentStatus:
    """The status from the applicable ledger rows (oldest first) and purchase facts (no query)."""
    grant, withdrawal, suppressing = _walk(rows)
    if grant is not None and grant.basis == Consent.Basis.EXPRESS:
        reason = _("Opted in on %(day)s (%(origin)s)") % {
            "day": _day(grant.recorded_at),
            "origin": _origin(grant),
        }
        return ConsentStatus(True, "express", reason, since=grant.recorded_at)
    if suppressing is not None:
        label = (
            _("Unsubscribed on %(day)s")
            if suppressing.source == Consent.Source.UNSUBSCRIBE
            else _("Withdrew on %(day)s on a form")
        )
        return ConsentStatus(False, "none", label % {"day": _day(suppressing.recorded_at)})
    if grant is not None:
        reason = _("Legitimate interest recorded on %(day)s (%(origin)s)") % {
            "day": _day(grant.recorded_at),
            "origin": _origin(grant),
        }
        return ConsentStatus(True, "legitimate_interest", reason, since=grant.recorded_at)
    after = withdrawal.recorded_at if withdrawal is not None else None
    for basis, when, span, label in (
        ("implied_purchase", facts.bought_at, IMPLIED_BY_PURCHASE, _("Bought on %(day)s")),
        ("implied_inquiry", facts.asked_at, IMPLIED_BY_INQUIRY, _("Asked on %(day)s")),
    ):
        if when is not None and when + span > at and (after is None or after < when):
            reason = (label + _(": implied consent until %(until)s")) % {
                "day": _day(when),
                "until": _day(when + span),
            }
            return ConsentStatus(True, basis, reason, since=when, until=when + span)
    if withdrawal is not None:
        reason = _("Withdrawn on %(day)s (%(origin)s)") % {
            "day": _day(withdrawal.recorded_at),
            "origin": _origin(withdrawal),
        }
        return ConsentStatus(False, "none", reason)
    if topic is not None and topic.legitimate_interest:
        return ConsentStatus(True, "legitimate_interest", _("Legitimate interest for this topic"))
    return ConsentStatus(False, "none", _("No consent on record"))


def applicable(rows: Iterable[Consent], address: str, topic: Topic | None) -> list[Consent]:
    """The rows for ``address`` about ``topic`` or every topic, oldest first."""
    topic_id = topic.pk if topic is not None else None
    mine = [r for r in rows if r.address == address and r.topic_id in (None, topic_id)]
    return sorted(mine, key=lambda r: (r.recorded_at, r.pk))


def purchase_facts(*, person: Person, at: dt.datetime) -> Facts:
    """The last purchase or stay and the last inquiry up to ``at`` (one query)."""
    found = Purchase.objects.filter(person=person, occurred_at__lte=at).aggregate(
        bought=Max("occurred_at", filter=Q(kind__in=[Purchase.Kind.PURCHASE, Purchase.Kind.STAY])),
        asked=Max("occurred_at", filter=Q(kind=Purchase.Kind.INQUIRY)),
    )
    return Facts(bought_at=found["bought"], asked_at=found["asked"])


def consent_status(
    *, person: Person, address: str, topic: Topic | None, at: dt.datetime | None = None
) -> ConsentStatus:
    """May we write to ``person`` at ``address`` about ``topic`` (None: everything) at ``at``?"""
    at = at or timezone.now()
    rows = Consent.objects.filter(
        person=person, address=address.strip().lower(), recorded_at__lte=at
    ).filter(Q(topic=None) | Q(topic=topic) if topic is not None else Q(topic=None))
    return status_from(
        rows=applicable(rows, address.strip().lower(), topic),
        topic=topic,
        facts=purchase_facts(person=person, at=at),
        at=at,
    )


def consent_history(*, user: User | None, person: Person) -> QuerySet[Consent]:
    """The person's ledger, newest first (any staff member)."""
    require_role(user, User.Role.STAFF)
    return (
        Consent.objects.filter(person=person)
        .select_related("topic", "recorded_by")
        .order_by("-recorded_at", "-id")
    )


def topic_list() -> list[Topic]:
    """Every topic, by name."""
    return list(Topic.objects.order_by("name", "id"))


@dataclass(frozen=True)
class Overview:
    """A person's ledger (newest first) and the status of each (address, topic) pair."""

    history: list[Consent]
    statuses: list[tuple[str, Topic | None, ConsentStatus]]


def consent_overview(*, user: User | None, person: Person, addresses: list[str]) -> Overview:
    """History and status for every address about every topic and everything (three queries)."""
    history = list(consent_history(user=user, person=person))
    now = timezone.now()
    facts = purchase_facts(person=person, at=now)
    topics: list[Topic | None] = [None, *topic_list()]
    statuses = [
        (
            address,
            topic,
            status_from(rows=applicable(history, address, topic), topic=topic, facts=facts, at=now),
        )
        for address in addresses
        for topic in topics
    ]
    return Overview(history=history, statuses=statuses)


def topic_get(*, topic_id: int) -> Topic:
    """One topic; NotFound when there is none."""
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(_("No such topic."))
    return topic


def topic_get_by_key(*, key: str) -> Topic:
    """One topic by its name or key, matched regardless of case and accents."""
    topic = Topic.objects.filter(key=fold(key)).first()
    if topic is None:
        raise NotFound(_("No topic “%(key)s”.") % {"key": key[:100]})
    return topic
