"""Erasure reaches the warnings of dry runs too: a dry run creates nobody, so each warning of a
row whose person is unknown keeps hashes of the row's addresses, phones and name, and erasing
a person with one of them removes the warning; reports show line, column and message only."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run, report
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.tests.test_erase import mentions
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

HEADER = "First Name,Last Name,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value\n"
BODY = (
    "Erin,Private,erin.private@@home,erin.private@example.com,\n"
    "Farid,Keeps,farid@@home,farid@example.com,\n"
)


def _bad_email(value: str) -> str:
    reason = "The part after the @-sign contains invalid characters: '@'"
    return f"{value} is not a valid email address: {reason}; imported without it."


ERIN_BAD = _bad_email("erin.private@@home")
FARID_BAD = _bad_email("farid@@home")


def _file(tmp_path: Path, body: str = BODY, name: str = "guests.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _messages(batch: ImportBatch) -> list[str]:
    batch.refresh_from_db()
    return [w["message"] for w in batch.warnings]


def _erase(alice: User, given: str) -> None:
    person = Person.objects.get(given_name=given)
    person_erase(actor=alice, person=person, confirm_name=person.full_name)


def test_erasure_removes_her_warnings_from_a_dry_run_before_the_real_one(
    tmp_path: Path, maria: User, alice: User
) -> None:
    dry = import_run(actor=maria, path=_file(tmp_path), dry_run=True)
    real = import_run(actor=maria, path=_file(tmp_path))
    assert (dry.created, Person.objects.count()) == (2, 2)
    assert _messages(dry) == _messages(real) == [ERIN_BAD, FARID_BAD]

    _erase(alice, "Erin")

    assert _messages(dry) == _messages(real) == [FARID_BAD]
    assert (dry.warning_count, real.warning_count) == (2, 2)
    assert mentions(["erin.private"]) == []


def test_a_dry_run_warning_is_found_by_the_name_when_the_row_has_no_address(
    tmp_path: Path, maria: User, alice: User
) -> None:
    dry = import_run(
        actor=maria,
        path=_file(tmp_path, "Erin,Private,,,erin-bad-phone\nFarid,Keeps,,,farid-bad-phone\n"),
        dry_run=True,
    )
    make_person(given_name="ERIN", family_name="Prívate", emails=["erin@example.com"])
    make_person(given_name="Farid", family_name="Keeps")
    _erase(alice, "ERIN")
    assert _messages(dry) == ["farid-bad-phone is not a valid phone number; imported without it."]


def test_a_dry_run_warning_is_found_by_the_phone(tmp_path: Path, maria: User, alice: User) -> None:
    dry = import_run(
        actor=maria, path=_file(tmp_path, "Erin,Unknown,bad@@x,,+44 20 7946 0018\n"), dry_run=True
    )
    assert _messages(dry) == [_bad_email("bad@@x")]
    make_person(given_name="Erin", family_name="Renamed", phones=["+442079460018"])
    make_person(given_name="Other", family_name="Person", phones=["+442079460019"])
    _erase(alice, "Other")
    assert len(_messages(dry)) == 1
    _erase(alice, "Erin")
    assert _messages(dry) == []


def test_a_dry_run_update_of_a_stored_person_keeps_their_id(
    tmp_path: Path, maria: User, alice: User
) -> None:
    erin = make_person(
        given_name="Erin", family_name="Private", emails=["erin.private@example.com"]
    )
    dry = import_run(actor=maria, path=_file(tmp_path), dry_run=True)
    assert dry.warnings[0]["person_id"] == erin.pk
    assert "traces" not in dry.warnings[0]
    assert "person_id" not in dry.warnings[1]
    # farid's address, the one that does not read (farid@@home) and his name
    assert len(dry.warnings[1]["traces"]) == 3


def test_the_reports_show_no_traces(tmp_path: Path, maria: User, tokens: dict[str, str]) -> None:
    dry = import_run(actor=maria, path=_file(tmp_path), dry_run=True)
    assert all(w["traces"] for w in dry.warnings)
    shown = {"line": 2, "column": "E-mail 1 - Value", "message": ERIN_BAD}
    assert report(dry)["warnings"][0] == shown
    api = Client().get(f"/api/v1/imports/{dry.pk}", HTTP_AUTHORIZATION=f"Bearer {tokens['maria']}")
    assert api.json()["warnings"][0] == shown
    client = Client()
    client.force_login(maria)
    page = client.get(reverse("exchange:import_detail", args=[dry.pk])).content.decode()
    response = client.get(reverse("exchange:import_report", args=[dry.pk]))
    csv_text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert escape(ERIN_BAD) in page
    assert "traces" not in page
    assert dry.warnings[0]["traces"][0] not in page + csv_text
    assert csv_text.splitlines()[1] == f"2,E-mail 1 - Value,{ERIN_BAD},warning"

    out = io.StringIO()
    call_command(
        "import", str(_file(tmp_path)), "--dry-run", "--json", "--as", maria.email, stdout=out
    )
    assert json.loads(out.getvalue())["warnings"][1] == {
        "line": 3,
        "column": "E-mail 1 - Value",
        "message": FARID_BAD,
    }
