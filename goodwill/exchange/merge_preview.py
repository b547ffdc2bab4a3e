"""What a merge of two people would do: the fields that differ, what moves, and the own
contact limits each has and the survivor keeps (read only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.permissions import require_role
from goodwill.exchange.services.merge import PERSON_FIELDS, LoginPlan, merge_login_plan
from goodwill.exchange.services.merge.occasions import (
    OccasionPair,
    same_day_pairs,
    unique_occasion_pairs,
)
from goodwill.exchange.services.merge.ties import WEDDING, duplicate_ties, ties_of, wedding_pairs
from goodwill.exchange.services.merge.touch import (
    Own,
    TouchLimitsPreview,
    touch_limits_preview,
)
from goodwill.occasions.models import Occasion
from goodwill.outreach.models_touch import LIMIT_LABELS
from goodwill.outreach.selectors.budget import LIMIT_FIELDS
from goodwill.people.models import Person
from goodwill.timeline.models import Interaction


@dataclass
class FieldChoice:
    """One field of the side-by-side screen; ``conflict`` when both sides have differing values
    (``agree``: they differ in form only, as a birthday with and without its year)."""

    name: str
    label: str
    survivor: str
    other: str
    agree: bool = False

    @property
    def conflict(self) -> bool:
        return bool(self.survivor and self.other and self.survivor != self.other) and not self.agree

    @property
    def completes(self) -> bool:
        """Both given and agreeing in different forms: the fuller one (with its year) is kept."""
        return bool(self.survivor and self.other and self.survivor != self.other and self.agree)


@dataclass(frozen=True)
class LimitSide:
    """One person's value of one contact limit in force; ``own`` when they set it themselves
    (else it is the business's)."""

    value: int
    own: bool


@dataclass(frozen=True)
class LimitRow:
    """One contact limit on the side-by-side screen: each person's, and the survivor's after."""

    name: str
    label: str
    survivor: LimitSide
    other: LimitSide
    kept: LimitSide

    @property
    def sides(self) -> tuple[LimitSide, LimitSide, LimitSide]:
        return self.survivor, self.other, self.kept


def _side(limits: TouchLimitsPreview, own: Own | None, name: str) -> LimitSide:
    mine = own[name] if own else None
    return LimitSide(getattr(limits.business, name) if mine is None else mine, mine is not None)


@dataclass
class MergePreview:
    """Both people's fields, how many facts of ``other`` the merge would move, and their own
    contact limits (``touch_limits``: each one's, and what the survivor keeps), and what happens
    to their logins (``login``)."""

    survivor: Person
    other: Person
    touch_limits: TouchLimitsPreview
    login: LoginPlan
    fields: list[FieldChoice] = field(default_factory=list)
    moves: dict[str, int] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[FieldChoice]:
        return [f for f in self.fields if f.conflict]

    @property
    def has_own_limits(self) -> bool:
        return self.touch_limits.survivor is not None or self.touch_limits.other is not None

    @property
    def limit_rows(self) -> list[LimitRow]:
        t = self.touch_limits
        return [
            LimitRow(
                name,
                str(LIMIT_LABELS[name]),
                _side(t, t.survivor, name),
                _side(t, t.other, name),
                _side(t, t.kept, name),
            )
            for name in LIMIT_FIELDS
        ]


LABELS = {f.name: f.verbose_name for f in Person._meta.fields} | {
    "birthday": _("birthday"),
    WEDDING: _("wedding anniversary"),
}


def _shown(person: Person, name: str) -> str:
    """A person's field as the pages show it: a choice by its label ("Told us"), not its key."""
    fld = Person._meta.get_field(name)
    if isinstance(fld, models.Field) and fld.choices:
        return capfirst(str(getattr(person, f"get_{name}_display")()))
    return str(getattr(person, name))


def _occasion_choice(pair: OccasionPair) -> FieldChoice:
    """A birthday or wedding row: its date (``--MM-DD`` without a year) on each side."""
    mine = pair.mine.date_label if pair.mine else ""
    theirs = pair.theirs.date_label if pair.theirs else ""
    return FieldChoice(pair.name, str(LABELS[pair.name]), mine, theirs, agree=not pair.conflict)


def merge_preview(*, user: User | None, survivor: Person, other: Person) -> MergePreview:
    """Side-by-side fields, counts of what would move from ``other``, both people's own
    contact limits with those the survivor keeps, and their logins (managers)."""
    require_role(user, User.Role.MANAGER)
    fields = [
        FieldChoice(
            name=name,
            label=str(LABELS[name]),
            survivor=_shown(survivor, name),
            other=_shown(other, name),
        )
        for name in PERSON_FIELDS
    ]
    pairs = unique_occasion_pairs(survivor, other)
    fields += [_occasion_choice(pair) for pair in pairs]
    # A tie both have with the same person is kept once; the choice applies to each such tie.
    twins = duplicate_ties(survivor, other)
    weddings = wedding_pairs(twins)
    shown = next((p for p in weddings if p.conflict), weddings[0] if weddings else None)
    fields += [_occasion_choice(shown)] if shown else []
    ties = ties_of(other).exclude(pk__in=[theirs.pk for _mine, theirs in twins])
    moves = {
        "emails": other.emails.count(),
        "phones": other.phones.count(),
        "roles": other.roles.count(),
        "memberships": other.memberships.count(),
        "interests": other.interests.count(),
        "tags": other.tag_links.count(),
        "relationships": ties.exclude(from_person=survivor).exclude(to_person=survivor).count(),
        # A birthday both have becomes one (the chosen one): it replaces, it does not add; nor
        # does a date of theirs that is one of the survivor's (folded into it).
        "occasions": Occasion.objects.filter(person=other).count()
        - sum(p.both for p in pairs)
        - len(same_day_pairs(survivor, other)),
        "interactions": Interaction.objects.filter(person=other).count(),
        "audit_entries": AuditEntry.objects.filter(person_id=other.pk).count(),
    }
    limits = touch_limits_preview(survivor, other)
    login = merge_login_plan(user, survivor, other)
    return MergePreview(survivor, other, limits, login, fields=fields, moves=moves)
