"""Erasure reaches what other records kept of the person: the values an import left out of
their rows (import batch warnings, the report CSV, the API) and the search text of exports
audited with their address, phone or name in it."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.export.selectors import ExportFilters
from goodwill.exchange.importer import import_run, report
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.services.export import people_export
from goodwill.exchange.services.merge import person_merge
from goodwill.exchange.tests.test_erase import mentions
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\n"
ERIN = "erin.erasable@example.com"
SECRETS = ["erin-secret-phone", "erin-merged-phone", "erin-second-phone", ERIN, "Erasable"]


def _import(tmp_path: Path, actor: User, body: str, name: str = "guests.csv") -> ImportBatch:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return import_run(actor=actor, path=path)


def _bad_phone(line: int, value: str, person_id: int) -> dict[str, Any]:
    return {
        "line": line,
        "column": "Phone 1 - Value",
        "message": f"{value} is not a valid phone number; imported without it.",
        "person_id": person_id,
    }


@pytest.fixture
def first(tmp_path: Path, maria: User) -> ImportBatch:
    """Erin's row (a bad phone) became a person, her second row (another bad phone) merged
    into it; Farid's row (a bad phone) became another person; a nameless row was refused."""
    return _import(
        tmp_path,
        maria,
        f"Erin,Erasable,{ERIN},erin-secret-phone\n"
        "Farid,Keeps,farid@example.com,farid-bad-phone\n"
        f"Erin,Erasable,{ERIN.upper()},erin-merged-phone\n"
        ",,,erin-refused-phone\n",
    )


def _erin() -> Person:
    return Person.objects.get(given_name="Erin")


def _farid() -> Person:
    return Person.objects.get(given_name="Farid")


def test_each_warning_names_the_person_its_row_became(first: ImportBatch) -> None:
    erin, farid = _erin(), _farid()
    assert (first.created, first.warning_count, first.error_count) == (2, 3, 1)
    assert first.warnings == [
        _bad_phone(2, "erin-secret-phone", erin.pk),
        _bad_phone(3, "farid-bad-phone", farid.pk),
        _bad_phone(4, "erin-merged-phone", erin.pk),
    ]
    assert "person_id" not in first.errors[0]


def test_the_report_shows_line_column_and_message_only(
    first: ImportBatch, maria: User, tokens: dict[str, str]
) -> None:
    assert report(first)["warnings"][0] == {
        "line": 2,
        "column": "Phone 1 - Value",
        "message": "erin-secret-phone is not a valid phone number; imported without it.",
    }
    api = Client().get(
        f"/api/v1/imports/{first.pk}", HTTP_AUTHORIZATION=f"Bearer {tokens['maria']}"
    )
    assert api.json()["warnings"][1] == {
        "line": 3,
        "column": "Phone 1 - Value",
        "message": "farid-bad-phone is not a valid phone number; imported without it.",
    }
    client = Client()
    client.force_login(maria)
    page = client.get(reverse("exchange:import_detail", args=[first.pk])).content.decode()
    assert "farid-bad-phone is not a valid phone number; imported without it." in page
    assert "person_id" not in page


