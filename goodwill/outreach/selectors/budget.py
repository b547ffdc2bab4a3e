"""The touch budget: whether one more touch may reach a person now, and why not.

Rules, checked in this order (the first that blocks is the reason staff see):

* **short window / long window**: at most ``short_max`` counting touches in the last
  ``short_days`` and ``long_max`` in the last ``long_days`` (business policy, or the person's own
  limits where set). Counting touches are marketing ones and one-to-one touches that ask.
* **minimum gap**: nothing within ``min_gap_hours`` of the last marketing or one-to-one touch.
  Transactional messages (a booking confirmation) are shown but never start the gap, so a
  steady stream of receipts cannot block an offer forever.
* **giving before asking**: with the policy's switch on, an asking touch waits until the person
  has had a giving touch since their last asking one (looking back a year).
* **urgency**: at most one urgent subject ("last chance", "act now") per person per 90 days.

Touches whose message ended ``failed`` never count; touches without a message (a logged call)
do. :func:`budget_blocked` answers for many people at once with one grouped query over recent
touches (plus one per distinct set of personal limits), so people with no recent touch cost
nothing; :func:`budget_check` is the same code asked about one person.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from goodwill.occasions.selectors.settings import business_zone
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import PersonTouchPolicy, Touch, TouchPolicy
from goodwill.people.models import Person

DEFAULT_STAGES = ["regular"]
ASKING_LOOKBACK = dt.timedelta(days=365)
URGENT_WINDOW = dt.timedelta(days=90)
LIMIT_FIELDS = ("short_max", "short_days", "long_max", "long_days", "min_gap_hours")
# Above this many ids, one pass over every recent touch beats a huge IN list.
IN_LIST_MAX = 10_000


@dataclass(frozen=True)
class BudgetVerdict:
    """Whether the touch may go now; ``reason`` names the rule that blocked it ('' if allowed)."""

    allowed: bool
    reason: str = ""


@dataclass(frozen=True)
class Limits:
    """The limits in force for one person: the business's, overridden where the person's are set."""

    short_max: int
    short_days: int
    long_max: int
    long_days: int
    min_gap_hours: int


@dataclass(frozen=True)
class Rules:
    """Which rules one more touch is checked against: the windows (it counts), giving before
    asking (it asks and the policy says so), urgency (its subject is urgent). The gap always."""

    counts: bool
    ask: bool
    urgent: bool


@dataclass(frozen=True)
class Recent:
    """What the rules need to know about one person's recent touches."""

    short: int = 0
    long: int = 0
    last_touch: dt.datetime | None = None
    last_asking: dt.datetime | None = None
    last_giving: dt.datetime | None = None
    urgent: int = 0


def touch_policy() -> TouchPolicy:
    """The business's touch policy (the defaults, unsaved, until a manager first changes it);
    no stages chosen means regulars. One query."""
    policy = TouchPolicy.objects.filter(pk=1).first() or TouchPolicy(pk=1)
    if not policy.stay_in_touch_stages:
        policy.stay_in_touch_stages = list(DEFAULT_STAGES)
    return policy


def limits_for(policy: TouchPolicy, own: PersonTouchPolicy | None) -> Limits:
    """``policy``'s limits with each of the person's own (``own``) that is set taking over."""
    values = {}
    for name in LIMIT_FIELDS:
        mine = getattr(own, name, None) if own is not None else None
        values[name] = getattr(policy, name) if mine is None else mine
    return Limits(**values)


def person_limits(person: Person, *, policy: TouchPolicy | None = None) -> Limits:
    """The limits in force for ``person``."""
    own = PersonTouchPolicy.objects.filter(person=person).first()
    return limits_for(policy or touch_policy(), own)


def not_failed() -> Q:
    """Touches that still count: no message (a logged call) or a message that did not fail."""
    return Q(message__isnull=True) | ~Q(message__state=OutboxMessage.State.FAILED)


