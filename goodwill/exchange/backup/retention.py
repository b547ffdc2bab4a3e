"""Which scheduled backups to keep, as ``borg prune --keep-daily 7 --keep-weekly 4`` does: the
last backup of each of the 7 latest days that have one, then the last backup of each of the 4
latest ISO weeks whose last backup the daily rule did not keep already (a backup kept by one rule
never counts towards the next), so daily backups reach about five weeks back. Days and weeks are
UTC, as the names are. Backups taken in the same second are told apart by a ``-2``, ``-3``, …
after the time; the last of them is the one a day or week keeps. Pure functions over file names,
so the rule is easy to test."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable

DAILY = 7
WEEKLY = 4
STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(
    r"^goodwill-(?P<db>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<seq>[2-9]|[1-9]\d{1,5}))?"
    r"\.(?P<ext>sqlite3|dump)$"
)


def backup_name(database: str, at: dt.datetime, extension: str, seq: int = 1) -> str:
    """The file name of a backup of ``database`` taken at ``at`` (UTC in the name); the
    ``seq``-th backup taken in that second gets ``-seq`` after the time (the first, none)."""
    suffix = f"-{seq}" if seq > 1 else ""
    return f"goodwill-{database}-{at.astimezone(dt.UTC).strftime(STAMP)}{suffix}.{extension}"


def _parse(name: str) -> tuple[str, dt.datetime, int] | None:
    match = NAME.match(name)
    if match is None:
        return None
    try:
        at = dt.datetime.strptime(match["stamp"], STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return f"{match['db']}.{match['ext']}", at, int(match["seq"] or 1)


def parse_name(name: str) -> tuple[str, dt.datetime] | None:
    """``(group, taken_at)`` of a backup file name, or None for any other file; backups of
    different databases or formats are in different groups."""
    parsed = _parse(name)
    return None if parsed is None else parsed[:2]


def sequence(name: str) -> int:
    """Which of the backups taken in the same second ``name`` is: 1, 2, … (1 for other files)."""
    parsed = _parse(name)
    return 1 if parsed is None else parsed[2]


def _last_per_period(
    newest_first: list[dt.datetime],
    period: Callable[[dt.datetime], Hashable],
    count: int,
    kept: set[dt.datetime],
) -> set[dt.datetime]:
    """The last backup of each of the ``count`` latest periods whose last backup is not in
    ``kept``: a period that an earlier rule covers is skipped, not counted (borg's rule)."""
    picked: set[dt.datetime] = set()
    seen: set[Hashable] = set()
    for at in newest_first:
        if len(picked) >= count:
            break
        when = period(at)
        if when not in seen:  # the period's last backup (the newest come first)
            seen.add(when)
            if at not in kept:
                picked.add(at)
    return picked


def _iso_week(at: dt.datetime) -> tuple[int, int]:
    """``(ISO year, ISO week)``: the week a backup falls in, Monday to Sunday."""
    return at.isocalendar()[:2]


def keep(
    dates: Iterable[dt.datetime], *, daily: int = DAILY, weekly: int = WEEKLY
) -> set[dt.datetime]:
    """The backup times to keep among ``dates``: the last of each of the ``daily`` latest days
    that have one, then the last of each of the ``weekly`` latest ISO weeks not covered by
    those."""
    newest_first = sorted(set(dates), reverse=True)
    days = _last_per_period(newest_first, dt.datetime.date, daily, set())
    return days | _last_per_period(newest_first, _iso_week, weekly, days)


def to_delete(names: Iterable[str], *, daily: int = DAILY, weekly: int = WEEKLY) -> list[str]:
    """The backup file names among ``names`` that retention removes (other names are never
    touched), sorted. Of the backups taken in the same second, only the last can be kept."""
    groups: dict[str, dict[dt.datetime, list[str]]] = {}
    for name in names:
        parsed = parse_name(name)
        if parsed is not None:
            group, at = parsed
            groups.setdefault(group, {}).setdefault(at, []).append(name)
    doomed: list[str] = []
    for by_date in groups.values():
        kept = keep(by_date, daily=daily, weekly=weekly)
        for at, same in by_date.items():
            last = max(same, key=sequence)
            doomed.extend(name for name in same if at not in kept or name != last)
    return sorted(doomed)
