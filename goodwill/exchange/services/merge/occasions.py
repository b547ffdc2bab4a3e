"""The occasions of two people being merged: the one-per-person ones (their birthdays), which one
is kept, and the history of both (years, touches, purchases and offers for it) gathered onto it;
and their other dates that are the same occasion (``same_day_pairs``), kept once; then the rest
of the other's occasions move (``occasions_move``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from goodwill.exchange.importer.known_dates import date_key
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.people.models import Person

# Merge field → the occasion kind a person has at most one of (occasion_one_birthday_per_person).
UNIQUE_OCCASIONS: dict[str, str] = {"birthday": Occasion.Kind.BIRTHDAY.value}


def same_date(a: Occasion, b: Occasion) -> bool:
    """The same day of the same year; a missing year agrees with any year."""
    years_agree = a.year is None or b.year is None or a.year == b.year
    return (a.month, a.day) == (b.month, b.day) and years_agree


@dataclass(frozen=True)
class OccasionPair:
    """Both people's occasion of one kind (a merge field such as ``birthday``), either missing."""

    name: str
    mine: Occasion | None
    theirs: Occasion | None

    @property
    def both(self) -> bool:
        return self.mine is not None and self.theirs is not None

    @property
    def conflict(self) -> bool:
        """Two different dates: the manager chooses one (a year-less twin of a dated one is not)."""
        return (
            self.mine is not None
            and self.theirs is not None
            and not same_date(self.mine, self.theirs)
        )


def unique_occasion_pairs(survivor: Person, other: Person) -> list[OccasionPair]:
    """Per one-per-person kind, the survivor's and the other's occasion (one query)."""
    rows = Occasion.objects.filter(
        person_id__in=[survivor.pk, other.pk], kind__in=UNIQUE_OCCASIONS.values()
    )
    found = {(o.person_id, o.kind): o for o in rows}
    return [
        OccasionPair(name, found.get((survivor.pk, kind)), found.get((other.pk, kind)))
        for name, kind in UNIQUE_OCCASIONS.items()
    ]


def _fold_years(kept: Occasion, dropped: Occasion) -> None:
    """A year ``kept`` has gets the other's touches, done mark (if it has none) and note; a
    year it lacks moves whole."""
    years = {y.year: y for y in kept.years.all()}
    for record in dropped.years.all():
        same = years.get(record.year)
        if same is None:
            OccasionYear.objects.filter(pk=record.pk).update(occasion=kept)
            continue
        OccasionTouch.objects.filter(record=record).update(record=same)
        update: dict[str, object] = {}
        if same.done_at is None and record.done_at is not None:
            update.update(done_at=record.done_at, done_by_id=record.done_by_id)
        if record.note and record.note != same.note:
            update["note"] = "\n\n".join(t for t in (same.note, record.note) if t)
        if update:
            OccasionYear.objects.filter(pk=same.pk).update(**update)


def _links() -> list[tuple[type[models.Model], str]]:
    """Every other row that points at an occasion (purchases for it, campaign offers…)."""
    # Hidden ones too: a campaign's offer links its occasion without a reverse name.
    return [
        (rel.related_model, rel.field.name)
        for rel in Occasion._meta.get_fields(include_hidden=True)
        if isinstance(rel, models.ManyToOneRel)
        and isinstance(rel.related_model, type)
        and rel.related_model is not OccasionYear
    ]


def occasion_fold(kept: Occasion, dropped: Occasion) -> None:
    """Everything that points at ``dropped`` moves to ``kept``, then ``dropped`` is deleted.

    ``kept`` keeps its own date, note and lead time; what it lacks comes from ``dropped``: the
    note and lead time always, the birth year only on the same day."""
    _fold_years(kept, dropped)
    for model, field in _links():
        model._default_manager.filter(**{field: dropped}).update(**{field: kept})
    names = ["note", "lead_days", *(["year"] if same_date(kept, dropped) else [])]
    filled = {
        name: getattr(dropped, name)
        for name in names
        if getattr(kept, name) in (None, "") and getattr(dropped, name) not in (None, "")
    }
    dropped.delete()
    if filled:
        Occasion.objects.filter(pk=kept.pk).update(**filled)
        for name, value in filled.items():
            setattr(kept, name, value)