def _recent(
    *,
    limits: Limits,
    at: dt.datetime,
    person_ids: list[int] | None,
    ignore: list[int],
    rules: Rules,
    ignore_campaign: int | None = None,
) -> dict[int, Recent]:
    """Per person whom one of ``rules`` may block (any recent non-transactional touch): the
    counts and dates those rules use. Only as far back as those rules look, and only the people
    they may block come back (a HAVING clause): over everyone, turning every recent toucher
    into Python rows cost seconds."""
    short_since = at - dt.timedelta(days=limits.short_days)
    long_since = at - dt.timedelta(days=limits.long_days)
    gap_since = at - dt.timedelta(hours=limits.min_gap_hours)
    since = [gap_since]
    blocking = Q(last_touch__isnull=False)
    # Only the columns the rules read: each datetime costs a conversion per row.
    columns: dict[str, Any] = {"last_touch": Max("at", filter=Q(at__gt=gap_since))}
    if rules.counts:
        since += [short_since, long_since]
        blocking |= Q(short__gte=limits.short_max) | Q(long__gte=limits.long_max)
        columns["short"] = Count("id", filter=Q(counts=True, at__gt=short_since))
        columns["long"] = Count("id", filter=Q(counts=True, at__gt=long_since))
    if rules.ask:
        since.append(at - ASKING_LOOKBACK)
        blocking |= Q(last_asking__isnull=False) & (
            Q(last_giving__isnull=True) | Q(last_giving__lt=F("last_asking"))
        )
        columns["last_asking"] = Max("at", filter=Q(intent=Touch.Intent.ASKING))
        columns["last_giving"] = Max("at", filter=Q(intent=Touch.Intent.GIVING))
    if rules.urgent:
        since.append(at - URGENT_WINDOW)
        blocking |= Q(urgent__gt=0)
        columns["urgent"] = Count("id", filter=Q(urgent=True, at__gt=at - URGENT_WINDOW))
    rows = Touch.objects.filter(not_failed(), at__gt=min(since), at__lte=at).exclude(
        purpose=Touch.Purpose.TRANSACTIONAL
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    if ignore:
        rows = rows.exclude(message_id__in=ignore)
    if ignore_campaign is not None:
        rows = rows.exclude(campaign_id=ignore_campaign)
    grouped = rows.values("person_id").annotate(**columns).filter(blocking).order_by()
    return {row.pop("person_id"): Recent(**row) for row in grouped}


def verdict_reason(
    recent: Recent,
    *,
    limits: Limits,
    policy: TouchPolicy,
    intent: str,
    urgent: bool,
    counts: bool,
    at: dt.datetime,
) -> str:
    """The first rule ``recent`` breaks for one more touch, or ''."""
    if counts and recent.short >= limits.short_max:
        return _window(recent.short, limits.short_days, limits.short_max)
    if counts and recent.long >= limits.long_max:
        return _window(recent.long, limits.long_days, limits.long_max)
    if recent.last_touch is not None and recent.last_touch > at - dt.timedelta(
        hours=limits.min_gap_hours
    ):
        return _gap_text(get_language(), limits.min_gap_hours)
    if (
        intent == Touch.Intent.ASKING
        and policy.giving_before_asking
        and recent.last_asking is not None
        and (recent.last_giving is None or recent.last_giving < recent.last_asking)
    ):
        return _asking_text(get_language())
    if urgent and recent.urgent:
        return _urgent_text(get_language())
    return ""


def _window(count: int, days: int, limit: int) -> str:
    return _window_text(get_language(), count, days, limit)


# The reasons are cached per language: translating one took ~16 µs, seconds over 100,000
# people.
@lru_cache(maxsize=256)
def _window_text(language: str | None, count: int, days: int, limit: int) -> str:
    return ngettext(
        "%(count)d marketing touch in the last %(days)d days (limit %(limit)d)",
        "%(count)d marketing touches in the last %(days)d days (limit %(limit)d)",
        count,
    ) % {"count": count, "days": days, "limit": limit}


@lru_cache(maxsize=64)
def _gap_text(language: str | None, hours: int) -> str:
    return _("within %(hours)d h of the last touch") % {"hours": hours}


@lru_cache(maxsize=16)
def _asking_text(language: str | None) -> str:
    return _("asking again before a giving touch")


@lru_cache(maxsize=16)
def _urgent_text(language: str | None) -> str:
    return _("an urgent subject already this quarter")


def budget_blocked(
    *,
    person_ids: list[int] | None,
    intent: str,
    urgent: bool = False,
    at: dt.datetime | None = None,
    purpose: str = Touch.Purpose.MARKETING,
    ignore_messages: list[int] | None = None,
    ignore_campaign: int | None = None,
) -> dict[int, str]:
    """Person id → reason, for everyone among ``person_ids`` (everyone when None) whom one more
    touch of ``purpose`` and ``intent`` may not reach at ``at``. People absent are allowed.
    ``ignore_messages``: outbox ids whose own touches are left out (a worker re-checking a
    message already recorded when it was queued); ``ignore_campaign``: that campaign's touches
    are left out (a send resumed after queueing some of it)."""
    if purpose == Touch.Purpose.TRANSACTIONAL:
        return {}
    at = at or timezone.now()
    counts = purpose == Touch.Purpose.MARKETING or intent == Touch.Intent.ASKING
    policy = touch_policy()
    wanted = None if person_ids is None else set(person_ids)
    ids = person_ids if person_ids is not None and len(person_ids) <= IN_LIST_MAX else None
    own = PersonTouchPolicy.objects.all()
    if ids is not None:
        own = own.filter(person_id__in=ids)
    groups: dict[Limits, list[int]] = defaultdict(list)
    for row in own:
        groups[limits_for(policy, row)].append(row.person_id)
    business = limits_for(policy, None)
    overridden = {pid for limits, pids in groups.items() if limits != business for pid in pids}
    passes: list[tuple[Limits, list[int] | None, set[int] | None]] = [(business, ids, overridden)]
    passes += [(limits, pids, None) for limits, pids in groups.items() if limits != business]
    rules = Rules(
        counts=counts,
        ask=intent == Touch.Intent.ASKING and policy.giving_before_asking,
        urgent=urgent,
    )
    blocked: dict[int, str] = {}
    for limits, pass_ids, skip in passes:
        for pid, recent in _recent(
            limits=limits,
            at=at,
            person_ids=pass_ids,
            ignore=ignore_messages or [],
            rules=rules,
            ignore_campaign=ignore_campaign,
        ).items():
            if (skip and pid in skip) or (wanted is not None and pid not in wanted):
                continue
            reason = verdict_reason(
                recent,
                limits=limits,
                policy=policy,
                intent=intent,
                urgent=urgent,
                counts=counts,
                at=at,
            )
            if reason:
                blocked[pid] = reason
        if counts and not (limits.short_max and limits.long_max):
            _block_everyone(blocked, limits=limits, ids=pass_ids, skip=skip, wanted=wanted)
    return blocked


def _block_everyone(
    blocked: dict[int, str],
    *,
    limits: Limits,
    ids: list[int] | None,
    skip: set[int] | None,
    wanted: set[int] | None,
) -> None:
    """A limit of 0 blocks even people with no recent touch (marketing switched off)."""
    days = limits.short_days if not limits.short_max else limits.long_days
    reason = _window(0, days, 0)
    population = ids if ids is not None else Person.objects.values_list("pk", flat=True)
    for pid in population:
        keep = wanted is None or pid in wanted
        if keep and pid not in blocked and not (skip and pid in skip):
            blocked[pid] = reason


def budget_check(
    *,
    person: Person,
    intent: str,
    urgent: bool = False,
    at: dt.datetime | None = None,
    purpose: str = Touch.Purpose.MARKETING,
    ignore_messages: list[int] | None = None,
) -> BudgetVerdict:
    """Whether one more touch (marketing unless ``purpose`` says otherwise) may reach ``person``
    at ``at``, and the rule that blocks it if not."""
    reason = budget_blocked(
        person_ids=[person.pk],
        intent=intent,
        urgent=urgent,
        at=at,
        purpose=purpose,
        ignore_messages=ignore_messages,
    ).get(person.pk, "")
    return BudgetVerdict(allowed=not reason, reason=reason)


def zone_named(name: str) -> dt.tzinfo:
    """The time zone called ``name``; the business's when empty or unknown."""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return business_zone()


def quiet_until(
    *, time_zone: str, at: dt.datetime, policy: TouchPolicy | None = None
) -> dt.datetime | None:
    """When ``at`` falls in the quiet hours on the wall clock of ``time_zone`` (empty: the
    business's), the moment they end (in that zone); None when ``at`` is not quiet."""
    policy = policy or touch_policy()
    start, end = policy.quiet_start, policy.quiet_end
    if start == end:
        return None
    zone = zone_named(time_zone)
    local = at.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    day = local.date()
    if start < end:
        quiet = start <= clock < end
    else:
        quiet = clock >= start or clock < end
        if clock >= start:
            day += dt.timedelta(days=1)
    if not quiet:
        return None
    return dt.datetime.combine(day, end, tzinfo=zone)
