"""goodwill's vCard keeps every kind of relationship goodwill keeps: a referral and a custom
tie (with its label) too, as goodwill's own RELATED types (``x-goodwill-referred``,
``x-goodwill-custom;X-GOODWILL-LABEL="…"``), so that an export imported into a fresh database
gives back every tie with its direction, kind, label, since-date and notes, importing it again
adds nothing, and other programs (vobject) still read the file. A RELATED whose type names no
tie goodwill keeps (another program's ``x-`` type) is still left out with a warning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import vobject

from goodwill.exchange.importer.run import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests.export_world import export_text
from goodwill.people.models import Person, Relationship
from goodwill.people.services import relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

COUNTS = ("created", "updated", "unchanged", "skipped", "error_count", "warning_count")
WITHOUT = "; imported without it."  # how a warning about a value left out ends
GODMOTHER = 'Godmother "Gigi", ^1; of Bath'  # a label with quotes, a comma, a caret


@pytest.fixture
def people() -> dict[str, Person]:
    """Ann married to Ben and parent of Kit; Fay was referred by Ann, Ben by Gus (since 2019,
    with notes); Gus is Ann's godmother (since 2001) and her coach, and Ann is Gus's mentor."""
    found = {
        name: make_person(given_name=name, emails=[f"{name.lower()}@example.com"])
        for name in ("Ann", "Ben", "Kit", "Fay", "Gus")
    }
    ann, ben, kit, fay, gus = found.values()
    relationship_create(actor=None, person=ben, other=ann, kind="spouse")
    relationship_create(actor=None, person=ann, other=kit, kind="parent")
    relationship_create(actor=None, person=fay, other=ann, kind="referred_by")
    relationship_create(
        actor=None,
        person=gus,
        other=ben,
        kind="referred",
        since=dt.date(2019, 3, 4),
        notes='Met at the "Inn";\nsent him over',
    )
    relationship_create(
        actor=None,
        person=gus,
        other=ann,
        kind="custom",
        custom_label=GODMOTHER,
        since=dt.date(2001, 5, 5),
        notes="Christening in Bath",
    )
    relationship_create(actor=None, person=gus, other=ann, kind="custom", custom_label="coach")
    relationship_create(actor=None, person=ann, other=gus, kind="custom", custom_label="mentor")
    return found


def _ties() -> list[tuple[Any, ...]]:
    """Every relationship: who is what of whom, its label, since-date and notes."""
    rows = Relationship.objects.values_list(
        "from_person__given_name",
        "kind",
        "to_person__given_name",
        "custom_label",
        "since",
        "notes",
    )
    return sorted(rows)


EXPECTED = sorted(
    [
        ("Ann", "custom", "Gus", "mentor", None, ""),
        ("Ann", "parent", "Kit", "", None, ""),
        ("Ann", "spouse", "Ben", "", None, ""),
        ("Ben", "referred_by", "Gus", "", dt.date(2019, 3, 4), 'Met at the "Inn";\nsent him over'),
        ("Fay", "referred_by", "Ann", "", None, ""),
        ("Gus", "custom", "Ann", "coach", None, ""),
        ("Gus", "custom", "Ann", GODMOTHER, dt.date(2001, 5, 5), "Christening in Bath"),
    ]
)


def _erase() -> None:
    Relationship.objects.all().delete()
    Person.objects.all().delete()


def _import(tmp_path: Path, text: str) -> ImportBatch:
    path = tmp_path / "people.vcf"
    path.write_text(text, "utf-8")
    return import_run(actor=None, path=path)


def test_the_vcard_writes_referrals_and_custom_ties_as_goodwills_own_types(
    people: dict[str, Person],
) -> None:
    text = export_text("vcard")

    assert "RELATED;TYPE=x-goodwill-referred-by:" in text
    assert "RELATED;TYPE=x-goodwill-referred;X-GOODWILL-SINCE=20190304;X-GOODWILL-NOTE=" in text
    assert 'RELATED;TYPE=x-goodwill-custom;X-GOODWILL-LABEL="mentor":' in text
    assert 'RELATED;TYPE=x-goodwill-custom-of;X-GOODWILL-LABEL="mentor":' in text
    assert "X-GOODWILL-LABEL=\"Godmother ^'Gigi^', ^^1; of Bath\"" in text.replace("\r\n ", "")


def test_a_fresh_database_gets_back_every_tie_from_the_vcard(
    tmp_path: Path, people: dict[str, Person]
) -> None:
    assert _ties() == EXPECTED
    text = export_text("vcard")
    _erase()

    batch = _import(tmp_path, text)

    assert tuple(getattr(batch, f) for f in COUNTS) == (5, 0, 0, 0, 0, 0)
    assert _ties() == EXPECTED


def test_importing_the_vcard_again_adds_no_tie(tmp_path: Path, people: dict[str, Person]) -> None:
    text = export_text("vcard")
    _erase()
    _import(tmp_path, text)

    again = _import(tmp_path, text)

    assert tuple(getattr(again, f) for f in COUNTS) == (0, 0, 5, 0, 0, 0)
    assert _ties() == EXPECTED


def test_the_export_imported_where_everyone_is_adds_no_tie(
    tmp_path: Path, people: dict[str, Person]
) -> None:
    batch = _import(tmp_path, export_text("vcard"))

    assert tuple(getattr(batch, f) for f in COUNTS) == (0, 0, 5, 0, 0, 0)
    assert _ties() == EXPECTED


def test_vobject_reads_goodwills_own_ties(people: dict[str, Person]) -> None:
    cards = {card.fn.value: card for card in vobject.readComponents(export_text("vcard"))}
    uids = {name: card.uid.value for name, card in cards.items()}

    related = [
        (r.params["TYPE"], r.params.get("X-GOODWILL-LABEL"), r.value)
        for r in cards["Gus Harris"].contents["related"]
    ]

    assert related == [
        (["x-goodwill-referred-by"], None, uids["Ben Harris"]),
        (["x-goodwill-custom-of"], ["Godmother ^'Gigi^', ^^1; of Bath"], uids["Ann Harris"]),
        (["x-goodwill-custom-of"], ["coach"], uids["Ann Harris"]),
        (["x-goodwill-custom"], ["mentor"], uids["Ann Harris"]),
    ]


CARDS = """BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:aaaa
FN:Ada Lovelace
EMAIL:ada@example.com
RELATED;TYPE=x-other-mentor:urn:uuid:bbbb
RELATED;TYPE=x-goodwill-custom:urn:uuid:bbbb
RELATED;TYPE=x-goodwill-custom;X-GOODWILL-LABEL="{long}":urn:uuid:bbbb
RELATED;TYPE=x-goodwill-referred:urn:uuid:bbbb
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:bbbb
FN:Mary Somerville
EMAIL:mary@example.com
END:VCARD
""".replace("{long}", "x" * 61)


def test_a_tie_goodwill_cannot_keep_is_left_out_with_a_warning(tmp_path: Path) -> None:
    batch = _import(tmp_path, CARDS)

    assert (batch.created, batch.warning_count) == (2, 3)
    assert [(w["line"], w["message"]) for w in batch.warnings] == [
        (6, f"urn:uuid:bbbb: goodwill keeps no relationship of type x-other-mentor{WITHOUT}"),
        (7, f"urn:uuid:bbbb: a custom relationship without its label{WITHOUT}"),
        (8, f"urn:uuid:bbbb: a relationship label longer than 60 characters{WITHOUT}"),
    ]
    assert [
        (r.from_person.given_name, r.kind, r.to_person.given_name)
        for r in Relationship.objects.all()
    ] == [("Ada", "referred_by", "Mary")]
