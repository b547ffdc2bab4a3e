"""A RELATED that names no card of the file is left out with a warning on the RELATED's own
line, as other vCard warnings name their property's line; it stays with the card's row (an
erasure of that person removes it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.parse import ContactRecord, open_import
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

GONE = "0000-gone is not the UID of a card imported from this file; imported without it."
CARDS = """BEGIN:VCARD
VERSION:4.0
FN:Ann Lee
N:Lee;Ann;;;
UID:urn:uuid:ann
RELATED;TYPE=spouse:urn:uuid:ben
RELATED;TYPE=child:urn:uuid:0000-gone
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Ben Lee
N:Lee;Ben;;;
UID:urn:uuid:ben
RELATED;TYPE=spouse:urn:uuid:ann
END:VCARD
"""


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "cards.vcf"
    path.write_text(CARDS, encoding="utf-8")
    return path


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


def test_a_related_naming_no_card_is_listed_on_its_own_line(tmp_path: Path, maria: User) -> None:
    batch = import_run(actor=maria, path=_file(tmp_path))

    assert (batch.created, batch.warning_count) == (2, 1)
    assert _warnings(batch) == [(7, "RELATED", GONE)]
    ann = Person.objects.get(given_name="Ann")
    assert list(ImportProblem.objects.values_list("person_id", flat=True)) == [ann.pk]


def test_a_dry_run_lists_it_on_the_same_line(tmp_path: Path, maria: User) -> None:
    batch = import_run(actor=maria, path=_file(tmp_path), dry_run=True)

    assert _warnings(batch) == [(7, "RELATED", GONE)]
    assert Person.objects.count() == 0


def test_the_reader_keeps_the_line_of_each_related(tmp_path: Path) -> None:
    ann, _ben = open_import(_file(tmp_path)).records()
    assert isinstance(ann, ContactRecord)

    assert [ann.line_of("related", related) for related in ann.related] == [6, 7]
