"""People as vCard 4.0: every field read back intact by vobject."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import vobject

from goodwill.exchange.export.selectors import Chunk
from goodwill.exchange.export.vcard import fold, person_card, person_uid
from goodwill.exchange.tests.export_world import World, export_text, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def cards() -> list[Any]:
    return list(vobject.readComponents(export_text("vcard")))


def values(card: Any, name: str) -> list[Any]:
    return [line.value for line in card.contents.get(name.lower(), [])]


def test_vobject_reads_back_every_field_of_a_person(world: World) -> None:
    ann = cards()[0]
    assert values(ann, "VERSION") == ["4.0"]
    assert values(ann, "UID") == [person_uid(world.ann.pk)]
    assert values(ann, "FN") == ['Ann "Annie" Harris, Jr.\nof Halifax']
    assert (ann.n.value.family, ann.n.value.given) == ("Harris, Jr.\nof Halifax", 'Ann "Annie"')
    assert values(ann, "NICKNAME") == ["Annie"]
    assert values(ann, "EMAIL") == ["ann@example.com", "ann.harris@work.example"]
    assert [e.params for e in ann.contents["email"]] == [{"PREF": ["1"]}, {}]
    assert values(ann, "TEL") == ["tel:+19025550101", "tel:+19025550102"]
    assert ann.tel.params == {"VALUE": ["uri"], "PREF": ["1"]}
    adr = ann.adr.value
    assert (adr.street, adr.city, adr.region, adr.code, adr.country) == (
        "12 Harbour Rd\nFlat 2",
        "Halifax",
        "NS",
        "B3H 1A1",
        "CA",
    )
    assert values(ann, "ORG") == [["Harbour Inn"]]
    assert values(ann, "TITLE") == ["Night manager"]
    assert values(ann, "NOTE") == ["Prefers the sea view; allergic to nuts"]
    assert values(ann, "CATEGORIES") == [["Jazz", "Storm chasing"]]
    assert values(ann, "BDAY") == ["--0412"]
    assert values(ann, "ANNIVERSARY") == ["20150620"]
    assert values(ann, "X-GOODWILL-ROLE") == ["guest", "staff"]
    assert values(ann, "X-GOODWILL-DISLIKE") == ["Cilantro"]
    assert values(ann, "X-GOODWILL-SOURCE") == ["told_us"]
    rev = world.ann.updated_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert values(ann, "REV") == [rev]


def test_a_feb_29_birthday_keeps_its_year_and_the_couple_shares_the_anniversary(
    world: World,
) -> None:
    ben = cards()[1]
    assert values(ben, "FN") == ["Ben Harris"]
    assert values(ben, "BDAY") == ["19920229"]
    assert values(ben, "ANNIVERSARY") == ["20150620"]
    assert "adr" not in ben.contents


def test_it_writes_one_card_per_person_with_crlf_lines_and_a_stable_uid(world: World) -> None:
    text = export_text("vcard")
    assert text.count("BEGIN:VCARD\r\n") == 3
    assert text.replace("\r\n", "").count("\n") == 0
    assert export_text("vcard").count(f"UID:{person_uid(world.ann.pk)}\r\n") == 1
    assert person_uid(world.ann.pk) == person_uid(world.ann.pk)
    assert person_uid(world.ann.pk) != person_uid(world.ben.pk)


def test_labels_become_types_and_long_lines_fold_between_characters() -> None:
    now = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    name = "Zoë " + "Ñandú" * 30
    person = (7, name, "Łódź", "", "", "", "", "", "", "", "", "", "form", None, None, now, now)
    chunk = Chunk(
        people=[person],
        emails={7: [(7, "z@example.com", "Work", True), (7, "z@home.example", 'my "own"', False)]},
        phones={7: [(7, "+33612345678", "mobile", True)]},
    )
    card_text = person_card(person, chunk)
    assert all(len(line.encode()) <= 75 for line in card_text.split("\r\n"))
    card = vobject.readOne(card_text)
    assert card.fn.value == name + " Łódź"
    # RFC 6868: the label's double quotes as ^' (vobject leaves the escape as written).
    assert [e.params.get("TYPE") for e in card.contents["email"]] == [["work"], ["my ^'own^'"]]
    assert card.tel.params == {"VALUE": ["uri"], "TYPE": ["cell"], "PREF": ["1"]}
    assert card.rev.value == "20250102T030405Z"


def test_fold_leaves_short_lines_alone() -> None:
    assert fold("FN:Ann") == "FN:Ann\r\n"
    assert fold("NOTE:" + "x" * 80) == "NOTE:" + "x" * 70 + "\r\n " + "x" * 10 + "\r\n"
