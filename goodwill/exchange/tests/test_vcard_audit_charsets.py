"""A QUOTED-PRINTABLE value is read as the bytes it is, all together: in UTF-8 (declared, or no
CHARSET) with a byte that is no UTF-8, the text is kept without that byte and the import lists
it, naming the line, never "MÃ¼€ller"; an old phone's Windows-1252 bytes under a wrong or
unknown CHARSET are still read as the letters they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse import ContactRecord, open_import
from goodwill.people.models import Person


def _card(*lines: str) -> bytes:
    content = ("BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD")
    return "".join(f"{line}\r\n" for line in content).encode("utf-8")


def _import(tmp_path: Path, data: bytes, actor: User) -> ImportBatch:
    path = tmp_path / "phone.vcf"
    path.write_bytes(data)
    return import_run(actor=actor, path=path, dedupe="create")


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


@pytest.mark.django_db
def test_a_byte_that_is_no_utf8_is_left_out_and_listed_naming_its_line(tmp_path, maria):
    data = _card(
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BC=80ller;J=C3=BCrgen;;;",
        "EMAIL:jm@example.com",
    )

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors) == (1, [])
    assert _warnings(batch) == [
        (3, "N", "Line 3 has bytes that are not text (=80); imported without it.")
    ]
    jurgen = Person.objects.get()
    assert (jurgen.given_name, jurgen.family_name) == ("Jürgen", "Müller")


@pytest.mark.parametrize(
    ("value", "text", "left_out"),
    [
        # A UTF-8 sequence cut short at the end of the value, and one whose lead byte is gone.
        ("NOTE;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 cr=C3", "Café cr", b"\xc3"),
        (
            "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E2=80=93 and =80=93",
            "– and",
            b"\x80\x93",
        ),
        # A soft break inside a character (=C3= / =BC) is still the one character.
        ("NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=\r\n=BCller", "Müller", b""),
    ],
)
def test_utf8_values_are_read_whole_without_the_bytes_that_are_not_text(
    tmp_path, value, text, left_out
):
    path = tmp_path / "phone.vcf"
    path.write_bytes(_card("FN:Ann Lee", value))

    [record] = open_import(path).records()

    assert isinstance(record, ContactRecord)
    assert record.note == text
    shown = " ".join(f"={byte:02X}" for byte in left_out)
    expected = [(1, "NOTE", f"Line 4 has bytes that are not text ({shown})")] if left_out else []
    assert [(d.line, d.column, d.message) for d in record.dropped] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("params", ["", ";CHARSET=UTF-8", ";CHARSET=X-KLINGON"])
def test_an_old_phones_windows_1252_bytes_still_read_as_letters(tmp_path, maria, params):
    """No UTF-8 character among the bytes: a wrong or unknown CHARSET over Windows-1252."""
    data = _card(
        f"N{params};ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen;;;",
        f"NOTE{params};ENCODING=QUOTED-PRINTABLE:Gr=FC=DFe =80 5",
    )

    batch = _import(tmp_path, data, maria)

    assert (batch.created, batch.errors, _warnings(batch)) == (1, [], [])
    jurgen = Person.objects.get()
    assert (jurgen.given_name, jurgen.family_name, jurgen.notes) == (
        "Jürgen",
        "Müller",
        "Grüße € 5",
    )
