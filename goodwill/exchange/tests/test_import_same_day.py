"""Dates on the same day are different occasions unless their kind, label and day agree: they
survive goodwill's own vCard and CSV export and re-import, an anniversary without a label comes
back without one, and importing the same file again adds nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests.export_world import export_text
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services.relationships import relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

Date = tuple[str, str, int | None, int, int]
FORMATS = [("vcard", "people.vcf"), ("csv", "people.csv")]


def _eve() -> Person:
    """Three dates on 14 September (an anniversary without a year, a custom date, an anniversary
    with a year) and an anniversary without a label."""
    eve = make_person(given_name="Eve", family_name="Moreau", emails=["eve@example.com"])
    occasion_create(actor=None, kind="anniversary", label="First stay", month=9, day=14, person=eve)
    occasion_create(actor=None, kind="custom", label="Name day", month=9, day=14, person=eve)
    occasion_create(
        actor=None, kind="anniversary", label="Reopening", year=2020, month=9, day=14, person=eve
    )
    occasion_create(actor=None, kind="anniversary", year=2001, month=5, day=5, person=eve)
    return eve


def _order(date: Date) -> tuple[str, int, int, str, int]:
    kind, label, year, month, day = date
    return kind, month, day, label, year or 0


def _dates() -> list[Date]:
    rows = Occasion.objects.filter(person__isnull=False)
    return sorted(rows.values_list("kind", "label", "year", "month", "day"), key=_order)


def _import(tmp_path: Path, name: str, text: str) -> ImportBatch:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    batch = import_run(actor=None, path=path)
    assert (batch.state, batch.error_count, batch.warning_count) == ("done", 0, 0)
    return batch


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD", ""])


def _labelled(item: int, date: str, label: str, custom: bool = False) -> list[str]:
    marker = ";X-GOODWILL-KIND=custom" if custom else ""
    return [f"item{item}.X-ABDATE{marker}:{date}", f"item{item}.X-ABLabel:{label}"]


@pytest.mark.parametrize(("fmt", "name"), FORMATS)
def test_every_date_of_one_day_comes_back_from_an_export(
    tmp_path: Path, fmt: str, name: str
) -> None:
    _eve()
    text = export_text(fmt)
    Person.objects.all().delete()
    batch = _import(tmp_path, name, text)
    assert batch.created == 1
    # The vCard marks the custom date's kind, the CSV's "Goodwill Event Kinds" too.
    assert _dates() == sorted(
        [
            ("anniversary", "", 2001, 5, 5),
            ("anniversary", "First stay", None, 9, 14),
            ("anniversary", "Reopening", 2020, 9, 14),
            ("custom", "Name day", None, 9, 14),
        ],
        key=_order,
    )


@pytest.mark.parametrize(("fmt", "name"), FORMATS)
def test_importing_its_own_export_again_adds_nothing(tmp_path: Path, fmt: str, name: str) -> None:
    _eve()
    before = _dates()
    batch = _import(tmp_path, name, export_text(fmt))
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 1)
    assert _dates() == before


@pytest.mark.parametrize(("fmt", "name"), FORMATS)
def test_a_couples_wedding_is_not_added_to_either_spouse_again(
    tmp_path: Path, fmt: str, name: str
) -> None:
    ann = make_person(given_name="Ann", family_name="Harris", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    cy = make_person(given_name="Cy", family_name="Harris", emails=["cy@example.com"])
    # Ann's two ties: her first wedding (ANNIVERSARY in a vCard) and another (a labelled date).
    for spouse, (year, month, day) in ((ben, (2015, 6, 20)), (cy, (1990, 8, 1))):
        couple = relationship_create(actor=None, person=spouse, other=ann, kind="spouse")
        occasion_create(
            actor=None, kind="wedding_anniversary", year=year, month=month, day=day,
            relationship=couple,
        )  # fmt: skip
    before = Occasion.objects.count()
    batch = _import(tmp_path, name, export_text(fmt))
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 3)
    assert Occasion.objects.count() == before


def test_an_unlabelled_anniversary_is_marked_as_goodwills_default_in_a_vcard() -> None:
    _eve()
    lines = export_text("vcard").split("\r\n")
    item = next(line for line in lines if line.endswith("X-GOODWILL-LABEL=default:20010505"))
    group = item.split(".", 1)[0]
    assert f"{group}.X-ABLabel:Anniversary" in lines  # what other address books show


def test_an_unlabelled_anniversary_has_an_empty_label_cell_in_a_csv() -> None:
    _eve()
    [row] = list(csv.DictReader(io.StringIO(export_text("csv"), newline="")))
    assert [row[f"Event {i} - {part}"] for i in (1, 2, 3) for part in ("Label", "Value")] == [
        "",
        "2001-05-05",
        "First stay",
        "'--09-14",
        "Reopening ::: Name day",
        "2020-09-14 ::: --09-14",
    ]


def test_an_anniversary_labelled_anniversary_is_a_stored_one_without_a_label(
    tmp_path: Path,
) -> None:
    eve = make_person(given_name="Eve", emails=["eve@example.com"])
    occasion_create(actor=None, kind="anniversary", year=2001, month=5, day=5, person=eve)
    card = _card(
        "FN:Eve",
        "EMAIL:eve@example.com",
        *_labelled(1, "20010505", "_$!<Anniversary>!$_"),  # Apple's own label
        "ANNIVERSARY:20010505",
    )
    batch = _import(tmp_path, "apple.vcf", card)
    assert (batch.updated, batch.unchanged) == (0, 1)
    assert _dates() == [("anniversary", "", 2001, 5, 5)]


def test_a_stored_date_is_the_same_occasion_by_kind_label_and_day(tmp_path: Path) -> None:
    eve = make_person(given_name="Eve", emails=["eve@example.com"])
    occasion_create(actor=None, kind="anniversary", label="First stay", month=9, day=14, person=eve)
    occasion_create(
        actor=None, kind="anniversary", label="Reopening", year=2020, month=9, day=14, person=eve
    )
    card = _card(
        "FN:Eve",
        "EMAIL:eve@example.com",
        *_labelled(1, "--0914", " first STAY "),  # the label's case and spaces do not count
        *_labelled(2, "20190914", "First stay"),  # a year where the stored one has none
        *_labelled(3, "20210914", "Reopening"),  # another year: another occasion
        *_labelled(4, "--0914", "Reopening"),  # no year: the one of 2020
        *_labelled(5, "--0914", "Name day", custom=True),
    )
    batch = _import(tmp_path, "eve.vcf", card)
    assert (batch.created, batch.updated) == (0, 1)
    assert _dates() == [
        ("anniversary", "First stay", None, 9, 14),
        ("anniversary", "Reopening", 2020, 9, 14),
        ("anniversary", "Reopening", 2021, 9, 14),
        ("custom", "Name day", None, 9, 14),
    ]


def test_a_later_row_updating_the_same_person_adds_its_own_dates_of_that_day(
    tmp_path: Path,
) -> None:
    make_person(given_name="Eve", emails=["eve@example.com"])
    text = (
        "First Name,E-mail 1 - Value,Event 1 - Label,Event 1 - Value\n"
        "Eve,eve@example.com,Name day,--09-14\n"
        "Eve,eve@example.com,name day,2020-09-14\n"
        "Eve,eve@example.com,First stay,--09-14\n"
    )
    batch = _import(tmp_path, "eve.csv", text)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 2, 1)
    assert _dates() == [
        ("anniversary", "First stay", None, 9, 14),
        ("anniversary", "Name day", None, 9, 14),
    ]


def test_rows_of_one_new_person_keep_their_different_dates_of_one_day(tmp_path: Path) -> None:
    text = (
        "First Name,E-mail 1 - Value,Event 1 - Label,Event 1 - Value\n"
        "Eve,eve@example.com,First stay,--09-14\n"
        "Eve,eve@example.com,first stay ::: Name day,2019-09-14 ::: --09-14\n"
    )
    batch = _import(tmp_path, "eve.csv", text)
    assert (batch.created, batch.updated) == (1, 1)  # the second row is merged into the first
    assert _dates() == [
        ("anniversary", "First stay", None, 9, 14),
        ("anniversary", "Name day", None, 9, 14),
    ]


def test_an_unlabelled_event_of_another_address_books_csv_is_still_an_anniversary(
    tmp_path: Path,
) -> None:
    text = "First Name,Event 1 - Label,Event 1 - Value\nGina,,2001-05-05\nHal,Anniversary,--06-01\n"
    _import(tmp_path, "google.csv", text)
    assert _dates() == [
        ("anniversary", "Anniversary", 2001, 5, 5),
        ("anniversary", "Anniversary", None, 6, 1),
    ]
