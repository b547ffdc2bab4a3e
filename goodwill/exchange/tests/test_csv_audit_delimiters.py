"""Any delimiter: a pipe-delimited CSV imports, a comma file whose values hold pipes stays a
comma file, and Excel's first line "sep=X" sets the delimiter, the header coming from the next
line while messages keep the file's own line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.core.errors import Invalid
from goodwill.exchange.importer import import_run
from goodwill.exchange.importer.progress import count_rows
from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, RowError
from goodwill.exchange.selectors import import_columns
from goodwill.exchange.services.imports import import_upload
from goodwill.people.models import Person


def _read(tmp_path: Path, data: bytes) -> list[ContactRecord | RowError]:
    path = tmp_path / "guests.csv"
    path.write_bytes(data)
    return list(open_import(path).records())


def _people(items: list[ContactRecord | RowError]) -> list[tuple[int, str, list[str]]]:
    return [
        (r.line, r.full_name, [e for e, _label in r.emails])
        for r in items
        if isinstance(r, ContactRecord)
    ]


@pytest.mark.django_db
def test_a_pipe_delimited_csv_imports(tmp_path, maria):
    path = tmp_path / "pipe2.csv"
    path.write_bytes(b"Name|Email\nCy Dee|cy@example.com\nDa Vo|da@example.com\n")

    batch = import_run(actor=maria, path=path, dedupe="create")

    assert (batch.state, batch.created, batch.errors) == ("done", 2, [])
    assert sorted(Person.objects.values_list("emails__email", flat=True)) == [
        "cy@example.com",
        "da@example.com",
    ]


def test_a_pipe_csv_whose_values_hold_commas_keeps_them(tmp_path):
    data = b'Name|Address|Email\n"Lee, Ann"|1 Main St, Halifax|a@x.org\n'
    data += b"Cy Dee|2 Elm, Truro|c@x.org\n"

    items = _read(tmp_path, data)

    assert _people(items) == [(2, "Lee, Ann", ["a@x.org"]), (3, "Cy Dee", ["c@x.org"])]
    assert [i.address.street for i in items if isinstance(i, ContactRecord) and i.address] == [
        "1 Main St, Halifax",
        "2 Elm, Truro",
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"Name,Notes,Email\nAnn Lee,tea|coffee|cake,a@x.org\nCy Dee,x|y,c@x.org\n",
        b'Name,Notes,Email\nAnn Lee,"tea|coffee|cake",a@x.org\nCy Dee,"x|y",c@x.org\n',
        b"Name,Notes (a|b),Email\nAnn Lee,tea|coffee,a@x.org\nCy Dee,x|y,c@x.org\n",
    ],
    ids=["bare", "quoted", "pipe-in-header"],
)
def test_a_comma_csv_whose_values_hold_pipes_stays_comma(tmp_path, data):
    items = _read(tmp_path, data)

    assert _people(items) == [(2, "Ann Lee", ["a@x.org"]), (3, "Cy Dee", ["c@x.org"])]
    first = next(i for i in items if isinstance(i, ContactRecord))
    assert "tea|coffee" in first.note + " ".join(first.extra.values())


@pytest.mark.parametrize(
    ("first", "delimiter"),
    [
        (b"sep=;\r\n", b";"),
        (b"sep=,\n", b","),
        (b"SEP=|\n", b"|"),
        (b"sep=\t\n", b"\t"),
        (b"\xef\xbb\xbfsep=;\n", b";"),
        (b"sep=;;;\n", b";"),
    ],
    ids=["semicolon-crlf", "comma", "pipe-upper", "tab", "utf8-bom", "padded"],
)
def test_excels_sep_line_sets_the_delimiter_and_the_header_follows(tmp_path, first, delimiter):
    rows = [[b"Name", b"Email"], [b"Ann Lee", b"a@x.org"], [b"Cy Dee", b"c@x.org"]]
    data = first + b"".join(delimiter.join(row) + b"\n" for row in rows)

    items = _read(tmp_path, data)

    assert _people(items) == [(3, "Ann Lee", ["a@x.org"]), (4, "Cy Dee", ["c@x.org"])]
    assert open_import(tmp_path / "guests.csv").columns() == {"Name": "full_name", "Email": "email"}


def test_messages_of_a_sep_file_name_the_files_own_lines(tmp_path):
    data = b"sep=;\nName;Email\n\nLee, Ann;a@x.org\n;\nEd;e@x.org;extra\n"

    items = _read(tmp_path, data)

    assert _people(items) == [(4, "Lee, Ann", ["a@x.org"])]
    assert [(e.line, e.message) for e in items if isinstance(e, RowError)] == [
        (6, "The row has 3 columns but the header has 2."),
    ]


@pytest.mark.django_db
def test_an_excel_sep_file_imports_and_counts_its_rows(tmp_path, maria):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "sep=;\r\nVorname;Nachname;E-Mail\r\nJürgen;Müller;j@x.org\r\n".encode("cp1252")
    )

    batch = import_run(actor=maria, path=path, dedupe="create")

    assert count_rows(open_import(path)) == 1
    assert (batch.state, batch.created, batch.errors) == ("done", 1, [])
    assert Person.objects.get().family_name == "Müller"


@pytest.mark.django_db
@pytest.mark.usefixtures("data_dir")
def test_an_excel_sep_file_is_kept_for_its_mapping_step(maria):
    data = b"sep=;\nName;Email\nAnn Lee;a@x.org\n"

    batch = import_upload(actor=maria, name="excel.csv", chunks=[data])

    assert (batch.state, batch.format) == ("draft", "csv")
    columns = import_columns(batch=batch)
    assert [(c.header, c.target) for c in columns] == [("Name", "full_name"), ("Email", "email")]


@pytest.mark.django_db
@pytest.mark.usefixtures("data_dir")
def test_an_excel_sep_file_with_only_a_header_is_refused_at_upload(maria):
    with pytest.raises(Invalid, match="excel.csv: there are column headers but no rows"):
        import_upload(actor=maria, name="excel.csv", chunks=[b"sep=;\nName;Email\n"])
