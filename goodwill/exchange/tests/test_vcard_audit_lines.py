"""A vCard line that is no property (no colon after its name) is never lost in silence: its
card is imported without it, and the import lists it as a warning that names its line. A bare
CR inside a value of a file whose lines end in CR LF (Thunderbird) is the value's own line
break, not a line of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse import ContactRecord, open_import
from goodwill.people.models import Person

NO_COLON = "Line {n} is not a vCard property (no colon); imported without it."
NO_COLON_AFTER_NAME = (
    "Line {n} is not a vCard property (no colon after its name); imported without it."
)


def _write(tmp_path: Path, text: str, newline: str = "\n") -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def _import(path: Path, actor: User) -> ImportBatch:
    return import_run(actor=actor, path=path, dedupe="create")


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


NOCOLON = """BEGIN:VCARD
VERSION:3.0
FN:Bo Ray
EMAIL bo@example.com
NOTE Important allergy: peanuts
EMAIL;TYPE=INTERNET bo@example.com
TEL:+1 415 555 0100
END:VCARD
"""


@pytest.mark.django_db
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_without_a_colon_are_listed_as_warnings_and_the_card_imported(
    tmp_path, maria, newline
):
    batch = _import(_write(tmp_path, NOCOLON, newline), maria)

    assert (batch.created, batch.errors) == (1, [])
    assert _warnings(batch) == [
        (4, "", NO_COLON.format(n=4)),
        (5, "", NO_COLON_AFTER_NAME.format(n=5)),  # "Important allergy" is no property name
        (6, "", NO_COLON.format(n=6)),
    ]
    bo = Person.objects.get()
    assert (bo.given_name, bo.family_name, bo.notes) == ("Bo", "Ray", "")
    assert list(bo.phones.values_list("e164", flat=True)) == ["+14155550100"]
    assert not bo.emails.exists()


def test_the_reader_notes_each_line_that_is_no_property(tmp_path):
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Ray\n;:\nitem1.EMAIL bo@example.com\nEND:VCARD\n"

    [record] = open_import(_write(tmp_path, text)).records()

    assert isinstance(record, ContactRecord)
    assert record.full_name == "Bo Ray"
    assert [(d.line, d.column, d.message) for d in record.dropped] == [
        (1, "", "Line 4 is not a vCard property (no colon after its name)"),
        (1, "", "Line 5 is not a vCard property (no colon)"),
    ]


@pytest.mark.django_db
def test_a_bare_cr_inside_a_value_of_a_crlf_file_is_a_line_break_of_the_value(tmp_path, maria):
    """Thunderbird writes a value's own CR as it is: "second" goes on with the note, and no
    line of the card is listed as no property."""
    text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\nNOTE:first\rsecond\r\nEND:VCARD\r\n"
    path = tmp_path / "thunderbird.vcf"
    path.write_bytes(text.encode("utf-8"))

    batch = _import(path, maria)

    assert (batch.created, batch.errors, _warnings(batch)) == (1, [], [])
    assert Person.objects.get().notes == "first\nsecond"


def test_a_21_photos_unindented_base64_lines_are_dropped_without_a_word(tmp_path):
    """vCard 2.1 lets BASE64 lines go on unindented up to a blank line: they are the photo's,
    not lines that are no property."""
    path = tmp_path / "photo.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Ray;Bo;;;\r\n"
        b"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
        b"2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcp\r\n"
        b"LDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIy\r\n"
        b"\r\n"
        b"EMAIL:bo@example.com\r\nEND:VCARD\r\n"
    )
    [record] = list(open_import(path).records())
    assert record.emails == [("bo@example.com", "")]
    assert record.dropped == []
