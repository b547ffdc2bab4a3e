"""goodwill's CSV export, imported again into an empty database, gives back each date's kind and
label ("Other", a custom date, stays a custom date labelled "Other") and every value whose own
name holds " ::: ", Google's separator of several values in one cell, whole; importing the
export again where its people still are changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from goodwill.exchange.importer.run import import_run
from goodwill.exchange.tests.export_world import export_text
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Membership, Person
from goodwill.people.services import membership_set, organisation_create
from goodwill.people.services.persons import person_update
from goodwill.people.services.tags import person_tags_add
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


def _facts() -> dict[str, Any]:
    person = Person.objects.get()
    return {
        "names": (person.given_name, person.family_name, person.preferred_name),
        "emails": list(person.emails.order_by("-is_primary", "id").values_list("email", "label")),
        "phones": list(person.phones.order_by("-is_primary", "id").values_list("e164", "label")),
        "work": list(
            Membership.objects.filter(person=person)
            .order_by("id")
            .values_list("organisation__name", "job_title")
        ),
        "interests": sorted(person.interests.values_list("interest__name", "attitude")),
        "tags": sorted(person.tag_links.values_list("tag__name", flat=True)),
        "occasions": sorted(
            Occasion.objects.filter(person=person).values_list(
                "kind", "label", "year", "month", "day"
            )
        ),
    }


def _import(tmp_path: Path, text: str) -> tuple[int, int, int, list[Any]]:
    path = tmp_path / "people.csv"
    path.write_text(text, "utf-8")
    batch = import_run(actor=None, path=path)
    return batch.created, batch.updated, batch.error_count, batch.warnings


def _restore(tmp_path: Path) -> tuple[dict[str, Any], str]:
    """The export, imported into an empty database: what the person holds, and the export."""
    text = export_text("csv")
    Person.objects.all().delete()
    assert _import(tmp_path, text) == (1, 0, 0, [])
    return _facts(), text


def _dates(person: Person) -> None:
    for kind, label, day in (
        ("custom", "Other", 1),
        ("custom", "other", 2),
        ("anniversary", "Other", 3),
        ("anniversary", "", 4),
        ("custom", "Shop opening", 5),
        ("anniversary", "First stay", 6),
        ("custom", "Name day", 7),
    ):
        occasion_create(actor=None, kind=kind, label=label, month=5, day=day, person=person)


EVENTS = [f"Event {i} - {part}" for i in (1, 2, 3) for part in ("Label", "Value")]


def _events(text: str) -> list[str]:
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    return [row[column] for column in [*EVENTS, "Goodwill Event Kinds"]]


def test_each_dates_kind_and_label_come_back_from_the_csv(tmp_path: Path) -> None:
    eve = make_person(given_name="Eve", family_name="Moreau", emails=["eve@example.com"])
    _dates(eve)
    before = _facts()

    after, text = _restore(tmp_path)

    assert after == before
    assert ("custom", "Other", None, 5, 1) in after["occasions"]
    assert _events(text) == [
        "Other",
        "'--05-03",
        "",
        "'--05-04",
        "First stay ::: Other ::: other ::: Shop opening ::: Name day",
        "'--05-06 ::: --05-01 ::: --05-02 ::: --05-05 ::: --05-07",
        "anniversary ::: anniversary ::: anniversary ::: custom ::: custom ::: custom ::: custom",
    ]
    # Exported again, the events are the same; imported again, nothing changes.
    again = export_text("csv")
    assert _events(again) == _events(text)
    assert _import(tmp_path, again) == (0, 0, 0, [])
    assert _facts() == before


def _separated(person: Person) -> None:
    """Every kind of value that shares a cell with others, each with " ::: " in its name."""
    person_update(
        actor=None,
        person=person,
        emails=["eve@example.com", "eve@desk.example"],
        phones=["+1 902 555 0199", "+1 902 555 0198"],
        labels={"eve@desk.example": "Desk ::: night", "+19025550198": "Shop ::: back"},
    )
    give_interests(person, "Rock ::: Roll", "Jazz")
    give_interests(person, "Olives ::: green", attitude="dislikes")
    person_tags_add(actor=None, person=person, names=["VIP ::: gold", "Wholesale"])
    for name, title in (("Inn ::: Bar", "Chef ::: owner"), ("Co-op", "Chair")):
        membership_set(
            actor=None,
            person=person,
            organisation=organisation_create(actor=None, name=name),
            job_title=title,
        )
    for kind, label, day in (("custom", "Open ::: day", 1), ("anniversary", "First stay", 2)):
        occasion_create(actor=None, kind=kind, label=label, month=6, day=day, person=person)


def test_a_value_holding_the_csv_separator_comes_back_whole(tmp_path: Path) -> None:
    eve = make_person(given_name="Eve ::: Anne", family_name="Moreau", preferred_name="E ::: M")
    _separated(eve)
    before = _facts()
    assert before["work"] == [("Inn ::: Bar", "Chef ::: owner"), ("Co-op", "Chair")]

    after, _text = _restore(tmp_path)

    assert after == before


def test_google_contacts_sees_each_value_once(tmp_path: Path) -> None:
    """Google splits a cell at " ::: ": inside one value the export writes its spaces as
    no-break spaces, which read the same and do not split."""
    eve = make_person(given_name="Eve", family_name="Moreau")
    _separated(eve)

    (row,) = csv.DictReader(io.StringIO(export_text("csv"), newline=""))

    nb = "\u00a0:::\u00a0"
    assert row["Organization Name"] == f"Inn{nb}Bar ::: Co-op"
    assert row["Organization Title"] == f"Chef{nb}owner ::: Chair"
    assert row["Labels"] == f"Jazz ::: Rock{nb}Roll ::: VIP{nb}gold ::: Wholesale"
    assert row["Goodwill Dislikes"] == f"Olives{nb}green"
    assert (row["E-mail 2 - Label"], row["Phone 2 - Label"]) == (f"Desk{nb}night", f"Shop{nb}back")
    assert row["Event 1 - Label"] == "First stay"
    assert row["Event 2 - Label"] == f"Open{nb}day"


def test_importing_the_separated_values_again_changes_nothing(tmp_path: Path) -> None:
    eve = make_person(given_name="Eve", family_name="Moreau", emails=["eve@example.com"])
    _separated(eve)
    before = _facts()

    assert _import(tmp_path, export_text("csv")) == (0, 0, 0, [])
    assert _facts() == before
