"""goodwill's own exports come back whole where people are tied to others: every organisation
with its own job title (vCard and CSV), and, from the vCard, the couple with their one wedding
anniversary, the other relationships its cards name (``RELATED``), and each date's note and
lead time. Importing the export again adds nothing; a dry run counts what the real run does; a
RELATED that names no card of the file is left out with a warning and never costs the row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vobject
from django.db import connection

from goodwill.exchange.export.selectors import ExportFilters
from goodwill.exchange.importer.run import import_run
from goodwill.exchange.models import DeferredIndex, ImportBatch
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create, occasion_update
from goodwill.people.models import Membership, Organisation, Person, Relationship
from goodwill.people.services import membership_set, organisation_create, relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

COUNTS = ("state", "created", "updated", "unchanged", "skipped", "error_count", "warning_count")


@pytest.fixture
def world() -> World:
    """The export world, Ann also treasurer of the co-op, and Kit, Ann's child."""
    w = make_world()
    coop = organisation_create(actor=None, name="Harbour Co-op")
    membership_set(actor=None, person=w.ann, organisation=coop, job_title="Treasurer")
    kit = make_person(given_name="Kit", family_name="Harris")
    relationship_create(actor=None, person=w.ann, other=kit, kind="parent")
    return w


def _work() -> dict[str, list[tuple[str, str]]]:
    return {
        p.given_name: list(
            Membership.objects.filter(person=p)
            .order_by("organisation__name")
            .values_list("organisation__name", "job_title")
        )
        for p in Person.objects.order_by("id")
    }


def _ties() -> list[tuple[str, str, str]]:
    rows = Relationship.objects.values_list(
        "from_person__given_name", "kind", "to_person__given_name"
    )
    return sorted(rows)


def _dates() -> list[tuple[Any, ...]]:
    """Every occasion but the birthdays: whose (a person's name, or "couple") and when."""
    rows = Occasion.objects.exclude(kind="birthday").values_list(
        "person__given_name", "relationship_id", "kind", "label", "year", "month", "day"
    )
    return sorted((name or "couple", *rest) for name, _rel, *rest in rows)


def _erase() -> None:
    Relationship.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def _import(tmp_path: Path, text: str, name: str, **options: Any) -> ImportBatch:
    return import_run(actor=None, path=_write(tmp_path / name, text), **options)


COUPLE = [("couple", "wedding_anniversary", "", 2015, 6, 20)]


def _expected_ties() -> list[tuple[str, str, str]]:
    """Ann is Kit's parent; Ann and Ben are a couple (stored lower id first)."""
    ann, ben = (Person.objects.get(given_name=n) for n in ('Ann "Annie"', "Ben"))
    first, second = sorted([ann, ben], key=lambda p: p.pk)
    return sorted(
        [(ann.given_name, "parent", "Kit"), (first.given_name, "spouse", second.given_name)]
    )


def test_vcard_brings_back_every_organisation_the_couple_and_their_one_wedding(
    tmp_path: Path, world: World
) -> None:
    work = _work()
    assert work['Ann "Annie"'] == [("Harbour Co-op", "Treasurer"), ("Harbour Inn", "Night manager")]
    text = export_text("vcard")
    _erase()

    batch = _import(tmp_path, text, "people.vcf")

    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 4, 0, 0, 0, 0, 0)
    assert _work() == {name: orgs for name, orgs in work.items() if name != "Dan"}
    assert _ties() == _expected_ties()
    assert _dates() == COUPLE  # one occasion of the couple, none of either spouse
    (wedding,) = Occasion.objects.filter(kind="wedding_anniversary")
    assert wedding.relationship is not None
    assert wedding.relationship.kind == "spouse"


def test_importing_the_vcard_again_adds_nothing(tmp_path: Path, world: World) -> None:
    text = export_text("vcard")
    _erase()
    _import(tmp_path, text, "people.vcf")
    before = (_work(), _ties(), _dates(), Organisation.objects.count())

    again = _import(tmp_path, text, "people.vcf")

    # Cleo and Kit, who have no email or phone, are possible duplicates of themselves: left
    # out, and so is Ann's link to Kit's card, without a warning (Kit is linked already).
    assert tuple(getattr(again, f) for f in COUNTS) == ("done", 0, 0, 2, 2, 0, 0)
    assert (_work(), _ties(), _dates(), Organisation.objects.count()) == before


def test_the_export_imported_where_everyone_is_adds_nothing(tmp_path: Path, world: World) -> None:
    before = (_work(), _ties(), _dates())

    batch = _import(tmp_path, export_text("vcard"), "people.vcf")

    # Cleo and Kit, who have no email or phone, are found by their cards' UIDs: unchanged too.
    assert tuple(getattr(batch, f) for f in COUNTS) == ("done", 0, 0, 4, 0, 0, 0)
    assert (_work(), _ties(), _dates()) == before


