"""A Windows-1252 file with a cell of UTF-8 text (a name pasted from a web page into an older
program's file) imports that cell as the text it is ("Zoë", not "ZoÃ«"), with a warning that
names its line and column and says what was read; the file's own accents stay as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse.csv_mend import mended
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,E-mail Address,Home City,Notes\n".encode("cp1252")
ROWS = [
    "Renée,Lefèvre,renee@example.com,Montréal,café au lait\n".encode("cp1252"),
    "Zoë,Brontë,zoe@example.com,Zürich,".encode() + "prefers tea\n".encode("cp1252"),
    "Jürgen,Müller,jurgen@example.com,Köln,Ça va – très bien\n".encode("cp1252"),
]


def _import(tmp_path: Path, actor: User, data: bytes) -> ImportBatch:
    path = tmp_path / "guests.csv"
    path.write_bytes(data)
    return import_run(actor=actor, path=path)


def _people() -> list[tuple[str, str, str, str]]:
    return list(
        Person.objects.order_by("pk").values_list("given_name", "family_name", "locality", "notes")
    )


def _said(was: str, now: str) -> str:
    return (
        f"{was!r} was read as {now!r}: the file is in Windows-1252, but this cell holds UTF-8 text."
    )


def test_a_utf8_cell_in_a_windows_1252_file_is_read_as_utf8_with_a_warning(tmp_path, maria):
    batch = _import(tmp_path, maria, HEADER + b"".join(ROWS))

    assert (batch.created, batch.errors) == (3, [])
    assert _people() == [
        ("Renée", "Lefèvre", "Montréal", "café au lait"),
        ("Zoë", "Brontë", "Zürich", "prefers tea"),
        ("Jürgen", "Müller", "Köln", "Ça va – très bien"),
    ]
    assert [(w["line"], w["column"], w["message"]) for w in batch.warnings] == [
        (3, "First Name", _said("ZoÃ«", "Zoë")),
        (3, "Last Name", _said("BrontÃ«", "Brontë")),
        (3, "Home City", _said("ZÃ¼rich", "Zürich")),
    ]


@pytest.mark.parametrize(
    ("cell", "encoding", "expected"),
    [
        ("ZoÃ«", "cp1252", "Zoë"),
        ("Ã‰milie", "cp1252", "Émilie"),
        ("Müller", "cp1252", None),  # Windows-1252's own accent: not UTF-8
        ("Renée ZoÃ«", "cp1252", None),  # both in one cell: left as it is
        ("Ann", "cp1252", None),
        ("â‚¬5", "cp1252", "€5"),
    ],
)
def test_only_a_cell_whose_bytes_are_utf8_is_mended(cell, encoding, expected):
    assert mended(cell, encoding) == expected
