"""Each value a vCard's card leaves out is listed on its own property's line, as a BDAY's is:
of several ``RELATED`` or ``X-GOODWILL-NOTE`` lines, the one that holds it (never the first of
its name), and a date's lead time on its date's line (never the card's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch

pytestmark = pytest.mark.django_db

CARD = """BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:ann
FN:Ann Lee
N:Lee;Ann;;;
CATEGORIES:Jazz,Opera
BDAY;X-GOODWILL-LEAD=999:19800102
X-GOODWILL-NOTE;X-GOODWILL-FOR=BDAY:cake
RELATED;TYPE=spouse:urn:uuid:ben
RELATED;TYPE=kin:urn:uuid:cy
RELATED;TYPE=friend;VALUE=text:Dee
RELATED;TYPE=child;X-GOODWILL-SINCE=2001-13-45:urn:uuid:ben
X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Jazz:loves it
X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Golf:not one of hers
X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Opera:{long}
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:ben
FN:Ben Lee
N:Lee;Ben;;;
END:VCARD
""".replace("{long}", "x" * 501)


def _warnings(tmp_path: Path, maria: User, **options: object) -> list[tuple[int, str, str]]:
    path = tmp_path / "cards.vcf"
    path.write_text(CARD, encoding="utf-8")
    batch: ImportBatch = import_run(actor=maria, path=path, **options)  # type: ignore[arg-type]
    return [(w["line"], w["column"], w["message"][:40]) for w in batch.warnings]


LISTED = [
    (10, "RELATED", "urn:uuid:cy: goodwill keeps no relations"),
    (11, "RELATED", "Dee does not name another card by its UI"),
    (12, "RELATED", "2001-13-45 is not a since-date such as 2"),
    (14, "X-GOODWILL-NOTE", "The note of “Golf”, which is not an inte"),
    (15, "X-GOODWILL-NOTE", "The note of “Opera” is longer than 500 c"),
    (7, "X-GOODWILL-LEAD", "999 is not a lead time from 0 to 365 day"),
]


def test_each_related_and_note_left_out_is_listed_on_its_own_line(
    tmp_path: Path, maria: User
) -> None:
    assert _warnings(tmp_path, maria) == LISTED


def test_a_dry_run_lists_them_on_the_same_lines(tmp_path: Path, maria: User) -> None:
    assert _warnings(tmp_path, maria, dry_run=True) == LISTED


def test_notes_of_categories_not_imported_as_interests_are_each_on_their_own_line(
    tmp_path: Path, maria: User
) -> None:
    found = [w for w in _warnings(tmp_path, maria, categories="tags") if w[1] == "X-GOODWILL-NOTE"]

    assert found == [
        (14, "X-GOODWILL-NOTE", "The note of “Golf”, which is not an inte"),
        (15, "X-GOODWILL-NOTE", "The note of “Opera” is longer than 500 c"),
        (13, "X-GOODWILL-NOTE", "The note of “jazz”, a category not impor"),
    ]
