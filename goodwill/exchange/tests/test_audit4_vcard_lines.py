"""Every value left out of a vCard names the line of its own property, not the card's first
line: the reader keeps each property's line with what it read (``ContactRecord.line_of``) and
with each value it left out (``RowError.at``), for the import's warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.parse import ContactRecord, YearlyDate, open_import

PHOTO = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 15 + "\r\n" + " QUJD\r\n" * 30  # lines 5-35
CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bad;Bday;;;\r\nFN:Bday Bad\r\n"
    + PHOTO
    + "EMAIL:not-an-email\r\n"  # line 36
    + "BDAY:--1340\r\n"  # line 37
    + "TEL:+1 902 555 0101\r\n"  # line 38
    + "EMAIL bo@example.com\r\n"  # line 39: no colon
    + "BDAY:1980-03-22\r\nBDAY:1981-07-01\r\n"  # lines 40 and 41: a second birthday
    + "X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Jazz:loves Coltrane\r\n"  # line 42, and no UID
    + "END:VCARD\r\n"
)
MONTH_13 = "'--1340' is not a valid date: Give a month from 1 to 12"


def _record(tmp_path: Path) -> ContactRecord:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(CARD.encode())
    [record] = open_import(path).records()
    assert isinstance(record, ContactRecord)
    return record


def test_each_value_left_out_keeps_its_propertys_line(tmp_path):
    record = _record(tmp_path)

    assert [(d.line, d.at, d.column, d.message) for d in record.dropped] == [
        (1, 39, "", "Line 39 is not a vCard property (no colon)"),
        (1, 37, "birthday", f"{MONTH_13}."),
        (1, 41, "birthday", "A second birthday (1981-07-01); the first one is kept."),
        (1, 42, "X-GOODWILL-NOTE", "X-GOODWILL-NOTE is read only on a card with a UID"),
    ]


def test_the_record_names_the_line_of_each_value_it_read(tmp_path):
    record = _record(tmp_path)

    assert record.emails == [("not-an-email", "")]
    assert record.line_of("email", "not-an-email") == 36
    assert record.line_of("phone", "+1 902 555 0101") == 38
    assert record.line_of("birthday", YearlyDate(3, 22, 1980)) == 40
    assert record.line_of("birthday") == 37  # the first BDAY
    assert record.line_of("full_name") == 4
    assert record.line_of("organisation") == 1  # no ORG: the card's first line


def test_a_csv_rows_values_are_on_its_own_line(tmp_path):
    path = tmp_path / "guests.csv"
    path.write_text("Name,Email\nAnn Lee,ann@\n", encoding="utf-8")

    [record] = open_import(path).records()

    assert isinstance(record, ContactRecord)
    assert record.line_of("email", "ann@") == 2


@pytest.mark.django_db
def test_the_import_lists_each_value_left_out_on_its_propertys_line(tmp_path, maria):
    path = tmp_path / "contacts.vcf"
    path.write_bytes(CARD.encode())

    batch = import_run(actor=maria, path=path)

    assert batch.created == 1
    assert sorted((w["line"], w["column"]) for w in batch.warnings) == [
        (36, "EMAIL"),
        (37, "BDAY"),
        (39, ""),
        (41, "BDAY"),
        (42, "X-GOODWILL-NOTE"),
    ]
