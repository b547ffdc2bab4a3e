"""Retention of the daily backups: the last of each of the 7 latest days that have one, plus the
last of each of the 4 latest ISO weeks the days do not cover; other files are never touched."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goodwill.exchange.backup.retention import backup_name, keep, parse_name, to_delete

UTC = dt.UTC


def _at(day: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, 3, 0, 5, tzinfo=UTC)


def _names(*days: int) -> list[str]:
    return [backup_name("goodwill", _at(d), "sqlite3") for d in days]


def test_it_names_a_backup_by_database_and_utc_time() -> None:
    at = dt.datetime(2026, 11, 23, 4, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert backup_name("gw_e2", at, "dump") == "goodwill-gw_e2-20261123T030005Z.dump"
    assert parse_name("goodwill-gw_e2-20261123T030005Z.dump") == (
        "gw_e2.dump",
        dt.datetime(2026, 11, 23, 3, 0, 5, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    "name",
    [
        "notes.txt",
        "goodwill-goodwill-20261123T030005Z.sqlite3.partial",
        ".goodwill-goodwill-20261123T030005Z.sqlite3.12.partial",
        "goodwill-goodwill-20261399T030005Z.sqlite3",
        "goodwill-goodwill-20261123.sqlite3",
        "goodwill--20261123T030005Z.zip",
    ],
)
def test_other_files_are_not_backups(name: str) -> None:
    assert parse_name(name) is None
    assert to_delete([name, *_names(*range(1, 21))]).count(name) == 0


def test_seven_or_fewer_backups_are_all_kept() -> None:
    assert to_delete(_names(1, 2, 3, 4, 5, 6, 7)) == []
    assert to_delete([]) == []


# November 2026: Mon 2, 9, 16, 23 start ISO weeks 45, 46, 47, 48; Oct 26 starts week 44.
@pytest.mark.parametrize(
    ("days", "deleted"),
    [
        # 21 daily backups, Nov 2–22: keep the 7 latest days (16–22) and the last of weeks 46
        # (Nov 15) and 45 (Nov 8); week 47's last is kept by the daily rule, so it is skipped.
        (range(2, 23), [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14]),
        # One backup a week: every one of the 7 newest stays.
        ([1, 8, 15, 22], []),
        # Gaps: only days and weeks that have a backup count, however old; week 47's last
        # backup (Nov 22) is a daily one, so its Nov 20 goes.
        ([20, 21, 22, 23, 24, 25, 26, 27, 9, 10], [9, 20]),
    ],
)
def test_it_keeps_seven_daily_and_four_weekly(days: list[int], deleted: list[int]) -> None:
    assert to_delete(_names(*days)) == sorted(_names(*deleted))


def test_each_database_keeps_its_own_backups() -> None:
    sqlite_names = _names(*range(1, 11))
    pg_names = [backup_name("gw", _at(d), "dump") for d in range(1, 11)]
    assert len(to_delete(sqlite_names + pg_names)) == 2 * len(to_delete(sqlite_names))


@given(
    st.lists(
        st.datetimes(
            min_value=dt.datetime(2000, 1, 1),
            max_value=dt.datetime(2100, 1, 1),
            timezones=st.just(UTC),
        ),
        max_size=60,
    )
)
def test_retention_keeps_the_last_of_seven_days_and_one_per_latest_week(
    dates: list[dt.datetime],
) -> None:
    kept = keep(dates)
    days = sorted({d.date() for d in dates}, reverse=True)[:7]
    for day in days:
        assert max(d for d in dates if d.date() == day) in kept
    weeks = sorted({d.isocalendar()[:2] for d in dates}, reverse=True)[:4]
    for week in weeks:
        assert max(d for d in dates if d.isocalendar()[:2] == week) in kept
    assert len(kept) <= 11
    assert kept <= set(dates)
    assert keep(kept) == kept  # applying retention again deletes nothing more
