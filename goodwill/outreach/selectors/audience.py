"""Who an offer may go to, and why each of the others may not.

A person is in the audience when the offer is relevant to them — they like one of its interests,
one of its occasions falls soon, or they bought something of one of its categories — and they
have an address, are not suppressed, have valid consent for the offer's topic, have a name of
their own to be greeted by and are within their touch budget. Everyone else is counted under the
first of these they miss. Everything is read set-wise, a few queries per 5,000 people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.core.errors import Invalid
from goodwill.occasions.selectors.occasions import join_names
from goodwill.occasions.selectors.settings import business_today
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.salutation import is_urgent, name_problem
from goodwill.outreach.selectors.audience_consent import (
    NO_CONSENT,
    VALID,
    among,
    chunks,
    consent_verdicts,
)
from goodwill.outreach.selectors.audience_relevance import Relevance, relevance
from goodwill.outreach.selectors.budget import budget_blocked
from goodwill.outreach.suppression import suppressed
from goodwill.people.models import Person

# Why someone is left out, in the order they are checked (each person counts under one).
REASONS = (
    "no_relevance",
    "no_address",
    "suppressed",
    "no_consent",
    "no_name",
    "budget",
    "urgency",
)
REASON_LABELS = {
    "no_relevance": gettext_lazy("Nothing in the offer matches what we know they like"),
    "no_address": gettext_lazy("No email address"),
    "suppressed": gettext_lazy("Unsubscribed, withdrew or erased"),
    "no_consent": gettext_lazy("No consent for this topic"),
    "no_name": gettext_lazy("No name of their own to greet them by"),
    "budget": gettext_lazy("Touched enough lately (touch budget)"),
    "urgency": gettext_lazy("Already had an urgent subject this quarter"),
}
SAMPLES = 10


@dataclass(frozen=True, slots=True)
class Recipient:
    """One person the offer would go to, with why it is relevant to them."""

    person_id: int
    name: str
    address: str
    reason: str
    occasion_id: int | None = None
    time_zone: str = ""
    given_name: str = ""
    preferred_name: str = ""
    family_name: str = ""
    # The others of a couple or household whose shared occasion this one message is for.
    partners: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Excluded:
    """One person left out, and the detail of why (the budget rule, the name problem)."""

    person_id: int
    name: str
    detail: str = ""


@dataclass
class Audience:
    """The recipients (by person id) and, per reason, how many were left out and the first few."""

    recipients: list[Recipient]
    excluded: dict[str, int]
    samples: dict[str, list[Excluded]] = field(default_factory=dict)
    urgent: bool = False

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())


def offer_check(offer: Offer, at: dt.datetime) -> None:
    """Refuse an offer that has no topic, is archived, or is not valid on ``at``'s date."""
    today = business_today(at)
    if offer.topic_id is None:
        raise Invalid.field("topic", _("Choose the topic this offer is about first."))
    if offer.archived_at is not None:
        raise Invalid.field("offer", _("This offer is archived."))
    if offer.valid_until is not None and offer.valid_until < today:
        raise Invalid.field(
            "valid_until",
            _("The offer ended on %(day)s; extend it first.") % {"day": offer.valid_until},
        )
    if offer.valid_from is not None and offer.valid_from > today:
        raise Invalid.field(
            "valid_from",
            _("The offer starts on %(day)s; send it from then.") % {"day": offer.valid_from},
        )


def _people(ids: list[int]) -> dict[int, tuple[str, str, str, str, str]]:
    """Id → (given, preferred, family, primary email, time zone) of the people not archived."""
    found: dict[int, tuple[str, str, str, str, str]] = {}
    for chunk in chunks(ids):
        rows = Person.objects.filter(among("pk", chunk), archived_at=None).values_list(
            "pk", "given_name", "preferred_name", "family_name", "primary_email", "time_zone"
        )
        wanted = set(chunk)
        for pk, *rest in rows:
            if pk in wanted:
                found[pk] = tuple(rest)  # type: ignore[assignment]
    return found


@dataclass(frozen=True, slots=True)
class _Named:
    """What the salutation gate reads of a person, without loading the whole row (``pk`` None:
    only the primary address is compared with the name)."""

    given_name: str
    preferred_name: str
    primary_email: str
    pk: None = None


def _name_problem(given: str, preferred: str, email: str) -> str:
    return name_problem(cast(Person, _Named(given, preferred, email)))


def _full(given: str, family: str) -> str:
    return " ".join(p for p in (given, family) if p)


