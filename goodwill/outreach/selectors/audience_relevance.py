"""Why an offer is relevant to someone: an interest they told us they like, one of the offer's
occasions coming up (for them, their couple or their household), or a purchase of one of the
offer's categories. Someone who dislikes one of the offer's interests is never relevant.

Read set-wise: one query per source (and one per 5,000 couples or households), never per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from goodwill.commerce.models import Purchase
from goodwill.occasions.dates import md_ranges, next_occurrence
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.settings import business_today, occasion_settings
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.selectors.audience_consent import chunks
from goodwill.people.models import Person, PersonInterest, Relationship
from goodwill.people.normalize import fold

SOON_DAYS = 60
LONGEST_DAYS = 366


@dataclass(frozen=True, slots=True)
class Relevance:
    """The reason shown for one person, and the occasion it is for (if one matched)."""

    reason: str
    occasion_id: int | None = None


def _lower_first(name: str) -> str:
    # "Storm chasing" reads "Likes storm chasing"; "BBQ" stays "BBQ".
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _interests(offer: Offer) -> tuple[dict[int, str], set[int]]:
    """Who likes one of the offer's interests (person id → reason), and who dislikes one."""
    names = dict(offer.interests.values_list("pk", "name"))
    if not names:
        return {}, set()
    liked: dict[int, str] = {}
    disliked: set[int] = set()
    likes = _("Likes %(interest)s")
    reasons = {pk: likes % {"interest": _lower_first(name)} for pk, name in names.items()}
    rows = (
        PersonInterest.objects.filter(interest_id__in=list(names))
        .order_by("interest_id", "person_id")
        .values_list("person_id", "interest_id", "attitude")
    )
    for person_id, interest_id, attitude in rows:
        if attitude == PersonInterest.Attitude.DISLIKES:
            disliked.add(person_id)
        elif person_id not in liked:
            liked[person_id] = reasons[interest_id]
    return liked, disliked


def _window(offer: Offer, today: dt.date) -> dt.date:
    """The last day an occasion may fall on: 60 days ahead, or the offer's last day if later."""
    end = today + dt.timedelta(days=SOON_DAYS)
    if offer.valid_until is not None and offer.valid_until > end:
        end = min(offer.valid_until, today + dt.timedelta(days=LONGEST_DAYS))
    return end


def _title(kind: str, label: str) -> str:
    if kind == Occasion.Kind.CUSTOM or (kind == Occasion.Kind.ANNIVERSARY and label):
        return label or str(Occasion.Kind(kind).label)
    return str(Occasion.Kind(kind).label).capitalize()


def _owners(rows: Sequence[tuple[int, int | None, int | None, int | None]]) -> dict[int, list[int]]:
    """Occasion id → the people it is for: the person, both of a couple, a household's members."""
    owners: dict[int, list[int]] = {}
    couples: dict[int, list[int]] = {}
    households: dict[int, list[int]] = {}
    for pk, person_id, relationship_id, household_id in rows:
        if person_id is not None:
            owners[pk] = [person_id]
        elif relationship_id is not None:
            couples.setdefault(relationship_id, []).append(pk)
        elif household_id is not None:
            households.setdefault(household_id, []).append(pk)
    for chunk in chunks(sorted(couples)):
        for rel_id, a, b in Relationship.objects.filter(pk__in=chunk).values_list(
            "pk", "from_person_id", "to_person_id"
        ):
            for pk in couples[rel_id]:
                owners[pk] = [a, b]
    for chunk in chunks(sorted(households)):
        rows_ = Person.objects.filter(household_id__in=chunk, archived_at=None).order_by("pk")
        for household_id, person_id in rows_.values_list("household_id", "pk"):
            for pk in households[household_id]:
                owners.setdefault(pk, []).append(person_id)
    return owners


def _occasions(offer: Offer, today: dt.date) -> dict[int, tuple[str, int]]:
    """Person id → (reason, occasion id) for the soonest of the offer's occasions."""
    kinds = [k for k in offer.occasion_kinds if k in Occasion.Kind.values]
    if not kinds:
        return {}
    end = _window(offer, today)
    span = Q()
    for lo, hi in md_ranges(today, (end - today).days):
        span |= Q(md__gte=lo, md__lte=hi)
    rule = occasion_settings().feb29_rule
    found: list[tuple[dt.date, int, str]] = []
    rows: list[tuple[int, int | None, int | None, int | None]] = []
    titles: dict[tuple[str, str], str] = {}
    for pk, kind, label, month, day, person_id, rel_id, household_id in (
        Occasion.objects.filter(span, kind__in=kinds)
        .order_by("md", "pk")
        .values_list(
            "pk", "kind", "label", "month", "day", "person_id", "relationship_id", "household_id"
        )
    ):
        on = next_occurrence(month, day, today, rule)
        if on <= end:
            title = titles.get((kind, label))
            if title is None:
                title = titles[(kind, label)] = _title(kind, label)
            found.append((on, pk, title))
            rows.append((pk, person_id, rel_id, household_id))
    owners = _owners(rows)
    chosen: dict[int, tuple[str, int]] = {}
    sentence = _("%(occasion)s on %(day)s")
    reasons: dict[tuple[str, dt.date], str] = {}
    for on, pk, title in sorted(found):
        reason = reasons.get((title, on))
        if reason is None:
            reason = sentence % {"occasion": title, "day": date_format(on, "j M")}
            reasons[(title, on)] = reason
        for person_id in owners.get(pk, ()):
            chosen.setdefault(person_id, (reason, pk))
    return chosen


def _purchases(offer: Offer, at: dt.datetime) -> dict[int, str]:
    """Person id → reason for the latest purchase or stay of one of the offer's categories."""
    wanted = {fold(c) for c in offer.categories if fold(c)}
    if not wanted:
        return {}
    stored = Purchase.objects.exclude(category="").values_list("category", flat=True).distinct()
    matching = [c for c in stored.order_by() if fold(c) in wanted]
    if not matching:
        return {}
    latest: dict[int, str] = {}
    sentence = _("Bought %(what)s on %(day)s")
    days: dict[dt.date, str] = {}
    rows = (
        Purchase.objects.filter(
            category__in=matching,
            kind__in=[Purchase.Kind.PURCHASE, Purchase.Kind.STAY],
            occurred_at__lte=at,
        )
        .order_by("person_id", "-occurred_at", "-pk")
        .values_list("person_id", "description", "category", "occurred_at")
    )
    for person_id, description, category, occurred_at in rows:
        if person_id not in latest:
            day = timezone.localtime(occurred_at).date()
            if day not in days:
                days[day] = date_format(day, "j M Y")
            latest[person_id] = sentence % {"what": description or category, "day": days[day]}
    return latest


def relevance(
    *, offer: Offer, at: dt.datetime, person_ids: list[int] | None = None
) -> dict[int, Relevance]:
    """Person id → why ``offer`` is relevant to them at ``at`` (the first of: an interest, an
    occasion, a purchase); people who dislike one of its interests are left out."""
    today = business_today(at)
    liked, disliked = _interests(offer)
    occasions = _occasions(offer, today)
    bought = _purchases(offer, at)
    wanted = set(person_ids) if person_ids is not None else None
    found: dict[int, Relevance] = {}
    for person_id in set(liked) | set(occasions) | set(bought):
        if person_id in disliked or (wanted is not None and person_id not in wanted):
            continue
        occasion = occasions.get(person_id)
        reason = liked.get(person_id) or (occasion[0] if occasion else bought[person_id])
        found[person_id] = Relevance(reason, occasion[1] if occasion else None)
    return found