def test_a_dry_run_counts_what_the_import_does(tmp_path: Path, world: World) -> None:
    text = export_text("vcard").replace(
        "RELATED;TYPE=child:", "RELATED;TYPE=child:urn:uuid:0000-gone\r\nRELATED;TYPE=child:", 1
    )
    _erase()

    dry = _import(tmp_path, text, "people.vcf", dry_run=True)
    assert (Person.objects.count(), Relationship.objects.count()) == (0, 0)
    real = _import(tmp_path, text, "people.vcf")

    assert [getattr(dry, f) for f in COUNTS[1:]] == [getattr(real, f) for f in COUNTS[1:]]
    assert (real.created, real.warning_count) == (4, 1)
    assert [(w["line"], w["column"]) for w in dry.warnings] == [
        (w["line"], w["column"]) for w in real.warnings
    ]


def test_an_organisation_the_person_is_in_is_not_added_twice_and_the_other_is(
    tmp_path: Path, world: World
) -> None:
    text = export_text("vcard")
    _erase()
    ann = make_person(given_name='Ann "Annie"', emails=["ann@example.com"])
    inn = organisation_create(actor=None, name="harbour inn")  # matched by its folded name
    membership_set(actor=None, person=ann, organisation=inn, job_title="Cook")

    batch = _import(tmp_path, text, "people.vcf")

    assert (batch.created, batch.updated) == (3, 1)
    assert _work()['Ann "Annie"'] == [("Harbour Co-op", "Treasurer"), ("harbour inn", "Cook")]
    assert Organisation.objects.count() == 2


def test_csv_brings_back_every_organisation_with_its_own_title(
    tmp_path: Path, world: World
) -> None:
    work = _work()
    text = export_text("csv")
    _erase()

    batch = _import(tmp_path, text, "people.csv")
    again = _import(tmp_path, text, "people.csv")

    assert (batch.created, batch.warning_count) == (4, 0)
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 2, 2)
    assert _work() == {name: orgs for name, orgs in work.items() if name != "Dan"}
    assert Organisation.objects.count() == 2


def test_vobject_reads_the_related_cards_and_the_couples_date(world: World) -> None:
    cards = list(vobject.readComponents(export_text("vcard")))
    uids = {card.fn.value: card.uid.value for card in cards}
    ann, ben = cards[0], cards[1]
    assert [(r.params["TYPE"], r.value) for r in ann.contents["related"]] == [
        (["spouse"], uids["Ben Harris"]),
        (["child"], uids["Kit Harris"]),
    ]
    assert ben.anniversary.value == "20150620"
    assert ben.anniversary.params["X-GOODWILL-SPOUSE"] == [uids[ann.fn.value][9:]]
    assert [(g.group, g.value) for g in ann.contents["org"]] == [
        ("org1", ["Harbour Inn"]),
        ("org2", ["Harbour Co-op"]),
    ]


CARDS = """BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:aaaa
FN:Ada Lovelace
N:Lovelace;Ada;;;
ANNIVERSARY;X-GOODWILL-SPOUSE=cccc:19350708
RELATED;TYPE=spouse:urn:uuid:cccc
RELATED;TYPE=contact:urn:uuid:bbbb
RELATED;VALUE=text;TYPE=friend:Mary Somerville
RELATED;TYPE=friend:
END:VCARD
BEGIN:VCARD
VERSION:4.0
UID:urn:uuid:bbbb
FN:Charles Babbage
N:Babbage;Charles;;;
RELATED;TYPE=friend,co-worker:URN:UUID:AAAA
END:VCARD
"""


def test_a_related_naming_no_card_of_the_file_is_a_warning_and_the_row_stays(
    tmp_path: Path,
) -> None:
    batch = _import(tmp_path, CARDS, "cards.vcf")

    assert (batch.created, batch.error_count) == (2, 0)
    # Each RELATED left out is listed on its own line; the spouse that is not in the file,
    # found once the whole file is read, on its RELATED's line too.
    assert [(w["line"], w["column"]) for w in batch.warnings] == [
        (8, "RELATED"),
        (9, "RELATED"),
        (10, "RELATED"),
        (7, "RELATED"),
    ]
    assert [w["message"] for w in batch.warnings] == [
        "urn:uuid:bbbb: goodwill keeps no relationship of type contact; imported without it.",
        "Mary Somerville does not name another card by its UID; imported without it.",
        '"" does not name another card by its UID; imported without it.',
        "cccc is not the UID of a card imported from this file; imported without it.",
    ]
    # Charles names Ada a friend and a co-worker: the closer tie is the one kept.
    assert _ties() == [("Ada", "friend", "Charles")]
    # The spouse is not in the file: the wedding stays Ada's own anniversary.
    assert _dates() == [("Ada", "anniversary", "Anniversary", 1935, 7, 8)]


