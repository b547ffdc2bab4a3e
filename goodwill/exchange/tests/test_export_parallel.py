"""An export of everyone rendered by several worker processes (``goodwill export --jobs N``) is
the same file, byte for byte, as one process writes; the list is cut into ranges that hold every
person once; where workers could not see this process's data, the export stays in it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from goodwill.core.tests.test_commands import _env, _goodwill
from goodwill.exchange.export.parallel import can_fork, parallel_pieces
from goodwill.exchange.export.selectors import ExportFilters, export_bounds, export_range
from goodwill.exchange.services.export import people_export
from goodwill.exchange.tests.export_world import export_text, make_world
from goodwill.people.services import person_archive
from goodwill.people.tests.factories import make_person


@pytest.mark.django_db
def test_the_ranges_hold_every_person_once_a_chunk_each() -> None:
    people = [make_person(given_name=f"P{i}", family_name="Range") for i in range(8)]
    person_archive(actor=None, person=people[2])
    live = [p.pk for p in people if p is not people[2]]

    bounds = export_bounds(archived=False, size=3)
    chunks = [export_range(b, archived=False, full=False) for b in bounds]

    assert [len(c.people) for c in chunks] == [3, 3, 1]
    assert [row[0] for c in chunks for row in c.people] == live
    archived = export_bounds(archived=True, size=3)
    assert [r[0] for b in archived for r in export_range(b, archived=True, full=True).people] == [
        people[2].pk
    ]


@pytest.mark.django_db
def test_the_last_range_is_empty_when_the_people_fill_the_chunks_exactly() -> None:
    for i in range(4):
        make_person(given_name=f"P{i}", family_name="Even")

    chunks = [
        export_range(b, archived=False, full=False) for b in export_bounds(archived=False, size=2)
    ]

    assert [len(c.people) for c in chunks] == [2, 2, 0]


@pytest.mark.django_db
def test_inside_a_transaction_the_export_stays_in_this_process_with_the_same_text() -> None:
    make_world()
    assert not can_fork()  # a test's transaction: workers would not see its rows

    export = people_export(actor=None, format="csv", filters=ExportFilters(), jobs=4)

    assert "".join(export.pieces) == export_text("csv")
    assert export.count == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("fmt", "bom"), [("csv", False), ("csv", True), ("vcard", False), ("json", False)]
)
def test_worker_processes_write_the_same_file_as_one_process(fmt: str, bom: bool) -> None:
    make_world()
    for i in range(6):
        make_person(given_name=f"Extra{i}", family_name="Guest", emails=[f"x{i}@example.com"])
    assert can_fork()
    counts: list[int] = []

    text = "".join(
        parallel_pieces(fmt, archived=False, jobs=2, bom=bom, counted=counts.append, size=2)
    )

    assert text == export_text(fmt, bom=bom)
    assert counts == [2, 2, 2, 2, 1]  # 9 people (Dan is archived), two a range
    export = people_export(actor=None, format=fmt, filters=ExportFilters(), bom=bom, jobs=2)
    assert "".join(export.pieces) == text
    assert export.count == 9


@pytest.mark.django_db
def test_the_command_refuses_fewer_than_one_job() -> None:
    with pytest.raises(CommandError) as exc:
        call_command("export", "--format", "csv", "--jobs", "0", stdout=io.StringIO())
    assert (exc.value.returncode, str(exc.value)) == (2, "jobs: Give at least 1.")


def _contacts(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "E-mail 1 - Value", "Birthday", "Labels"])
        for i in range(n):
            writer.writerow([f"Guest{i}", "Jobs", f"guest{i}@example.com", "--04-12", "Jazz"])


def test_the_command_on_a_database_file_writes_the_same_file_with_two_jobs(
    tmp_path: Path,
) -> None:
    """A real SQLite file, other processes reading it: three ranges of 5,000 people."""
    env = _env(tmp_path / "data")
    assert _goodwill("migrate", "-v", "0", env=env).returncode == 0
    assert _goodwill("demo", env=env).returncode == 0
    _contacts(tmp_path / "guests.csv", 10_001)
    assert _goodwill("import", str(tmp_path / "guests.csv"), env=env).returncode == 0

    for fmt in ("csv", "json"):
        files = []
        for jobs in ("1", "2"):
            target = tmp_path / f"people-{jobs}.{fmt}"
            done = _goodwill(
                "export", "--format", fmt, "--jobs", jobs, "--output", str(target), env=env
            )
            assert done.returncode == 0, done.stderr
            files.append(target.read_bytes())
        assert files[0] == files[1]
    records = json.loads(files[1])
    assert len(records) > 10_001
    assert records[-1]["given_name"] == "Guest10000"
    assert records[-1]["occasions"][0]["date"] == "--04-12"
