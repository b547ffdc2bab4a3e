"""A quote left open in a CSV: the rows it swallowed are reported with their lines, nothing of
the broken record is stored, and the rows around it are imported; a value that legitimately
runs over several lines (an address, a note) is still read as one value."""

from __future__ import annotations

import pytest

from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db
HEADER = "First Name,Last Name,Email\n"


def _import(tmp_path, body: str, maria, header: str = HEADER):
    path = tmp_path / "guests.csv"
    path.write_text(header + body, encoding="utf-8")
    return import_run(actor=maria, path=path)


def _names() -> list[str]:
    return sorted(Person.objects.values_list("given_name", flat=True))


def test_a_quote_open_to_the_end_of_the_file_is_reported(tmp_path, maria):
    batch = _import(
        tmp_path,
        'Ann,Lee,ann@example.com\nBad,"Quote,bad@example.com\n'
        "Carl,Ray,carl@example.com\nDora,Fox,dora@example.com\n",
        maria,
    )
    assert _names() == ["Ann"]
    (error,) = batch.errors
    assert (error["line"], error["column"]) == (3, "Last Name")
    assert "lines 4 to 5 were read as part of it" in error["message"]
    assert batch.error_count == 1
    assert batch.created == 1


def test_a_quote_closed_rows_later_is_reported_and_the_rows_after_it_imported(tmp_path, maria):
    batch = _import(
        tmp_path,
        'Ann,Lee,ann@example.com\nBad,"Quote,bad@example.com\n'
        'Carl,Ray,carl@example.com\nDora,"Fox",dora@example.com\n'
        "Eve,Day,eve@example.com\n",
        maria,
    )
    assert _names() == ["Ann", "Eve"]
    assert [(e["line"], e["column"]) for e in batch.errors] == [(3, "Last Name")]


def test_a_note_over_several_lines_is_one_value(tmp_path, maria):
    batch = _import(
        tmp_path,
        'Ann,Lee,"Met at the fair\nlikes jazz, wine\nCall Monday"\nBen,Roy,\n',
        maria,
        header="First Name,Last Name,Notes\n",
    )
    assert batch.errors == []
    assert _names() == ["Ann", "Ben"]
    assert Person.objects.get(given_name="Ann").notes.endswith("likes jazz, wine\nCall Monday")


def test_an_address_over_two_lines_in_a_narrow_file_is_one_value(tmp_path, maria):
    batch = _import(
        tmp_path,
        'Ann Lee,ann@example.com,"12 Main St\nSpringfield, IL, 62704"\nBen Roy,ben@example.com,\n',
        maria,
        header="Name,Email,Address\n",
    )
    assert batch.errors == []
    assert _names() == ["Ann", "Ben"]
    assert Person.objects.get(given_name="Ann").street.startswith("12 Main St")


@pytest.mark.parametrize(
    "last",
    [
        '"Unclosed,a@example.com\n',  # a last row whose quote nothing closes
        '"Unclos',  # a download cut short in the middle of its last row
        'Bea,"Lee,bea@example.com',
    ],
)
def test_a_last_row_whose_quote_the_end_of_the_file_leaves_open_is_refused(tmp_path, maria, last):
    batch = _import(tmp_path, "Ann,Lee,ann@example.com\n" + last, maria)

    assert _names() == ["Ann"]
    (error,) = batch.errors
    assert error["line"] == 3
    assert "is not closed before the file ends" in error["message"]


@pytest.mark.parametrize(
    "last",
    [
        '"Bea, Jr",Lee,bea@example.com\n',  # a closed quote holding a comma
        'Bea,"Lee"',  # the file ends right after a closed quote, on a short row
        'Bea "B",Lee,bea@example.com\n',  # a quote inside a value that is not quoted
    ],
)
def test_a_last_row_with_its_quotes_closed_is_imported(tmp_path, maria, last):
    batch = _import(tmp_path, "Ann,Lee,ann@example.com\n" + last, maria)

    assert (batch.created, batch.errors) == (2, [])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize(
    ("last", "cut"),
    [
        ('Bea,Lee,"Prefers the garden ro', True),  # cut inside its last, full-width value
        ('Bea,Lee,"Prefers the garden room"', False),
        ('Bea,Lee,"Prefers the garden room"\r\n', False),
    ],
)
def test_a_last_value_cut_short_without_a_line_break_is_refused(
    tmp_path, maria, encoding, last, cut
):
    path = tmp_path / "guests.csv"
    text = "First Name,Last Name,Notes\r\nAnn,Lee,x\r\n" + last
    path.write_bytes(text.encode(encoding))

    batch = import_run(actor=maria, path=path)

    assert (batch.created, batch.error_count) == ((1, 1) if cut else (2, 0))
