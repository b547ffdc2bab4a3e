"""A row of goodwill's own export names the person it came from (the CSV's "Goodwill ID", the
vCard's UID): someone known only by their name is updated from their export, edited, rather
than listed as a possible duplicate of themselves; importing it again changes nothing. The
name must be theirs: an id that names someone of another name (another site's export) matches
nobody."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.tests.export_world import export_text
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


def _walk_in() -> Person:
    return make_person(
        given_name="Walk", family_name="In", locality="Halifax", notes="met at market"
    )


def _edited_csv(tmp_path: Path, notes: str) -> Path:
    rows = list(csv.reader(io.StringIO(export_text("csv").lstrip("\ufeff"))))
    for row in rows[1:]:
        row[rows[0].index("Notes")] = notes
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def _counts(maria: User, path: Path, dedupe: str, *, dry_run: bool = False) -> tuple[int, ...]:
    batch = import_run(actor=maria, path=path, dedupe=dedupe, dry_run=dry_run)
    return batch.created, batch.updated, batch.unchanged, batch.duplicates


@pytest.mark.parametrize("dedupe", ["update-empty", "overwrite"])
def test_a_name_only_person_is_updated_from_their_edited_csv_export(
    tmp_path: Path, maria: User, dedupe: str
) -> None:
    walk = _walk_in()
    path = _edited_csv(tmp_path, "met at market; likes rye bread")
    assert _counts(maria, path, dedupe, dry_run=True) == (0, 1, 0, 0)
    assert _counts(maria, path, dedupe) == (0, 1, 0, 0)
    walk.refresh_from_db()
    assert walk.notes == "met at market; likes rye bread"
    assert _counts(maria, path, dedupe) == (0, 0, 1, 0)
    assert Person.objects.count() == 1


@pytest.mark.parametrize("dedupe", ["update-empty", "overwrite"])
def test_a_name_only_person_is_found_by_their_vcard_uid(
    tmp_path: Path, maria: User, dedupe: str
) -> None:
    walk = _walk_in()
    text = export_text("vcard").replace("met at market", "met at market; likes rye bread")
    path = tmp_path / "people.vcf"
    path.write_text(text, encoding="utf-8")
    assert _counts(maria, path, dedupe, dry_run=True) == (0, 1, 0, 0)
    assert _counts(maria, path, dedupe) == (0, 1, 0, 0)
    walk.refresh_from_db()
    assert walk.notes == "met at market; likes rye bread"
    assert _counts(maria, path, dedupe, dry_run=True) == (0, 0, 1, 0)
    assert _counts(maria, path, dedupe) == (0, 0, 1, 0)
    assert Person.objects.count() == 1


def test_an_id_naming_someone_of_another_name_matches_nobody(tmp_path: Path, maria: User) -> None:
    walk = _walk_in()
    other = make_person(given_name="Zed", family_name="Other")
    text = f"First Name,Last Name,Notes,Goodwill ID\nZed,Other,from another site,{walk.pk}\n"
    path = tmp_path / "theirs.csv"
    path.write_text(text, encoding="utf-8")
    assert _counts(maria, path, "overwrite") == (0, 0, 0, 1)  # a possible duplicate of Zed
    walk.refresh_from_db()
    other.refresh_from_db()
    assert (walk.notes, other.notes) == ("met at market", "")
