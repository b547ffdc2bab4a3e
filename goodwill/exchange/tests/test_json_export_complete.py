"""The JSON export holds what the vCard holds and more: each date's own reminder lead time and
note (the couple's wedding too) and every relationship, with whom and since when; read a chunk
at a time, so the queries do not grow with the people, and the same whatever the chunks."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.accounts.models import User
from goodwill.exchange.export.json import json_stream
from goodwill.exchange.export.parallel import can_fork, parallel_pieces
from goodwill.exchange.export.selectors import ExportFilters, export_chunks
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.tests.export_world import export_text
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services import person_archive, relationship_create
from goodwill.people.tests.factories import make_person


@dataclass
class Family:
    gina: Person
    hugo: Person
    ida: Person


def make_family(name: str = "Bell") -> Family:
    """Gina (a birthday with a 10-day lead, an anniversary with a 0-day lead and a note), Hugo (her
    husband: a wedding with a note and a 14-day lead) and Ida (Gina's mother)."""
    gina = make_person(given_name="Gina", family_name=name)
    occasion_create(
        actor=None, kind="birthday", year=1980, month=3, day=14, person=gina, lead_days=10
    )
    occasion_create(
        actor=None,
        kind="anniversary",
        label="Opened the shop",
        month=9,
        day=1,
        person=gina,
        lead_days=0,
        note="Bring flowers to the shop",
    )
    hugo = make_person(given_name="Hugo", family_name=name)
    couple = relationship_create(
        actor=None,
        person=hugo,
        other=gina,
        kind="spouse",
        since=dt.date(2004, 5, 1),
        notes="Second marriage",
    )
    occasion_create(
        actor=None,
        kind="wedding_anniversary",
        year=2005,
        month=7,
        day=2,
        relationship=couple,
        lead_days=14,
        note="Met at the harbour",
    )
    ida = make_person(given_name="Ida", family_name=name)
    relationship_create(actor=None, person=ida, other=gina, kind="parent")
    return Family(gina=gina, hugo=hugo, ida=ida)


def _people() -> dict[str, dict[str, Any]]:
    return {p["given_name"]: p for p in json.loads(export_text("json"))}


@pytest.mark.django_db
def test_each_date_carries_its_own_lead_time_and_note() -> None:
    family = make_family()

    gina = _people()["Gina"]

    assert gina["occasions"] == [
        {
            "kind": "anniversary",
            "label": "Opened the shop",
            "date": "--09-01",
            "year": None,
            "month": 9,
            "day": 1,
            "source": "told_us",
            "note": "Bring flowers to the shop",
            "lead_days": 0,
        },
        {
            "kind": "birthday",
            "label": "",
            "date": "1980-03-14",
            "year": 1980,
            "month": 3,
            "day": 14,
            "source": "told_us",
            "note": "",
            "lead_days": 10,
        },
        {
            "kind": "wedding_anniversary",
            "date": "2005-07-02",
            "year": 2005,
            "month": 7,
            "day": 2,
            "spouse_id": family.hugo.pk,
            "note": "Met at the harbour",
            "lead_days": 14,
        },
    ]


@pytest.mark.django_db
def test_a_date_without_a_lead_time_of_its_own_says_null() -> None:
    jo = make_person(given_name="Jo", family_name="Plain")
    occasion_create(actor=None, kind="birthday", month=1, day=2, person=jo)

    [birthday] = _people()["Jo"]["occasions"]

    assert birthday["lead_days"] is None


@pytest.mark.django_db
def test_each_side_of_a_tie_says_what_the_other_is_to_them() -> None:
    family = make_family()

    people = _people()

    assert people["Gina"]["relationships"] == [
        {
            "kind": "spouse",
            "custom_label": "",
            "other_person_id": family.hugo.pk,
            "other_person": "Hugo Bell",
            "since": "2004-05-01",
            "notes": "Second marriage",
        },
        {
            "kind": "parent",
            "custom_label": "",
            "other_person_id": family.ida.pk,
            "other_person": "Ida Bell",
            "since": None,
            "notes": "",
        },
    ]
    assert [(r["kind"], r["other_person_id"]) for r in people["Ida"]["relationships"]] == [
        ("child", family.gina.pk)
    ]
    assert people["Hugo"]["relationships"][0]["other_person"] == "Gina Bell"
    assert [o["spouse_id"] for o in people["Hugo"]["occasions"]] == [family.gina.pk]


@pytest.mark.django_db
def test_referrals_custom_ties_and_ties_with_people_left_out_are_listed() -> None:
    family = make_family()
    kim = make_person(given_name="Kim", family_name="Gone")
    relationship_create(actor=None, person=kim, other=family.hugo, kind="referred")
    relationship_create(
        actor=None, person=family.ida, other=kim, kind="custom", custom_label="godmother"
    )
    person_archive(actor=None, person=kim)

    people = _people()

    assert "Kim" not in people
    assert [
        (r["kind"], r["custom_label"], r["other_person"]) for r in people["Hugo"]["relationships"]
    ] == [("spouse", "", "Gina Bell"), ("referred", "", "Kim Gone")]
    assert [
        (r["kind"], r["custom_label"], r["other_person"]) for r in people["Ida"]["relationships"]
    ] == [("child", "", "Gina Bell"), ("custom_of", "godmother", "Kim Gone")]  # Kim's
    archived = json.loads(export_text("json", ExportFilters(archived=True)))
    assert [(r["kind"], r["other_person"]) for r in archived[0]["relationships"]] == [
        ("referred_by", "Hugo Bell"),
        ("custom", "Ida Bell"),
    ]


def _json_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        export_text("json")
    return len(queries)


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_people_or_their_ties() -> None:
    make_family("Bell")
    few = _json_queries()
    for name in ("Cole", "Dunn", "Eady", "Fish"):
        make_family(name)

    assert _json_queries() == few
    assert len(json.loads(export_text("json"))) == 15


@pytest.mark.django_db
def test_the_file_is_the_same_whatever_the_chunks() -> None:
    for name in ("Bell", "Cole", "Dunn"):
        make_family(name)

    texts = {
        size: "".join(json_stream(export_chunks(actor=None, filters=ExportFilters(), size=size)))
        for size in (1, 2, 4, 5000)
    }

    assert len(set(texts.values())) == 1


@pytest.mark.django_db
def test_a_persons_own_data_gives_each_dates_lead_time(maria: User) -> None:
    family = make_family()

    data = person_access_export(actor=maria, person=family.gina)

    assert [(o["kind"], o["note"], o["lead_days"]) for o in data["occasions"]] == [
        ("birthday", "", 10),
        ("anniversary", "Bring flowers to the shop", 0),
        ("wedding_anniversary", "Met at the harbour", 14),
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_worker_processes_write_the_same_json_as_one_process() -> None:
    for name in ("Bell", "Cole", "Dunn"):
        make_family(name)
    assert can_fork()

    text = "".join(
        parallel_pieces("json", archived=False, jobs=2, bom=False, counted=lambda n: None, size=2)
    )

    assert text == export_text("json")
    assert json.loads(text)[0]["relationships"][0]["other_person"] == "Hugo Bell"
