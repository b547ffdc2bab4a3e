"""Retention counts weeks as borg prune does: a week whose last backup the daily rule keeps
already is skipped, not counted, so 7 daily and 4 weekly backups reach about five weeks back."""

from __future__ import annotations

import datetime as dt

from goodwill.exchange.backup.retention import backup_name, keep, parse_name, to_delete


def _at(day: dt.date, hour: int = 3) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, 5, tzinfo=dt.UTC)


def _nightly(first: dt.date, last: dt.date) -> list[str]:
    """A backup a night from ``first`` to ``last``, named as the daily job names them."""
    days = range((last - first).days + 1)
    return [backup_name("goodwill", _at(first + dt.timedelta(days=n)), "sqlite3") for n in days]


def _kept(names: list[str]) -> list[str]:
    """The days of the backups retention keeps, oldest first."""
    doomed = set(to_delete(names))
    taken = [parse_name(name) for name in names if name not in doomed]
    return [at.date().isoformat() for _group, at in filter(None, taken)]


def test_sixty_nightly_backups_keep_seven_days_and_four_older_weeks() -> None:
    # Sep 27 to Wed Nov 25 2026. Nov 23–29 is ISO week 48, Nov 16–22 week 47: both end in a
    # day the daily rule keeps (Nov 25, Nov 22), so the weeks kept are 46, 45, 44 and 43.
    names = _nightly(dt.date(2026, 9, 27), dt.date(2026, 11, 25))
    assert len(names) == 60

    assert _kept(names) == [
        "2026-10-25",  # Sunday of week 43: 31 days before the newest
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
        "2026-11-19",
        "2026-11-20",
        "2026-11-21",
        "2026-11-22",
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
    ]


def test_days_and_weeks_without_a_backup_do_not_count() -> None:
    # Nightly to Sun Nov 1, none for two weeks (weeks 45 and 46), nightly again Mon Nov 16 to
    # Thu Nov 19: the 7 latest days reach back over the gap to Oct 30; weeks 47 and 44 end in
    # one of those days, so the weeks kept are 43, 42, 41 and 40.
    names = _nightly(dt.date(2026, 9, 28), dt.date(2026, 11, 1))
    names += _nightly(dt.date(2026, 11, 16), dt.date(2026, 11, 19))

    assert _kept(names) == [
        "2026-10-04",
        "2026-10-11",
        "2026-10-18",
        "2026-10-25",
        "2026-10-30",
        "2026-10-31",
        "2026-11-01",
        "2026-11-16",
        "2026-11-17",
        "2026-11-18",
        "2026-11-19",
    ]


def test_a_day_keeps_only_its_last_backup() -> None:
    monday = dt.date(2026, 11, 23)
    early, late = _at(monday, hour=1), _at(monday, hour=23)
    before = [_at(monday - dt.timedelta(days=n)) for n in range(1, 7)]

    assert keep([early, late, *before]) == {late, *before}


def test_retention_applied_again_keeps_the_same_backups() -> None:
    names = _nightly(dt.date(2026, 9, 27), dt.date(2026, 11, 25))
    kept = [name for name in names if name not in set(to_delete(names))]

    assert to_delete(kept) == []
