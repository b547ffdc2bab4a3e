"""A row that updates someone is imported without an email another person holds: Ann's row
never gives her Ben's address. The cell is listed as a warning naming the line, the column and
who holds it, alike in the web report, ``goodwill import --json`` and the API; a dry run lists
the same; erasing Ben removes the warning that names his address."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.exchange import jobs
from goodwill.exchange.importer import import_run, report
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.services.erase import person_erase
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import token_for
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

HEADER = "First Name,Last Name,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value\n"
# Ann's row has her own address and Ben's.
CSV = HEADER + "Ann,Smith,ann@example.com,ben@example.com,+1 902 555 0101\n"


def _people() -> tuple[Person, Person]:
    ann = make_person(given_name="Ann", family_name="Smith", emails=["ann@example.com"])
    ben = make_person(given_name="Ben", family_name="Roy", emails=["ben@example.com"])
    return ann, ben


def _emails(person: Person) -> list[str]:
    return list(person.emails.values_list("email", flat=True))


def _held(ben: Person) -> dict[str, object]:
    return {
        "line": 2,
        "column": "E-mail 2 - Value",
        "message": f"ben@example.com is another person's email (person {ben.pk}); "
        "imported without it.",
    }


def _file(tmp_path: Path, text: str = CSV) -> Path:
    path = tmp_path / "guests.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_ann_keeps_her_own_address_and_ben_keeps_his(tmp_path: Path, maria: User) -> None:
    ann, ben = _people()
    batch = import_run(actor=maria, path=_file(tmp_path))
    assert _emails(ann) == ["ann@example.com"]
    assert _emails(ben) == ["ben@example.com"]
    assert list(ann.phones.values_list("e164", flat=True)) == ["+19025550101"]  # the rest goes
    assert (batch.created, batch.updated, batch.warning_count) == (0, 1, 1)
    assert report(batch)["warnings"] == [_held(ben)]


def test_a_dry_run_lists_the_same_warning(tmp_path: Path, maria: User) -> None:
    _ann, ben = _people()
    dry = import_run(actor=maria, path=_file(tmp_path), dry_run=True)
    assert (dry.updated, dry.warning_count) == (1, 1)
    assert report(dry)["warnings"] == [_held(ben)]


@pytest.mark.parametrize("chunk", [1, 5000])
def test_an_address_of_another_person_of_the_same_file_is_left_out_too(
    tmp_path: Path, maria: User, chunk: int
) -> None:
    """Cy comes first in the file; Ann's row then carries Cy's address. Once Cy is stored (an
    earlier chunk) the warning names him; in his own chunk he has no number yet."""
    ann = make_person(given_name="Ann", family_name="Smith", emails=["ann@example.com"])
    path = _file(
        tmp_path, HEADER + "Cy,Roe,cy@example.com,,\nAnn,Smith,ann@example.com,cy@example.com,\n"
    )
    dry = import_run(actor=maria, path=path, dry_run=True, chunk=chunk)
    real = import_run(actor=maria, path=path, chunk=chunk)
    cy = Person.objects.get(given_name="Cy")
    assert _emails(ann) == ["ann@example.com"]
    assert _emails(cy) == ["cy@example.com"]
    who = f"person {cy.pk}" if chunk == 1 else "a row earlier in this file"
    assert [(w["line"], w["column"], w["message"]) for w in report(real)["warnings"]] == [
        (
            3,
            "E-mail 2 - Value",
            f"cy@example.com is another person's email ({who}); imported without it.",
        )
    ]
    counts = ("created", "updated", "unchanged", "warning_count")
    assert [getattr(dry, c) for c in counts] == [getattr(real, c) for c in counts] == [1, 0, 1, 1]


def test_the_command_prints_it_in_its_json(tmp_path: Path, maria: User) -> None:
    _ann, ben = _people()
    out = io.StringIO()
    call_command("import", str(_file(tmp_path)), "--json", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert summary["warnings"] == [_held(ben)]


def test_the_api_and_the_web_report_list_it(maria: User, maria_client: Client) -> None:
    _ann, ben = _people()
    upload = SimpleUploadedFile("guests.csv", CSV.encode(), "text/csv")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(maria)}"}
    queued = Client().post("/api/v1/imports", {"file": upload}, **auth).json()
    jobs.run_imports(timezone.now())
    done = Client().get(f"/api/v1/imports/{queued['id']}", **auth).json()
    assert (done["state"], done["warning_count"]) == ("done", 1)
    assert done["warnings"] == [_held(ben)]
    page = maria_client.get(f"/imports/{queued['id']}/").content.decode()
    assert (
        "<td>2</td><td>E-mail 2 - Value</td><td>ben@example.com is another person&#x27;s email "
        f"(person {ben.pk}); imported without it.</td>" in page
    )


def test_erasing_the_holder_removes_the_warning_that_names_them(
    tmp_path: Path, maria: User, alice: User
) -> None:
    ann, ben = _people()
    path = _file(tmp_path, CSV.replace("+1 902 555 0101", "not a phone"))
    batch = import_run(actor=maria, path=path)
    assert batch.warning_count == 2
    person_erase(actor=alice, person=ben, confirm_name="Ben Roy")
    left = ImportProblem.objects.filter(batch=batch).values_list("column", "person_id")
    assert list(left) == [("Phone 1 - Value", ann.pk)]
    assert ImportBatch.objects.get().warning_count == 2  # the counts stay, as for any erasure