@pytest.mark.usefixtures("defer_early")
def test_a_large_import_that_defers_its_indexes_links_the_couples(tmp_path: Path) -> None:
    inn, mill = (organisation_create(actor=None, name=name) for name in ("Inn", "Mill"))
    for i in range(30):  # the spouses 30 cards apart: one of each couple before the deferral
        one = make_person(given_name=f"One{i}", family_name="Pair", emails=[f"one{i}@example.com"])
        membership_set(actor=None, person=one, organisation=inn, job_title=f"Cook {i}")
        membership_set(actor=None, person=one, organisation=mill, job_title=f"Miller {i}")
    for i in range(30):
        one = Person.objects.get(given_name=f"One{i}")
        two = make_person(given_name=f"Two{i}", family_name="Pair", emails=[f"two{i}@example.com"])
        couple = relationship_create(actor=None, person=one, other=two, kind="spouse")
        occasion_create(
            actor=None, kind="wedding_anniversary", month=5, day=i % 28 + 1, relationship=couple
        )
    text = export_text("vcard")
    before = (_ties(), _dates(), _work())
    assert len(before[0]) == len(before[1]) == 30
    _erase()
    deferred: list[bool] = []

    batch = import_run(
        actor=None,
        path=_write(tmp_path / "people.vcf", text),
        chunk=10,
        progress=lambda _rows, _total: deferred.append(DeferredIndex.objects.exists()),
    )

    assert any(deferred) == (connection.vendor == "sqlite")
    assert not DeferredIndex.objects.exists()
    assert (batch.created, batch.warning_count) == (60, 0)
    assert (_ties(), _dates(), _work()) == before
    assert _work()["One29"] == [("Inn", "Cook 29"), ("Mill", "Miller 29")]


def _notes() -> list[tuple[Any, ...]]:
    """Every occasion's note and own lead time, by whose it is and its kind and label."""
    rows = Occasion.objects.values_list("person__given_name", "kind", "label", "note", "lead_days")
    return sorted((name or "couple", *rest) for name, *rest in rows)


def test_vcard_brings_back_each_dates_note_and_lead_time(tmp_path: Path, world: World) -> None:
    for occasion in Occasion.objects.all():
        occasion_update(
            actor=None, occasion=occasion, note=f"Flowers; {occasion.kind}\nno lilies", lead_days=9
        )
    occasion_create(
        actor=None, kind="anniversary", label="First stay", month=9, day=14, person=world.ben
    )
    before = _notes()
    assert len(before) == 4
    text = export_text("vcard")
    assert "X-GOODWILL-NOTE;X-GOODWILL-FOR=BDAY:Flowers\\; birthday\\nno lilies\r\n" in text
    assert "item1.X-GOODWILL-NOTE" not in text.split("FN:Ben")[1].split("END:VCARD")[0]
    _erase()

    batch = _import(tmp_path, text, "people.vcf")

    assert (batch.created, batch.warning_count) == (4, 0)
    after = _notes()
    # Ben's "First stay" had no note: an imported date without one is noted with the import.
    assert after == [
        ("Ben", "anniversary", "First stay", f"people.vcf, import {batch.pk}", None)
        if row[:3] == ("Ben", "anniversary", "First stay")
        else row
        for row in before
    ]
    card = next(c for c in vobject.readComponents(text) if c.fn.value == "Ben Harris")
    assert card.bday.params["X-GOODWILL-LEAD"] == ["9"]
    assert [n.value for n in card.contents["x-goodwill-note"]] == [
        "Flowers; birthday\nno lilies",
        "Flowers; wedding_anniversary\nno lilies",
    ]


@pytest.mark.parametrize("lead", ["400", "²", "9" * 5000])
def test_a_lead_time_goodwill_cannot_keep_is_a_warning(tmp_path: Path, lead: str) -> None:
    """Too long, a digit int() refuses, or a number too big to read: the date stays."""
    card = f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lee\r\nBDAY;X-GOODWILL-LEAD={lead}:19350708\r\n"
    batch = _import(tmp_path, card + "END:VCARD\r\n", "ada.vcf")

    assert (batch.created, batch.error_count) == (1, 0)
    # On the BDAY's own line (4), as the date's other warnings.
    assert [(w["line"], w["column"], w["message"]) for w in batch.warnings] == [
        (
            4,
            "X-GOODWILL-LEAD",
            f"{lead[:20]} is not a lead time from 0 to 365 days; imported without it.",
        )
    ]
    assert list(Occasion.objects.values_list("kind", "lead_days")) == [("birthday", None)]


def test_a_filtered_export_links_only_the_people_it_holds(tmp_path: Path, world: World) -> None:
    text = export_text("vcard", ExportFilters(role="guest"))  # Ann only, not Ben nor Kit
    assert "RELATED" not in text
    assert "ANNIVERSARY;X-GOODWILL-SPOUSE=" in text
    _erase()

    batch = _import(tmp_path, text, "guests.vcf")

    # Without Ben's card the wedding comes back as Ann's own anniversary, as it always did.
    assert (batch.created, batch.warning_count, _ties()) == (1, 0, [])
    assert _dates() == [('Ann "Annie"', "anniversary", "Anniversary", 2015, 6, 20)]
