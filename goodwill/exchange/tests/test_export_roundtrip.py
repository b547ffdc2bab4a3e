"""What goodwill exports it imports again: every person's facts, tags included, come back from its
own vCard and CSV files into an empty database (the vCard's couple with their wedding; from the
CSV, the wedding anniversary without the spouse)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import vobject

from goodwill.exchange.importer.run import import_run
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Membership, Person, PersonInterest, Relationship
from goodwill.people.services import membership_set, organisation_create
from goodwill.people.services.persons import person_update
from goodwill.people.services.tags import person_tags_add
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db

WEDDING = ("anniversary", "Anniversary", 2015, 6, 20)
TAGS = ["-5% club", "VIP", "Wholesale, retail"]  # Eve's, by key


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def eve(world: World) -> Person:
    """Every kind of fact: labelled contacts, language, time zone, roles, likes, dislikes, an
    organisation and each kind of dated occasion, with and without a year."""
    eve = make_person(
        given_name="Eve",
        family_name="Moreau",
        emails=["eve@example.com"],
        roles=["supplier", "partner"],
        language="fr-CA",
        time_zone="America/Halifax",
        locality="Lunenburg",
        country="CA",
        notes="Brings cheese on Fridays",
    )
    person_update(
        actor=None,
        person=eve,
        emails=["eve@example.com", "eve@desk.example"],
        phones=["+1 902 555 0199", "+1 902 555 0198"],
        labels={
            "eve@desk.example": "Front desk",
            "+19025550199": "mobile",
            "+19025550198": "Night line",
        },
    )
    give_interests(eve, "Sailing", "Rock, paper")  # a comma inside one interest
    give_interests(eve, "Karaoke", "Olives; green", attitude="dislikes")
    # A comma inside one tag, and one a spreadsheet would run as a formula.
    person_tags_add(actor=None, person=eve, names=["VIP", "Wholesale, retail", "-5% club"])
    shop = organisation_create(actor=None, name="Moreau Fromagerie")
    membership_set(actor=None, person=eve, organisation=shop, job_title="Owner")
    occasion_create(actor=None, kind="birthday", year=1980, month=3, day=22, person=eve)
    occasion_create(actor=None, kind="anniversary", label="First stay", month=9, day=14, person=eve)
    occasion_create(
        actor=None, kind="anniversary", label="Anniversary", year=2001, month=5, day=5, person=eve
    )
    occasion_create(
        actor=None, kind="custom", label="Shop opening", year=2010, month=10, day=1, person=eve
    )
    return eve


def facts(person: Person) -> dict[str, Any]:
    """Everything an export carries about ``person``, in a stable order."""
    interests = person.interests.order_by("interest__key")
    return {
        "names": (person.given_name, person.family_name, person.preferred_name),
        "address": (person.street, person.locality, person.region, person.postal_code),
        "country": person.country,
        "locale": (person.language, person.time_zone),
        "notes": person.notes,
        "emails": list(person.emails.order_by("-is_primary", "id").values_list("email", "label")),
        "phones": list(person.phones.order_by("-is_primary", "id").values_list("e164", "label")),
        "work": list(
            Membership.objects.filter(person=person).values_list("organisation__name", "job_title")
        ),
        "likes": list(interests.filter(attitude="likes").values_list("interest__name", flat=True)),
        "dislikes": list(
            interests.filter(attitude=PersonInterest.Attitude.DISLIKES).values_list(
                "interest__name", flat=True
            )
        ),
        "roles": sorted(person.roles.values_list("role", flat=True)),
        "tags": list(person.tag_links.order_by("tag__key").values_list("tag__name", flat=True)),
        "occasions": sorted(
            Occasion.objects.filter(person=person).values_list(
                "kind", "label", "year", "month", "day"
            ),
            key=lambda o: (o[0], o[3], o[4], o[1]),
        ),
    }


def everyone() -> dict[str, dict[str, Any]]:
    return {p.given_name: facts(p) for p in Person.objects.filter(archived_at__isnull=True)}


def reimport(tmp_path: Path, text: str, name: str) -> dict[str, dict[str, Any]]:
    """Empty the database of people, import ``text`` and return what everyone holds."""
    path = tmp_path / name
    path.write_text(text, "utf-8")
    Relationship.objects.all().delete()
    Person.objects.all().delete()
    batch = import_run(actor=None, path=path)
    assert (batch.state, batch.error_count, batch.warning_count) == ("done", 0, 0)
    assert batch.created == 4  # Dan is archived, so not exported
    return everyone()


def with_wedding(before: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What comes back of the couple's wedding: a dated anniversary of each, no spouse."""
    for name in ('Ann "Annie"', "Ben"):
        before[name]["occasions"] = sorted(
            [*before[name]["occasions"], WEDDING], key=lambda o: (o[0], o[3], o[4], o[1])
        )
    return before


