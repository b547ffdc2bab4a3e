"""Dates written day first are read so when the file shows it (a day above 12 first, no month
above 12 second), with a warning that says so; one that cannot be read month first in a file
that also has month-first dates names the option to choose. Everyday forms with English month
names and dashes are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.occasions.models import Occasion

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, maria: User, rows: str, chunk: int = 500) -> ImportBatch:
    path = tmp_path / "people.csv"
    path.write_text("First Name,Last Name,E-mail Address,Birthday\r\n" + rows, encoding="utf-8")
    return import_run(actor=maria, path=path, chunk=chunk)


def _birthdays() -> dict[str, tuple[int | None, int, int]]:
    return {
        o.person.given_name: (o.year, o.month, o.day)
        for o in Occasion.objects.select_related("person").filter(kind="birthday")
    }


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


UK_ROWS = "Ann,Early,ann@example.com,31/12/1980\r\nBen,Ambiguous,ben@example.com,06/12/1978\r\n"


@pytest.mark.parametrize("chunk", [1, 500])
def test_a_file_of_day_first_dates_is_read_day_first(
    tmp_path: Path, maria: User, chunk: int
) -> None:
    batch = _import(tmp_path, maria, UK_ROWS, chunk=chunk)

    assert batch.created == 2
    assert _birthdays() == {"Ann": (1980, 12, 31), "Ben": (1978, 12, 6)}
    assert _warnings(batch) == [
        (
            2,
            "Birthday",
            "31/12/1980 and the other dates of the file are read day first: some are written "
            "so and none is written month first (12/31/1980).",
        )
    ]


def test_a_day_first_date_among_month_first_ones_names_the_option(
    tmp_path: Path, maria: User
) -> None:
    batch = _import(
        tmp_path,
        maria,
        "Ann,Early,ann@example.com,31/12/1980\r\nCy,Us,cy@example.com,12/31/1979\r\n",
    )

    assert _birthdays() == {"Cy": (1979, 12, 31)}
    assert _warnings(batch) == [
        (
            2,
            "Birthday",
            "'31/12/1980' looks written day first, but dates with slashes are read month first "
            '(12/31/1980): import the file again with --day-first, or on the web with "Dates '
            'are written day first (31/12/1980)" ticked; imported without it.',
        )
    ]


def test_it_reads_dates_with_month_names_and_dashes(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "A,Date,a@example.com,Dec 31\r\n"
        'B,Date,b@example.com,"December 31, 1980"\r\n'
        "C,Date,c@example.com,31 Dec 1980\r\n"
        "D,Date,d@example.com,12-31-1980\r\n"
        "E,Date,e@example.com,Sept. 3rd 1975\r\n",
    )

    assert (batch.created, batch.warnings) == (5, [])
    assert _birthdays() == {
        "A": (None, 12, 31),
        "B": (1980, 12, 31),
        "C": (1980, 12, 31),
        "D": (1980, 12, 31),
        "E": (1975, 9, 3),
    }
