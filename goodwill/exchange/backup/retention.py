"""Which scheduled backups to keep: the 7 newest, plus the newest of each of the 4 latest ISO
weeks that have a backup. Pure functions over file names, so the rule is easy to test."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

DAILY = 7
WEEKLY = 4
STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"^goodwill-(?P<db>.+)-(?P<stamp>\d{8}T\d{6}Z)\.(?P<ext>sqlite3|dump)$")


def backup_name(database: str, at: dt.datetime, extension: str) -> str:
    """The file name of a backup of ``database`` taken at ``at`` (UTC in the name)."""
    return f"goodwill-{database}-{at.astimezone(dt.UTC).strftime(STAMP)}.{extension}"


def parse_name(name: str) -> tuple[str, dt.datetime] | None:
    """``(group, taken_at)`` of a backup file name, or None for any other file; backups of
    different databases or formats are in different groups."""
    match = NAME.match(name)
    if match is None:
        return None
    try:
        at = dt.datetime.strptime(match["stamp"], STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return f"{match['db']}.{match['ext']}", at


def keep(
    dates: Iterable[dt.datetime], *, daily: int = DAILY, weekly: int = WEEKLY
) -> set[dt.datetime]:
    """The backup times to keep among ``dates``: the ``daily`` newest, and the newest of each of
    the ``weekly`` latest ISO weeks that hold a backup."""
    newest_first = sorted(set(dates), reverse=True)
    kept = set(newest_first[:daily])
    weeks: dict[tuple[int, int], dt.datetime] = {}
    for at in newest_first:
        week = at.isocalendar()[:2]
        if week not in weeks and len(weeks) < weekly:
            weeks[week] = at
    return kept | set(weeks.values())


def to_delete(names: Iterable[str], *, daily: int = DAILY, weekly: int = WEEKLY) -> list[str]:
    """The backup file names among ``names`` that retention removes (other names are never
    touched), sorted."""
    groups: dict[str, dict[dt.datetime, list[str]]] = {}
    for name in names:
        parsed = parse_name(name)
        if parsed is not None:
            group, at = parsed
            groups.setdefault(group, {}).setdefault(at, []).append(name)
    doomed: list[str] = []
    for by_date in groups.values():
        kept = keep(by_date, daily=daily, weekly=weekly)
        doomed.extend(name for at, same in by_date.items() if at not in kept for name in same)
    return sorted(doomed)