def test_vcard_brings_back_every_fact_of_every_person(
    tmp_path: Path, world: World, eve: Person
) -> None:
    before = everyone()
    assert before["Eve"]["occasions"] == [
        ("anniversary", "Anniversary", 2001, 5, 5),
        ("anniversary", "First stay", None, 9, 14),
        ("birthday", "", 1980, 3, 22),
        ("custom", "Shop opening", 2010, 10, 1),
    ]
    after = reimport(tmp_path, export_text("vcard"), "people.vcf")
    assert after == before
    assert after['Ann "Annie"']["occasions"] == [("birthday", "", None, 4, 12)]
    assert after["Eve"]["emails"] == [("eve@example.com", ""), ("eve@desk.example", "Front desk")]
    assert after["Eve"]["locale"] == ("fr-CA", "America/Halifax")
    assert after["Eve"]["tags"] == TAGS
    assert after["Eve"]["likes"] == ["Rock, paper", "Sailing"]
    (couple,) = Relationship.objects.values_list(
        "from_person__given_name", "to_person__given_name", "kind"
    )
    assert sorted(couple[:2]) == ['Ann "Annie"', "Ben"]
    assert couple[2] == "spouse"
    assert list(
        Occasion.objects.filter(relationship__isnull=False).values_list(
            "kind", "year", "month", "day"
        )
    ) == [("wedding_anniversary", 2015, 6, 20)]


def test_csv_brings_back_every_fact_and_each_dates_kind(
    tmp_path: Path, world: World, eve: Person
) -> None:
    # Typed with its own quote: the export adds one, which the import takes off again.
    person_update(actor=None, person=eve, notes="'=1 is not a sum", preferred_name="'-Evie")
    before = with_wedding(everyone())
    assert (before["Eve"]["notes"], before["Eve"]["names"][2]) == ("'=1 is not a sum", "'-Evie")
    # "Goodwill Event Kinds" tells the custom date "Shop opening" from the anniversaries.
    assert ("custom", "Shop opening", 2010, 10, 1) in before["Eve"]["occasions"]
    after = reimport(tmp_path, export_text("csv"), "people.csv")
    assert after == before
    assert after['=HYPERLINK("http://x")']["names"] == (
        '=HYPERLINK("http://x")',
        "@SUM(A1)",
        "-2+3",
    )
    assert after["Ben"]["occasions"] == [WEDDING, ("birthday", "", 1992, 2, 29)]
    assert (after["Eve"]["tags"], after["Eve"]["likes"]) == (TAGS, ["Rock, paper", "Sailing"])


def test_a_fourth_event_shares_the_third_csv_slot_and_still_comes_back(
    tmp_path: Path, world: World, eve: Person
) -> None:
    occasion_create(actor=None, kind="anniversary", label="Retired", month=12, day=31, person=eve)
    text = export_text("csv")
    eve_row = next(
        r for r in csv.DictReader(io.StringIO(text, newline="")) if r["First Name"] == "Eve"
    )
    assert [eve_row[f"Event {i} - {part}"] for i in (1, 2, 3) for part in ("Label", "Value")] == [
        "Anniversary",
        "2001-05-05",
        "First stay",
        "'--09-14",
        "Retired ::: Shop opening",
        "'--12-31 ::: 2010-10-01",
    ]
    after = reimport(tmp_path, text, "people.csv")["Eve"]["occasions"]
    assert (
        eve_row["Goodwill Event Kinds"] == "anniversary ::: anniversary ::: anniversary ::: custom"
    )
    assert after == [
        ("anniversary", "Anniversary", 2001, 5, 5),
        ("anniversary", "First stay", None, 9, 14),
        ("anniversary", "Retired", None, 12, 31),
        ("birthday", "", 1980, 3, 22),
        ("custom", "Shop opening", 2010, 10, 1),
    ]


def test_vobject_reads_the_dates_tags_language_and_time_zone(world: World, eve: Person) -> None:
    card = list(vobject.readComponents(export_text("vcard")))[3]
    assert [line.value for line in card.contents["bday"]] == ["19800322"]
    assert "anniversary" not in card.contents  # no wedding: every date is labelled
    dates = {line.group: line.value for line in card.contents["x-abdate"]}
    labels = {line.group: line.value for line in card.contents["x-ablabel"]}
    assert sorted((labels[g], dates[g]) for g in dates) == [
        ("Anniversary", "20010505"),
        ("First stay", "--0914"),
        ("Shop opening", "20101001"),
    ]
    # Her tags are categories to any address book, marked as goodwill's tags.
    assert [(line.value, line.params) for line in card.contents["categories"]] == [
        (["Rock, paper", "Sailing"], {}),
        (TAGS, {"TYPE": ["x-goodwill-tags"]}),
    ]
    assert [line.value for line in card.contents["lang"]] == ["fr-CA"]
    assert [line.value for line in card.contents["tz"]] == ["America/Halifax"]
    assert [e.params.get("TYPE") for e in card.contents["email"]] == [None, ["Front desk"]]
