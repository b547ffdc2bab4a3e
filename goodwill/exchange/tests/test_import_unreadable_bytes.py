"""Bytes no reader can take as text, and values too long for the CSV reader: a NUL byte past
the part of the file the encoding is found from (PostgreSQL refuses it in text, SQLite would
store it) refuses its row alone, in contact and purchase imports; a quote left open for more
than 16 MiB is listed with the lines it took; a header line too long to read refuses the file
naming it and the line."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from goodwill.commerce.models import Purchase
from goodwill.core.errors import Invalid
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.pos import pos_import_run
from goodwill.exchange.tests import pos_world
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db
NOT_TEXT = "The row has bytes that are not text."
# Enough plain rows that the NUL comes after the 64 KiB the encoding is found from.
PLAIN = b"".join(b"Ann%d,a%d@example.com,%s\n" % (i, i, b"x" * 60) for i in range(1200))


@pytest.fixture
def small_field_limit() -> Iterator[None]:
    """The CSV reader's limit on one value, 16 MiB, made 1,000 characters for a small file."""
    before = csv.field_size_limit(1000)
    yield
    csv.field_size_limit(before)


def test_a_nul_byte_far_into_a_csv_refuses_its_row_and_keeps_the_others(tmp_path, maria):
    path = tmp_path / "guests.csv"
    path.write_bytes(
        b"First Name,Email,Note\n" + PLAIN + b"B\x00b,bob@example.com,\nCy,cy@example.com,\n"
    )

    batch = import_run(actor=maria, path=path)

    assert batch.errors == [{"line": 1202, "column": "First Name", "message": NOT_TEXT}]
    assert (batch.state, batch.created) == ("done", 1201)
    assert Person.objects.filter(given_name="Cy").exists()
    assert not Person.objects.filter(primary_email="bob@example.com").exists()


def test_a_nul_byte_in_a_purchase_row_refuses_that_row(tmp_path, maria):
    pos_world.people()
    sale = "2024-03-05,R-{},Sale,Tea{},Grocery,3.00,EUR,ann@example.com,,,,,\n"
    text = pos_world.HEADER + "".join(sale.format(i, "") for i in range(1200))
    text += sale.format("x", "\x00") + sale.format("y", "")
    batch = pos_import_run(actor=maria, path=pos_world.write(tmp_path, text))

    assert batch.errors == [{"line": 1202, "column": "Item", "message": NOT_TEXT}]
    assert (batch.created, Purchase.objects.filter(reference="R-y").exists()) == (1201, True)


@pytest.mark.usefixtures("small_field_limit")
def test_a_quote_open_past_the_readers_limit_lists_the_lines_it_took(tmp_path, maria):
    rows = "".join(f"Guest{i},Lee,g{i}@example.com\n" for i in range(60))
    path = tmp_path / "guests.csv"
    path.write_text(
        "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n"
        + '"Open,Quote,open@example.com\n'
        + rows,
        encoding="utf-8",
    )

    batch = import_run(actor=maria, path=path)

    (error,) = batch.errors
    assert error["line"] == 3
    assert error["message"].startswith("A quote opened on line 3 is not closed within 16 MiB")
    swallowed = int(error["message"].split(" to ")[1].split()[0])
    # Every row after the lines it took is imported; those lines are named, none stored.
    assert batch.created == 1 + (63 - swallowed)  # the file's last line is line 63
    assert not Person.objects.filter(primary_email="open@example.com").exists()


@pytest.mark.usefixtures("small_field_limit")
def test_a_header_too_long_to_read_refuses_the_file_naming_it_and_the_line(tmp_path, maria):
    path = tmp_path / "huge.csv"
    path.write_text("a" * 5000 + "\nAnn\n", encoding="utf-8")

    with pytest.raises(Invalid) as refused:
        import_run(actor=maria, path=path)

    assert refused.value.fields == {
        "file": ["huge.csv: line 1 cannot be read (field larger than field limit (1000))."]
    }
    assert ImportBatch.objects.get().state == "failed"
    assert not Person.objects.exists()


def test_a_nul_byte_far_into_a_vcard_refuses_its_card_and_keeps_the_others(tmp_path, maria):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;{0};;;\r\nFN:{0} Lee\r\nEND:VCARD\r\n"
    cards = "".join(card.format(f"Ann{i}") for i in range(1200))
    path = tmp_path / "cards.vcf"
    path.write_bytes((cards + card.format("B\x00b") + card.format("Cy")).encode())

    batch = import_run(actor=maria, path=path)

    (error,) = batch.errors
    assert (error["line"], error["message"]) == (1200 * 5 + 3, NOT_TEXT)
    assert (batch.state, batch.created) == ("done", 1201)
    assert Person.objects.filter(given_name="Cy").exists()


def test_a_quoted_printable_nul_is_left_out_of_its_value_with_a_warning(tmp_path, maria):
    cards = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lee;Ann;;;\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:abc=00def\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Roe;Bob;;;\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "phone.vcf"
    path.write_bytes(cards.encode())

    batch = import_run(actor=maria, path=path)

    assert (batch.state, batch.created, batch.errors) == ("done", 2, [])
    assert Person.objects.get(given_name="Ann").notes == "abcdef"
    assert [(w["column"], w["message"]) for w in batch.warnings] == [
        ("NOTE", "Line 4 has bytes that are not text (=00); imported without it.")
    ]