def _report_rows(user: User, batch: ImportBatch) -> list[list[str]]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("exchange:import_report", args=[batch.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_erasure_removes_her_warnings_from_every_batch_and_keeps_farids(
    first: ImportBatch, tmp_path: Path, maria: User, alice: User
) -> None:
    # A later import matched her by email: its warning is about her too.
    second = _import(tmp_path, maria, f"Erin,Erasable,{ERIN},erin-second-phone\n", "again.csv")
    assert second.warnings == [_bad_phone(2, "erin-second-phone", _erin().pk)]
    farid = _farid()
    person_erase(actor=alice, person=_erin(), confirm_name="Erin Erasable")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.warnings == [_bad_phone(3, "farid-bad-phone", farid.pk)]
    assert second.warnings == []
    assert (first.warning_count, first.error_count, second.warning_count) == (3, 1, 1)
    assert _report_rows(maria, first) == [
        ["line", "column", "message", "kind"],
        ["5", "name", first.errors[0]["message"], "error"],
        [
            "3",
            "Phone 1 - Value",
            "farid-bad-phone is not a valid phone number; imported without it.",
            "warning",
        ],
    ]
    assert mentions(SECRETS) == []
    entry = AuditEntry.objects.get(action="person.erase")
    assert entry.changes["import_warnings_removed"] == 3


def test_warnings_follow_a_merge_and_go_when_the_survivor_is_erased(
    first: ImportBatch, maria: User, alice: User
) -> None:
    erin = make_person(given_name="Erin", family_name="Kept", emails=["erin@kept.example"])
    person_merge(actor=maria, survivor=erin, other=Person.objects.get(family_name="Erasable"))
    first.refresh_from_db()
    moved = [w for w in first.warnings if w["person_id"] == erin.pk]
    assert [w["message"].split()[0] for w in moved] == ["erin-secret-phone", "erin-merged-phone"]
    person_erase(actor=alice, person=erin, confirm_name="Erin Kept")
    first.refresh_from_db()
    assert first.warnings == [_bad_phone(3, "farid-bad-phone", _farid().pk)]
    assert mentions(SECRETS) == []


def test_a_reimport_of_an_erased_row_keeps_none_of_its_values(
    first: ImportBatch, tmp_path: Path, maria: User, alice: User
) -> None:
    person_erase(actor=alice, person=_erin(), confirm_name="Erin Erasable")
    again = _import(tmp_path, maria, f"Erin,Again,{ERIN},erin-secret-phone\n", "again.csv")
    # The report names the line and why, and nothing of what the row held.
    gone = "The row of someone who was erased: skipped, and nothing of it kept."
    assert (again.created, again.skipped, again.warning_count) == (0, 1, 1)
    assert again.warnings == [{"line": 2, "column": "", "message": gone}]
    assert mentions(["erin-secret-phone"]) == []


def _export(actor: User, q: str) -> None:
    people_export(actor=actor, format="csv", filters=ExportFilters(q=q))


def _searches() -> list[Any]:
    entries = AuditEntry.objects.filter(action="person.export").order_by("id")
    return [e.changes["filters"].get("q") for e in entries]


def test_erasure_redacts_exports_searched_by_her_address_phone_or_name(
    maria: User, alice: User
) -> None:
    erin = make_person(
        given_name="Erin", family_name="Erasable", emails=[ERIN], phones=["+442079460018"]
    )
    make_person(given_name="Farid", family_name="Keeps", emails=["farid@example.com"])
    for q in (
        f"  {ERIN.upper()} ",
        "farid",
        "020 7946 0018",
        "erin   ERASABLE",
        "erin",
        "erasable.example",
        "946 0018",  # her local number, without the area code
        "0018",
    ):
        _export(maria, q)
    people_export(actor=maria, format="csv", filters=ExportFilters(role="staff"))

    person_erase(actor=alice, person=erin, confirm_name="Erin Erasable")

    assert _searches() == [
        "[erased]",
        "farid",
        "[erased]",
        "[erased]",
        "erin",
        "erasable.example",
        "[erased]",
        "0018",
        None,
    ]
    exports = AuditEntry.objects.filter(action="person.export").order_by("id")
    assert [e.changes["format"] for e in exports] == ["csv"] * 9
    assert AuditEntry.objects.get(action="person.erase").changes["searches_redacted"] == 4


@pytest.mark.parametrize(
    ("family", "redacted", "kept"),
    [
        (
            "",
            ["Al", " al ", "al, smith", "mail al@example.com"],
            ["Halifax", "Alsmith", "alan", "sal"],
        ),
        (
            "Smith",
            [
                "Al Smith",
                "AL   SMITH",
                "al smith, halifax",
                "mail al@example.com",
                "<AL@example.com>",
                "smith al",
                "Smith, Al",
            ],
            ["Halifax", "Alsmith", "al", "smith", "al@example.com.au", "sal@example.com"],
        ),
    ],
)
def test_a_search_names_her_only_by_whole_words(
    maria: User, alice: User, family: str, redacted: list[str], kept: list[str]
) -> None:
    al = make_person(given_name="Al", family_name=family, emails=["al@example.com"])
    for q in (*redacted, *kept):
        _export(maria, q)

    person_erase(actor=alice, person=al, confirm_name=al.full_name)

    assert _searches() == ["[erased]"] * len(redacted) + kept
    entry = AuditEntry.objects.get(action="person.erase")
    assert entry.changes["searches_redacted"] == len(redacted)
