"""goodwill's vCard brings back what its cards used to lose: each interest's own note, each
relationship's since-date and notes, and the households people live in (one household made once
for the cards that share its UID, with its name, address and notes). Importing the file again
changes nothing; a person in a household already is not moved; vobject still reads the file;
a bad value is left out with a warning naming its line and property, never costing the row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import vobject

from goodwill.accounts.models import AuditEntry
from goodwill.exchange.importer.run import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.people.models import (
    Household,
    Interest,
    Organisation,
    Person,
    PersonInterest,
    Relationship,
)
from goodwill.people.services import relationship_create
from goodwill.people.services.households import household_create, household_remove_member
from goodwill.people.services.interests import person_interest_add
from goodwill.people.services.relationships import relationship_update
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

COUNTS = ("state", "created", "updated", "unchanged", "skipped", "error_count", "warning_count")
HOME = {
    "name": "The Harrises",
    "street": "12 Harbour Rd; Flat 2",
    "locality": "Halifax",
    "region": "NS",
    "postal_code": "B3H 1A1",
    "country": "CA",
    "notes": 'Two dogs, "Bo" and Mo\nKey under the mat',
}
# What the import writes when people, ties or households change (the batch's own entries aside).
CHANGES = ("person_interest.", "relationship.", "household.", "person.update")


@pytest.fixture
def world() -> World:
    """The export world; Ann's interests have notes, she and Ben married in 2001 and live in
    one household, Eve alone in another."""
    w = make_world()
    for name, attitude, note in [
        ("Jazz", "likes", "loves Coltrane"),
        ("Storm chasing", "likes", "since 2019,\nevery autumn; \\ with Ben"),
        ("Cilantro", "dislikes", 'tastes of soap, "really"'),
    ]:
        person_interest_add(
            actor=None, person=w.ann, name=name, attitude=attitude, source="told_us", note=note
        )
    couple = Relationship.objects.get(kind="spouse")
    relationship_update(
        actor=None, relationship=couple, since=dt.date(2001, 5, 5), notes='met at school; "B"'
    )
    household_create(actor=None, member_ids=[w.ann.pk, w.ben.pk], **HOME)
    eve = make_person(given_name="Eve", family_name="Stone", emails=["eve@example.com"])
    household_create(actor=None, member_ids=[eve.pk], name="Eve's flat", country="GB")
    return w


def _erase() -> None:
    Relationship.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    Household.objects.all().delete()
    Interest.objects.all().delete()


def _import(tmp_path: Path, text: str, name: str = "people.vcf", **options: Any) -> ImportBatch:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return import_run(actor=None, path=path, **options)


def _notes() -> list[tuple[str, str, str, str]]:
    rows = PersonInterest.objects.values_list(
        "person__given_name", "interest__name", "attitude", "note"
    )
    return sorted(rows)


def _ties() -> list[tuple[str, str, str, dt.date | None, str]]:
    rows = Relationship.objects.values_list(
        "from_person__given_name", "kind", "to_person__given_name", "since", "notes"
    )
    return sorted(rows)


def _homes() -> list[tuple[Any, ...]]:
    """Each household's fields and its members' given names."""
    return sorted(
        (
            *(getattr(h, f) for f in HOME),
            sorted(h.members.values_list("given_name", flat=True)),
        )
        for h in Household.objects.all()
    )


def _state() -> tuple[Any, ...]:
    return (_notes(), _ties(), _homes(), sorted(Household.objects.values_list("id", flat=True)))


def _changes(after: int) -> list[str]:
    """The actions of the audit entries after ``after`` that change a person, tie or household."""
    actions = AuditEntry.objects.filter(id__gt=after).values_list("action", flat=True)
    return [a for a in actions if a.startswith(CHANGES)]


def _last_audit() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


ANN = 'Ann "Annie"'
EXPECTED_NOTES = [
    (ANN, "Cilantro", "dislikes", 'tastes of soap, "really"'),
    (ANN, "Jazz", "likes", "loves Coltrane"),
    (ANN, "Storm chasing", "likes", "since 2019,\nevery autumn; \\ with Ben"),
]
EXPECTED_HOMES = [
    ("Eve's flat", "", "", "", "", "GB", "", ["Eve"]),
    (*HOME.values(), [ANN, "Ben"]),
]


def test_vcard_brings_back_interest_notes_ties_and_households_into_an_empty_database(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    _erase()

    batch = _import(tmp_path, text)

    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 4, 0, 0, 0, 0, 0)
    assert _notes() == EXPECTED_NOTES
    (couple,) = [t for t in _ties() if t[1] == "spouse"]
    assert couple[3:] == (dt.date(2001, 5, 5), 'met at school; "B"')
    assert _homes() == EXPECTED_HOMES


def test_importing_the_vcard_again_changes_nothing(tmp_path: Path, world: World) -> None:
    text = export_text("vcard")
    _erase()
    _import(tmp_path, text)
    before, last = _state(), _last_audit()

    again = _import(tmp_path, text)

    # Cleo, with no email or phone, is a possible duplicate of herself: left out.
    assert tuple(getattr(again, f) for f in COUNTS) == ("done", 0, 0, 3, 1, 0, 0)
    assert _state() == before
    assert _changes(last) == []
    assert (_notes(), _homes()) == (EXPECTED_NOTES, EXPECTED_HOMES)


def test_the_export_imported_where_it_came_from_puts_back_only_what_is_missing(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    before, last = _state(), _last_audit()
    batch = _import(tmp_path, text)
    # Cleo, with no email or phone, is found by her card's UID: unchanged too.
    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 0, 0, 4, 0, 0, 0)
    assert (_state(), _changes(last)) == (before, [])
    household_remove_member(actor=None, person=Person.objects.get(given_name="Ben"))
    relationship_update(
        actor=None, relationship=Relationship.objects.get(kind="spouse"), since=None
    )
    last = _last_audit()

    _import(tmp_path, text)

    # Ben is back in the household (no second one is made) and the tie has its since-date again,
    # each noted once in the audit log with what it counts.
    assert _state() == before
    entries = AuditEntry.objects.filter(id__gt=last).order_by("id")
    assert [(e.action, e.changes) for e in entries if e.action.startswith(CHANGES)] == [
        (
            "relationship.bulk_update",
            {"relationships": [None, 1], "since": [None, 1], "notes": [None, 0]},
        ),
        ("household.bulk_join", {"households": [None, 0], "members": [None, 1]}),
    ]


def test_update_empty_fills_an_empty_tie_and_moves_nobody_out_of_a_household(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    _erase()
    ann = make_person(given_name=ANN, family_name="Harris", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    eve = make_person(given_name="Eve", family_name="Stone", emails=["eve@example.com"])
    relationship_create(actor=None, person=ben, other=ann, kind="spouse", notes="our note")
    household_create(actor=None, member_ids=[ben.pk], name="Ben's boat")
    household_create(actor=None, member_ids=[eve.pk], name="Eve's own")
    person_interest_add(actor=None, person=ann, name="jazz", source="told_us", note="")

    batch = _import(tmp_path, text, dedupe="update-empty")

    # Cleo is new; Eve's card adds nothing to her (the household she is in stays hers).
    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 1, 2, 1, 0, 0, 0)
    (couple,) = [t for t in _ties() if t[1] == "spouse"]
    assert couple[3:] == (dt.date(2001, 5, 5), "our note")  # the empty since filled, only
    # Ben stays on his boat, and Ann, in no household, joins him there; Eve stays in hers.
    assert [(h[0], h[-1]) for h in _homes()] == [
        ("Ben's boat", [ANN, "Ben"]),
        ("Eve's own", ["Eve"]),
    ]
    # The interest Ann had keeps its note; those the import adds come with theirs.
    assert _notes() == [
        (ANN, "Cilantro", "dislikes", 'tastes of soap, "really"'),
        (ANN, "Storm chasing", "likes", "since 2019,\nevery autumn; \\ with Ben"),
        (ANN, "jazz", "likes", ""),
    ]


def test_overwrite_replaces_no_ties_date_nor_interests_note_and_moves_nobody(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    _erase()
    ann = make_person(given_name=ANN, family_name="Harris", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    relationship_create(actor=None, person=ann, other=ben, kind="spouse", since=dt.date(1999, 1, 1))
    household_create(actor=None, member_ids=[ann.pk], name="Ann's own")
    person_interest_add(actor=None, person=ann, name="Jazz", source="told_us", note="by hand")

    _import(tmp_path, text, dedupe="overwrite")

    (couple,) = [t for t in _ties() if t[1] == "spouse"]
    assert couple[3:] == (dt.date(1999, 1, 1), 'met at school; "B"')  # the empty notes filled
    assert [(h[0], h[-1]) for h in _homes()] == [
        ("Ann's own", [ANN, "Ben"]),
        ("Eve's flat", ["Eve"]),
    ]
    assert (ANN, "Jazz", "likes", "by hand") in _notes()


def test_a_skipped_persons_household_is_the_one_the_others_join(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    _erase()
    ann = make_person(given_name=ANN, family_name="Harris", emails=["ann@example.com"])
    household_create(actor=None, member_ids=[ann.pk], name="Ann's")

    batch = _import(tmp_path, text, dedupe="skip")

    assert (batch.created, batch.skipped) == (3, 1)
    assert [(h[0], h[-1]) for h in _homes()] == [("Ann's", [ANN, "Ben"]), ("Eve's flat", ["Eve"])]


def test_vobject_reads_the_notes_the_ties_and_the_household(world: World) -> None:
    cards = {c.fn.value.split()[0]: c for c in vobject.readComponents(export_text("vcard"))}
    ann, ben, eve = cards["Ann"], cards["Ben"], cards["Eve"]

    notes = {n.params["X-GOODWILL-INTEREST"][0]: n.value for n in ann.contents["x-goodwill-note"]}
    assert notes == {
        "Cilantro": 'tastes of soap, "really"',
        "Jazz": "loves Coltrane",
        "Storm chasing": "since 2019,\nevery autumn; \\ with Ben",
    }
    spouse = ann.contents["related"][0]
    assert spouse.value == ben.uid.value
    assert spouse.params["X-GOODWILL-SINCE"] == ["20010505"]
    assert spouse.params["X-GOODWILL-NOTE"] == ["met at school; ^'B^'"]  # RFC 6868 escaped
    homes = [c.contents["x-goodwill-household"][0] for c in (ann, ben, eve)]
    assert homes[0].params["X-GOODWILL-UID"] == homes[1].params["X-GOODWILL-UID"]
    assert homes[0].params["X-GOODWILL-UID"] != homes[2].params["X-GOODWILL-UID"]
    assert homes[0].value.startswith("The Harrises;12 Harbour Rd")
    assert "x-goodwill-household" not in cards['=HYPERLINK("http://x")'].contents


BAD = """BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:a
FN:Ann Bad
N:Bad;Ann;;;
EMAIL:ann@bad.example
CATEGORIES:Jazz,Opera
RELATED;TYPE=spouse;X-GOODWILL-SINCE=2001-13-45;X-GOODWILL-NOTE="met at school":urn:uuid:b
X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=h1:The Bads;1 Elm St;;;;Canada;
X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Jazz:{long}
X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Golf:not one of hers
X-GOODWILL-NOTE;X-GOODWILL-INTEREST=Opera:at the Met
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:b
FN:Ben Bad
N:Bad;Ben;;;
EMAIL:ben@bad.example
X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=h2:;2 Elm St;;;;;
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Cy Bad
N:Bad;Cy;;;
EMAIL:cy@bad.example
X-GOODWILL-HOUSEHOLD;X-GOODWILL-UID=h1:The Bads;;;;;;
END:VCARD
""".replace("{long}", "x" * 501)


def test_bad_values_are_left_out_with_a_warning_naming_line_and_property(
    tmp_path: Path,
) -> None:
    dry = _import(tmp_path, BAD, "bad.vcf", dry_run=True)
    batch = _import(tmp_path, BAD, "bad.vcf")

    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 3, 0, 0, 0, 0, 6)
    found = [(w["line"], w["column"], w["message"]) for w in batch.warnings]
    assert found == [
        (8, "RELATED", "2001-13-45 is not a since-date such as 20010505; imported without it."),
        (
            9,
            "X-GOODWILL-HOUSEHOLD",
            "Canada is not a two-letter country code such as CA; imported without it.",
        ),
        (
            10,
            "X-GOODWILL-NOTE",
            "The note of “Jazz” is longer than 500 characters; imported without it.",
        ),
        (
            11,
            "X-GOODWILL-NOTE",
            "The note of “Golf”, which is not an interest of the card; imported without it.",
        ),
        (
            20,
            "X-GOODWILL-HOUSEHOLD",
            '"" is not a household name of 1 to 200 characters; imported without it.',
        ),
        (
            27,
            "X-GOODWILL-HOUSEHOLD",
            "X-GOODWILL-HOUSEHOLD is read only on a card with a UID; imported without it.",
        ),
    ]
    assert [(w["line"], w["column"]) for w in dry.warnings] == [(w[0], w[1]) for w in found]
    # Each row, its tie, its other interests and the household's good parts are imported.
    assert _ties() == [("Ann", "spouse", "Ben", None, "met at school")]
    assert _notes() == [
        ("Ann", "Jazz", "likes", f"bad.vcf, import {batch.pk}"),
        ("Ann", "Opera", "likes", "at the Met"),
    ]
    assert _homes() == [("The Bads", "1 Elm St", "", "", "", "", "", ["Ann"])]


def test_a_liked_interests_note_is_listed_as_left_out_when_categories_become_tags(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    _erase()

    batch = _import(tmp_path, text, categories="tags")

    # The likes are tags now, with no note to hold; the dislike keeps its note.
    left_out = sorted(w["message"] for w in batch.warnings if w["column"] == "X-GOODWILL-NOTE")
    assert len(left_out) == 2
    assert all("a category not imported as an interest" in m for m in left_out)
    assert [n[1:] for n in _notes()] == [("Cilantro", "dislikes", 'tastes of soap, "really"')]
