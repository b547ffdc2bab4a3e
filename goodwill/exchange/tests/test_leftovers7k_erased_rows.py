"""A row of someone who was erased is skipped (never brought back), and the report says which
line and why, keeping nothing of the row itself (found by the web audit: "skipped 1" with no
row, reason or report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.importer.report import report
from goodwill.exchange.services.erase import person_erase
from goodwill.people.models import Person
from goodwill.people.services import person_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_erased_persons_row_is_listed_by_its_line_only(
    tmp_path: Path, alice: User, dry_run: bool
) -> None:
    erin = person_create(
        actor=None, given_name="Erin", family_name="Gone", emails=["erin@example.com"]
    ).person
    person_erase(actor=alice, person=erin, confirm_name="Erin Gone")
    path = tmp_path / "guests.csv"
    path.write_text(
        "First Name,Last Name,E-mail 1 - Value,Notes\n"
        "Ada,Lovelace,ada@example.com,\n"
        "Erin,Gone,erin@example.com,likes the sea view\n",
        encoding="utf-8",
    )
    batch = import_run(actor=alice, path=path, dry_run=dry_run)
    assert (batch.created, batch.skipped) == (1, 1)
    summary = report(batch)
    assert summary["warnings"] == [
        {
            "line": 3,
            "column": "",
            "message": "The row of someone who was erased: skipped, and nothing of it kept.",
        }
    ]
    assert summary["warning_count"] == 1
    assert not Person.objects.filter(given_name="Erin").exists()
    text = str(summary)
    assert "erin" not in text.casefold()
    assert "sea view" not in text
