"""When an imported anniversary or custom date is one a person (or an earlier row) already has.

Two dates are the same occasion when their kind, their label (trimmed, case-insensitive) and
their month and day agree, and their years too unless one of them has none: "First stay" on
--09-14 and 2019-09-14 are one occasion; "Reopening" in 2020 and in 2021 are two; "First stay"
and "Name day" on the same day are two. An anniversary without a label is the one labelled
"Anniversary" (what the person's page shows for both). And a file's anniversary is also the same
as a custom date of that label and day, because a CSV has no kinds (goodwill's CSV writes custom
dates as labelled events): importing that CSV again adds nothing.
"""

from __future__ import annotations

from goodwill.occasions.models import Occasion

Key = tuple[str, str, int, int]  # kind, label key, month, day


def date_key(kind: str, label: str, month: int, day: int) -> Key:
    """A date as imports and merges compare them: kind, label (case and end spaces aside; an
    unlabelled anniversary is "Anniversary"), month and day."""
    folded = label.strip().casefold()
    if not folded and kind == Occasion.Kind.ANNIVERSARY:
        folded = "anniversary"
    return str(kind), folded, month, day  # a plain str: Occasion.Kind's members are str too


class KnownDates:
    """The anniversaries and custom dates of one person, by kind, label and day."""

    def __init__(self) -> None:
        self._years: dict[Key, set[int | None]] = {}

    def add(self, kind: str, label: str, month: int, day: int, year: int | None) -> None:
        self._years.setdefault(date_key(kind, label, month, day), set()).add(year)

    def has(self, kind: str, label: str, month: int, day: int, year: int | None) -> bool:
        """Whether the date is the same occasion as one already known."""
        kinds = [kind]
        if kind == Occasion.Kind.ANNIVERSARY:
            kinds.append(Occasion.Kind.CUSTOM)
        for known in kinds:
            years = self._years.get(date_key(known, label, month, day))
            if years and (year is None or year in years or None in years):
                return True
        return False

    def copy(self) -> KnownDates:
        other = KnownDates()
        other._years = {key: set(years) for key, years in self._years.items()}
        return other

    def entries(self) -> list[tuple[Key, list[int | None]]]:
        """The dates as plain values (for a dry run's memory); ``from_entries`` reads them."""
        return [(key, list(years)) for key, years in self._years.items()]

    @classmethod
    def from_entries(cls, entries: list[tuple[Key, list[int | None]]]) -> KnownDates:
        known = cls()
        known._years = {key: set(years) for key, years in entries}
        return known
