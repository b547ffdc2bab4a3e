"""A matched person's birthday and the file's: the year it lacked is added, ``overwrite``
replaces another date, and otherwise the file's other date is listed, never dropped without a
word. A dry run counts the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,Email,Birthday\n"


def _ann(year: int | None) -> None:
    ann = make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    occasion_create(actor=None, kind="birthday", month=5, day=5, year=year, person=ann)


def _run(tmp_path: Path, actor: User, birthday: str, **options: object) -> ImportBatch:
    path = tmp_path / "guests.csv"
    path.write_text(f"{HEADER}Ann,Lee,ann@example.com,{birthday}\n", encoding="utf-8")
    dry = import_run(actor=actor, path=path, dry_run=True, **options)  # type: ignore[arg-type]
    real = import_run(actor=actor, path=path, **options)  # type: ignore[arg-type]
    assert (dry.updated, dry.unchanged, dry.warnings) == (
        real.updated,
        real.unchanged,
        real.warnings,
    )
    return real


def _birthday() -> tuple[int, int, int | None, str]:
    b = Occasion.objects.get(kind="birthday")
    return b.month, b.day, b.year, b.source


def test_another_date_is_kept_out_and_listed(tmp_path: Path, maria: User) -> None:
    _ann(1970)
    batch = _run(tmp_path, maria, "1980-01-02")
    assert (batch.updated, batch.unchanged) == (0, 1)
    assert _birthday() == (5, 5, 1970, "told_us")
    assert batch.warnings == [
        {
            "line": 2,
            "column": "Birthday",
            "message": "The birthday stored is 1970-05-05: 1980-01-02 is left out "
            "(overwrite replaces it).",
            "person_id": Occasion.objects.get().person_id,  # erased with them
        }
    ]


def test_overwrite_replaces_it_and_the_same_file_again_changes_nothing(
    tmp_path: Path, maria: User
) -> None:
    _ann(1970)
    batch = _run(tmp_path, maria, "1980-01-02", dedupe="overwrite")
    assert (batch.updated, batch.warnings) == (1, [])
    assert _birthday() == (1, 2, 1980, "imported")
    again = _run(tmp_path, maria, "1980-01-02", dedupe="overwrite")
    assert (again.updated, again.unchanged) == (0, 1)


def test_the_year_it_lacked_is_added(tmp_path: Path, maria: User) -> None:
    _ann(None)
    batch = _run(tmp_path, maria, "1970-05-05")
    assert (batch.updated, batch.warnings) == (1, [])
    assert _birthday() == (5, 5, 1970, "imported")


def test_the_same_day_without_a_year_changes_nothing(tmp_path: Path, maria: User) -> None:
    _ann(1970)
    batch = _run(tmp_path, maria, "--05-05", dedupe="overwrite")
    assert (batch.updated, batch.unchanged, batch.warnings) == (0, 1, [])
    assert _birthday() == (5, 5, 1970, "told_us")


def test_a_later_row_adds_the_year_to_a_birthday_an_earlier_row_gave(
    tmp_path: Path, maria: User
) -> None:
    """Both rows in one chunk: the birthday the first adds is stored before the second's year."""
    make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    path = tmp_path / "guests.csv"
    path.write_text(
        f"{HEADER}Ann,Lee,ann@example.com,--05-01\nAnn,Lee,ann@example.com,1980-05-01\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path)
    assert (batch.updated, batch.warnings) == (2, [])
    b = Occasion.objects.get(kind="birthday")
    assert (b.month, b.day, b.year) == (5, 1, 1980)
