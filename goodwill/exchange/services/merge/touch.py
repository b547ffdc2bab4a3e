"""A merge's part in the two people's own contact limits (their touch policy: how many
marketing touches per window at most, and how far apart): what the survivor keeps, computed
once (``touch_limits_kept``) for the merge screen, the API's preview and the merge itself, so
that the merge keeps what the preview showed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goodwill.accounts.models import User
from goodwill.outreach.models_touch import PersonTouchPolicy
from goodwill.outreach.selectors.budget import LIMIT_FIELDS, Limits, limits_for, touch_policy
from goodwill.people.models import Person

# At most so many touches per window (fewer is stricter); the windows and the gap after a
# touch (longer is stricter).
FEWER_IS_STRICTER = {"short_max", "long_max"}
TOUCH_FIELDS = [*LIMIT_FIELDS, "note"]
NOTE_MAX = PersonTouchPolicy._meta.get_field("note").max_length or 200

Own = dict[str, Any]  # a person's own limits: each limit they set (or None), and the note


def own_limits(policy: PersonTouchPolicy | None) -> Own | None:
    """A person's own limits as stored (None: they follow the business's)."""
    if policy is None:
        return None
    return {name: getattr(policy, name) for name in TOUCH_FIELDS}


def _stricter(name: str, mine: int | None, theirs: int | None, business: int) -> int | None:
    """The stricter of two people's values of one limit in force, where either set one (the
    business's stands for one who did not: a 30-day window one of them set never shortens the
    other's 90 days); None when neither did (the business's applies). Fewer touches per window,
    a longer window and a longer gap are each stricter."""
    if mine is None and theirs is None:
        return None
    values = [business if v is None else v for v in (mine, theirs)]
    return min(values) if name in FEWER_IS_STRICTER else max(values)


def touch_limits_kept(mine: Own | None, theirs: Own | None, business: Limits) -> Own | None:
    """The own limits the survivor keeps: theirs when only the other has some, the survivor's
    when only they have some, else the stricter of each limit (``_stricter``) and both notes
    (the survivor's first, cut to what a note holds)."""
    if mine is None or theirs is None:
        one = theirs if mine is None else mine
        return None if one is None else dict(one)
    kept: Own = {
        name: _stricter(name, mine[name], theirs[name], getattr(business, name))
        for name in LIMIT_FIELDS
    }
    notes = [mine["note"]] + ([theirs["note"]] if theirs["note"] != mine["note"] else [])
    kept["note"] = "; ".join(n for n in notes if n)[:NOTE_MAX]
    return kept


@dataclass(frozen=True)
class TouchLimitsPreview:
    """Both people's own limits, and those the survivor keeps (None: the business's), with the
    limits then in force for each (``limits_for``)."""

    survivor: Own | None
    other: Own | None
    kept: Own | None
    business: Limits

    def in_force(self, own: Own | None) -> Limits:
        values = {
            name: getattr(self.business, name) if not own or own[name] is None else own[name]
            for name in LIMIT_FIELDS
        }
        return Limits(**values)


def touch_limits_preview(survivor: Person, other: Person) -> TouchLimitsPreview:
    """What each of the two has and what the survivor keeps (two queries and the policy's)."""
    policies = {
        p.person_id: p for p in PersonTouchPolicy.objects.filter(person__in=[survivor, other])
    }
    mine, theirs = own_limits(policies.get(survivor.pk)), own_limits(policies.get(other.pk))
    business = limits_for(touch_policy(), None)
    return TouchLimitsPreview(mine, theirs, touch_limits_kept(mine, theirs, business), business)


def audited(own: Own | None) -> dict[str, Any] | None:
    """Own limits as the audit shows them: only those set, and the note."""
    if own is None:
        return None
    return {name: value for name, value in own.items() if value not in (None, "")}


def touch_policy_move(
    actor: User | None, survivor: Person, other: Person
) -> tuple[int, dict[str, list[Any]]]:
    """The other's own contact limits are kept (``touch_limits_kept``): moved to the survivor
    when the survivor has none, else saved on the survivor's combined with theirs, and theirs
    deleted. Returns 1 when the other had limits, else 0, and the audit changes: the
    survivor's limits before and after ("touch_policy") and, when combined, the other's
    ("merged_…")."""
    theirs = PersonTouchPolicy.objects.filter(person=other).first()
    if theirs is None:
        return 0, {}
    kept = PersonTouchPolicy.objects.filter(person=survivor).first()
    mine = own_limits(kept)
    after = touch_limits_kept(mine, own_limits(theirs), limits_for(touch_policy(), None))
    changes: dict[str, list[Any]] = {}
    if kept is None:
        PersonTouchPolicy.objects.filter(pk=theirs.pk).update(person=survivor)
    else:
        for name, value in (after or {}).items():
            setattr(kept, name, value)
        kept.updated_by = actor
        kept.save()
        theirs.delete()
        changes["merged_touch_policy"] = [audited(own_limits(theirs)), None]
    if audited(mine) != audited(after):
        changes["touch_policy"] = [audited(mine), audited(after)]
    return 1, changes
