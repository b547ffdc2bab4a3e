"""A CSV download cut short inside an unquoted value (its last row short of columns, no line
break after it) refuses that row, naming its line, instead of storing it half-written; a
complete last row without a final line break is still imported. Two CSV files joined end to
end do not import the second one's header as a person: that row is refused as repeating the
header, and the rows around it are imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,E-mail Address,Home City,Notes\n"
JOSE = "José,Müller-Lüdenscheidt,jose@example.com,Montréal,likes jazz\n"
ALF = "Ælfred,Þórsson,alf@example.is,Reykjavík,€100 deposit – paid\n"


def _import(tmp_path: Path, data: bytes, actor: User) -> ImportBatch:
    path = tmp_path / "guests.csv"
    path.write_bytes(data)
    return import_run(actor=actor, path=path)


def _people() -> list[tuple[str, str, list[str]]]:
    return [
        (p.given_name, p.family_name, list(p.emails.values_list("email", flat=True)))
        for p in Person.objects.order_by("pk")
    ]


def _errors(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(e["line"], e["column"], e["message"]) for e in batch.errors]


def _cut(line: int, column: str, cells: int) -> str:
    return (
        f"The file ends in the middle of line {line}, in {column}, with {cells} of the "
        "header's 5 columns and no line break: it seems cut short, so the row was not imported."
    )


def test_a_file_cut_short_in_a_name_stores_nothing_half_written(tmp_path, maria):
    batch = _import(tmp_path, (HEADER + ALF + JOSE[:20]).encode(), maria)

    assert JOSE[:20] == "José,Müller-Lüdensch"
    assert _errors(batch) == [(3, "Last Name", _cut(3, "Last Name", 2))]
    assert (batch.created, batch.warnings) == (1, [])
    assert _people() == [("Ælfred", "Þórsson", ["alf@example.is"])]


@pytest.mark.parametrize(
    "rows",
    [
        "Bea,Lee\nCy,Moss",  # a hand-made file whose rows stop early: its last row is whole
        "Cy,Moss",  # the only row: nothing to tell it from one cut short
    ],
)
def test_a_short_last_row_of_a_file_whose_rows_stop_early_is_imported(tmp_path, maria, rows):
    batch = _import(tmp_path, (HEADER + rows).encode(), maria)

    assert batch.errors == []
    assert _people()[-1] == ("Cy", "Moss", [])


def test_a_file_cut_short_in_an_email_imports_the_rows_before_it(tmp_path, maria):
    batch = _import(tmp_path, (HEADER + JOSE + ALF[:20]).encode(), maria)

    assert ALF[:20] == "Ælfred,Þórsson,alf@e"
    assert _errors(batch) == [(3, "E-mail Address", _cut(3, "E-mail Address", 3))]
    assert (batch.created, batch.warnings) == (1, [])
    assert _people() == [("José", "Müller-Lüdenscheidt", ["jose@example.com"])]


def test_a_utf16_file_cut_short_is_refused_the_same_way(tmp_path, maria):
    batch = _import(tmp_path, (HEADER + JOSE + ALF[:20]).encode("utf-16"), maria)

    assert _errors(batch) == [(3, "E-mail Address", _cut(3, "E-mail Address", 3))]
    assert _people() == [("José", "Müller-Lüdenscheidt", ["jose@example.com"])]


@pytest.mark.parametrize(
    "last",
    [
        ALF.rstrip("\n"),  # every column, no final line break
        "Bea,Lee,bea@example.com,,",  # empty last cells, written
        'Bea,"Lee"',  # short, but the file ends with a quote that closes the value
    ],
)
def test_a_last_row_without_a_final_line_break_that_is_whole_is_imported(tmp_path, maria, last):
    batch = _import(tmp_path, (HEADER + JOSE + last).encode(), maria)

    assert (batch.created, batch.errors) == (2, [])


def test_a_short_last_row_that_ends_with_a_line_break_is_imported(tmp_path, maria):
    batch = _import(tmp_path, (HEADER + JOSE + "Bea,Lee\n").encode(), maria)

    assert (batch.created, batch.errors) == (2, [])
    assert _people()[1] == ("Bea", "Lee", [])


REPEATED = "This row repeats the header (were two files joined?); it was not imported."


@pytest.mark.parametrize(
    "second",
    [
        "First Name,Last Name,E-mail Address\n",
        "\ufeffFirst Name,Last Name,E-mail Address\n",  # the second file's BOM
        " first name , LAST NAME,e-mail address \n",  # other case, spaces around
        "First Name,Last Name,E-mail Address,,\n",  # empty cells after it
    ],
    ids=["same", "bom", "case-and-spaces", "trailing-empty"],
)
def test_two_files_joined_do_not_import_the_second_header_as_a_person(tmp_path, maria, second):
    first = "\ufeffFirst Name,Last Name,E-mail Address\nA,One,a1@example.com\n"
    data = first + second + "B,Two,b2@example.com\n"

    batch = _import(tmp_path, data.encode(), maria)

    assert _errors(batch) == [(3, "", REPEATED)]
    assert (batch.created, batch.warnings) == (2, [])
    assert _people() == [("A", "One", ["a1@example.com"]), ("B", "Two", ["b2@example.com"])]


def test_a_row_that_only_starts_like_the_header_is_a_person(tmp_path, maria):
    data = "First Name,Last Name,E-mail Address\nFirst Name,Lee,fn@example.com\n"

    batch = _import(tmp_path, data.encode(), maria)

    assert (batch.created, batch.errors) == (1, [])
    assert _people() == [("First Name", "Lee", ["fn@example.com"])]