class _Tally:
    """Counts and first samples per reason."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(REASONS, 0)
        self.samples: dict[str, list[Excluded]] = {r: [] for r in REASONS}

    def add(self, reason: str, person_id: int, name: str, detail: str = "") -> None:
        self.counts[reason] += 1
        if len(self.samples[reason]) < SAMPLES:
            self.samples[reason].append(Excluded(person_id, name, detail))


def _unrelated(related: set[int], person_ids: list[int] | None, tally: _Tally) -> None:
    """Count everyone the offer is not relevant to; name the first few (by id)."""
    people: QuerySet[Person] = Person.objects.filter(archived_at=None)
    if person_ids is not None:
        wanted = [pk for pk in person_ids if pk not in related]
        for chunk in chunks(wanted):
            for pk, given, family in people.filter(pk__in=chunk).values_list(
                "pk", "given_name", "family_name"
            ):
                tally.add("no_relevance", pk, _full(given, family))
        return
    total = people.count()
    after = 0
    while len(tally.samples["no_relevance"]) < SAMPLES:
        batch = list(
            people.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "given_name", "family_name")[:200]
        )
        if not batch:
            break
        for pk, given, family in batch:
            if pk not in related and len(tally.samples["no_relevance"]) < SAMPLES:
                tally.samples["no_relevance"].append(Excluded(pk, _full(given, family)))
        after = batch[-1][0]
    tally.counts["no_relevance"] = total - len(related)


def audience(
    *,
    offer: Offer,
    at: dt.datetime | None = None,
    person_ids: list[int] | None = None,
    campaign_id: int | None = None,
) -> Audience:
    """The people ``offer`` may go to at ``at`` (default now) and those left out by reason;
    ``person_ids`` narrows it to those people; ``campaign_id``: the touches that campaign already
    made do not count (a send resumed). An offer that cannot be sent: Invalid."""
    at = at or timezone.now()
    offer_check(offer, at)
    topic = offer.topic
    urgent = is_urgent(offer.subject_template)
    found: dict[int, Relevance] = relevance(offer=offer, at=at, person_ids=person_ids)
    people = _people(sorted(found))
    tally = _Tally()
    _unrelated(set(people), person_ids, tally)
    remaining: dict[int, str] = {}
    for pk in sorted(people):
        given, preferred, family, email, _zone = people[pk]
        if not email:
            tally.add("no_address", pk, _full(given, family))
        else:
            remaining[pk] = email
    erased: set[str] = set()
    emails = list(remaining.values())
    for start in range(0, len(emails), 5_000):
        erased |= suppressed(emails[start : start + 5_000])
    verdicts = consent_verdicts(
        {pk: e for pk, e in remaining.items() if e not in erased}, topic=topic, at=at
    )
    passed: list[int] = []
    for pk, email in remaining.items():
        given, preferred, family, _email, _zone = people[pk]
        name = _full(given, family)
        verdict = verdicts.get(pk, VALID)
        problem = _name_problem(given, preferred, email)
        if email in erased or (verdict not in (VALID, NO_CONSENT)):
            tally.add("suppressed", pk, name)
        elif verdict == NO_CONSENT:
            tally.add("no_consent", pk, name)
        elif problem:
            tally.add("no_name", pk, name, problem)
        else:
            passed.append(pk)
    blocked = budget_blocked(
        person_ids=passed, intent=offer.intent, urgent=urgent, at=at, ignore_campaign=campaign_id
    )
    urgent_rule = _("an urgent subject already this quarter")
    recipients: list[Recipient] = []
    for pk in passed:
        given, preferred, family, email, zone = people[pk]
        name = _full(given, family)
        why = blocked.get(pk)
        if why:
            tally.add("urgency" if why == urgent_rule else "budget", pk, name, why)
            continue
        rel = found[pk]
        recipients.append(
            Recipient(pk, name, email, rel.reason, rel.occasion_id, zone, given, preferred, family)
        )
    return Audience(
        recipients=_together(recipients),
        excluded=tally.counts,
        samples=tally.samples,
        urgent=urgent,
    )


def _together(recipients: list[Recipient]) -> list[Recipient]:
    """One message for a couple or household whose shared occasion made them recipients: to
    the first of them, greeting everyone; the others are its ``partners``."""
    shared: dict[int, list[Recipient]] = defaultdict(list)
    for r in recipients:
        if r.occasion_id is not None:
            shared[r.occasion_id].append(r)
    together: list[Recipient] = []
    covered: set[int] = set()
    for r in recipients:
        if r.person_id in covered:
            continue
        others = [o for o in shared.get(r.occasion_id or 0, ()) if o is not r]
        if others:
            covered.update(o.person_id for o in others)
            reason = _("%(reason)s, with %(names)s") % {
                "reason": r.reason,
                "names": join_names([o.name for o in others]),
            }
            r = replace(r, reason=reason, partners=tuple(o.person_id for o in others))
        together.append(r)
    return together
