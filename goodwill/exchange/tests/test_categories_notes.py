"""``--categories notes`` writes a card's categories on one "Categories: …" line of the notes,
as a CSV line spells them: a category holding a comma or a double quote is quoted (its quotes
doubled), so "Wine, Red" cannot be read as two categories. Plain ones stay as they were.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db
CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\n"
    'CATEGORIES:Wine\\, Red,Cheese,Say "cheese",Tea\r\nEND:VCARD\r\n'
)


def _import(tmp_path: Path, maria: object, card: str) -> Person:
    path = tmp_path / "cards.vcf"
    path.write_text(card, encoding="utf-8")
    batch = import_run(actor=maria, path=path, categories="notes")
    assert (batch.created, batch.error_count) == (1, 0)
    return Person.objects.get()


def test_a_category_with_a_comma_is_quoted_in_the_notes(tmp_path: Path, maria: object) -> None:
    ann = _import(tmp_path, maria, CARD)
    assert ann.interests.count() == 0
    assert ann.notes == 'Categories: "Wine, Red", Cheese, "Say ""cheese""", Tea'


def test_the_notes_give_back_each_category_whole(tmp_path: Path, maria: object) -> None:
    ann = _import(tmp_path, maria, CARD)
    line = ann.notes.removeprefix("Categories: ")
    assert next(csv.reader([line], skipinitialspace=True)) == [
        "Wine, Red",
        "Cheese",
        'Say "cheese"',
        "Tea",
    ]