def _key(occasion: Occasion) -> tuple[str, str, int, int]:
    return date_key(occasion.kind, occasion.label, occasion.month, occasion.day)


def same_day_pairs(survivor: Person, other: Person) -> list[tuple[Occasion, Occasion]]:
    """(the survivor's, the other's) for each anniversary or custom date of the other's that is
    one of the survivor's, as an import compares them: the same kind and label (trimmed,
    case-insensitive) on the same day, their years agreeing unless one has none. A couple's or
    household's dates are not a person's own and are left out."""
    rows = Occasion.objects.filter(person_id__in=[survivor.pk, other.pk]).exclude(
        kind__in=UNIQUE_OCCASIONS.values()
    )
    mine: dict[tuple[str, str, int, int], list[Occasion]] = {}
    theirs: list[Occasion] = []
    for occasion in rows.order_by("pk"):
        if occasion.person_id == survivor.pk:
            mine.setdefault(_key(occasion), []).append(occasion)
        else:
            theirs.append(occasion)
    # A year-less date folded with a dated one takes its year: a second date of another year
    # is then a different occasion ("Reopening" 2020 and 2021).
    years = {o.pk: o.year for found in mine.values() for o in found}
    pairs = []
    for occasion in theirs:
        agree = (
            kept
            for kept in mine.get(_key(occasion), [])
            if years[kept.pk] is None or occasion.year in (None, years[kept.pk])
        )
        kept = next(agree, None)
        if kept is not None:
            years[kept.pk] = years[kept.pk] or occasion.year
            pairs.append((kept, occasion))
    return pairs


def same_day_fold(survivor: Person, other: Person) -> list[dict[str, Any]]:
    """Fold each of the other's dates that is one of the survivor's into the survivor's (its
    years, touches, purchases and offers; a year or lead time it lacks; both notes, the
    survivor's first). Returns what was folded, for the merge's audit entry."""
    folded = []
    for kept, dropped in same_day_pairs(survivor, other):
        notes = "\n\n".join(n for n in dict.fromkeys((kept.note, dropped.note)) if n)
        entry = {"occasion": kept.title, "date": dropped.date_label, "note": dropped.note}
        occasion_fold(kept, dropped)
        if notes != kept.note:
            Occasion.objects.filter(pk=kept.pk).update(note=notes)
            kept.note = notes
        folded.append({**entry, "into": kept.date_label})
    return folded


def occasions_move(
    survivor: Person, other: Person, chosen: dict[str, str]
) -> tuple[int, dict[str, list[Any]]]:
    """Move the other's occasions; where both have a birthday, the chosen one is kept with the
    history of both (it replaces the survivor's, so it is not counted as moved); a date of theirs
    that is one of the survivor's (same kind, label and day) is folded into it. Returns the
    count and the audit changes: which birthday was kept, the one merged away, and the dates
    folded ("merged_occasions")."""
    replaced = 0
    changes: dict[str, list[Any]] = {}
    for pair in unique_occasion_pairs(survivor, other):
        mine, theirs = pair.mine, pair.theirs
        if theirs is None:
            continue
        if mine is None:
            changes[pair.name] = [None, theirs.date_label]
            continue
        kept, dropped = (theirs, mine) if chosen[pair.name] == "other" else (mine, theirs)
        before, merged, note = mine.date_label, theirs.date_label, dropped.note
        occasion_fold(kept, dropped)
        replaced += kept is theirs
        changes[pair.name] = [before, kept.date_label]
        changes[f"merged_{pair.name}"] = [merged, None]
        if note and note != kept.note:
            changes[f"merged_{pair.name}_note"] = [note, None]
    if folded := same_day_fold(survivor, other):
        changes["merged_occasions"] = [folded, None]
    moved = Occasion.objects.filter(person=other).update(person=survivor)
    return moved - replaced, changes
