"""A large import on SQLite builds a few indexes after its rows: they are dropped while it
writes, each one listed so that a killed import's are built again, and they are all back when it
ends, however it ends. Never for a file of people already stored, never on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from goodwill.exchange.importer import deferred, import_run, run
from goodwill.exchange.importer.deferred import DEFERRABLE, OLD, indexes_defer
from goodwill.exchange.models import DeferredIndex, ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("defer_early")]


def _guests(path: Path, n: int) -> Path:
    lines = ["First Name,Last Name,E-mail 1 - Value,Birthday,Organization Name"]
    lines += [
        f"Guest{i},Lee,guest{i}@example.com,1980-04-{i % 28 + 1:02d},Inn {i % 3}" for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _present() -> bool:
    """Whether all seven deferrable indexes exist (one check per index, by its columns; not
    the partial ones of the people stored before, named ``…__old``)."""
    with connection.cursor() as cursor:
        for model, columns, _bound in DEFERRABLE:
            found = connection.introspection.get_constraints(cursor, model._meta.db_table)
            whole = [c for name, c in found.items() if not name.endswith(OLD) and c["index"]]
            if not any(tuple(c["columns"]) == columns for c in whole):
                return False
    return True


def _import(path: Path, maria, **options) -> tuple[ImportBatch, list[tuple[int, bool]]]:
    seen: list[tuple[int, bool]] = []
    batch = import_run(
        actor=maria,
        path=path,
        chunk=10,
        progress=lambda rows, _total: seen.append((rows, _present())),
        **options,
    )
    return batch, seen


def test_a_large_import_builds_the_indexes_after_its_rows(tmp_path: Path, maria) -> None:
    assert _present()

    batch, seen = _import(_guests(tmp_path / "guests.csv", 100), maria)

    sqlite = connection.vendor == "sqlite"
    # After 2 chunks: 20 people created, 80 rows to come (SQLite only).
    assert seen == [(rows, rows < 20 or not sqlite) for rows in range(10, 101, 10)]
    assert _present()
    assert not DeferredIndex.objects.exists()
    assert (batch.state, batch.created) == ("done", 100)
    assert Person.objects.order_by("family_key", "sort_key").count() == 100
    assert Occasion.objects.filter(md=404).count() == 4  # 4 April: guests 3, 31, 59 and 87


@pytest.mark.sqlite_only
def test_a_file_of_people_already_stored_keeps_the_indexes(tmp_path: Path, maria) -> None:
    path = _guests(tmp_path / "guests.csv", 100)
    import_run(actor=maria, path=path, chunk=10)

    again, seen = _import(path, maria)

    assert (again.created, again.unchanged) == (0, 100)
    assert all(present for _rows, present in seen)


@pytest.mark.sqlite_only
def test_a_run_that_fails_halfway_builds_them_again(tmp_path: Path, maria, monkeypatch) -> None:
    path = _guests(tmp_path / "guests.csv", 100)
    real = run.write_chunk
    missing_at: list[int] = []

    def write_or_fail(*, batch: ImportBatch, **kwargs: Any) -> Any:
        if batch.rows == 50:
            missing_at.append(int(not _present()))
            raise RuntimeError("the disk is full")
        return real(batch=batch, **kwargs)

    monkeypatch.setattr(run, "write_chunk", write_or_fail)
    with pytest.raises(RuntimeError, match="the disk is full"):
        import_run(actor=maria, path=path, chunk=10)

    assert missing_at == [1]  # deferred when the sixth chunk failed
    assert _present()
    assert not DeferredIndex.objects.exists()
    assert Person.objects.count() == 50  # the chunks written before stay


@pytest.mark.sqlite_only
def test_when_building_them_fails_too_the_run_reports_its_own_error_and_keeps_the_list(
    tmp_path: Path, maria, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = run.write_chunk

    def write_or_fail(*, batch: ImportBatch, **kwargs: Any) -> Any:
        if batch.rows == 50:
            raise RuntimeError("the disk is full")
        return real(batch=batch, **kwargs)

    def cannot_build() -> list[str]:
        raise OSError("the database file is gone")

    monkeypatch.setattr(run, "write_chunk", write_or_fail)
    monkeypatch.setattr(deferred, "indexes_restore", cannot_build)
    with pytest.raises(RuntimeError, match="the disk is full"):
        import_run(actor=maria, path=_guests(tmp_path / "guests.csv", 100), chunk=10)

    assert "The deferred indexes were not built again" in caplog.text
    # 7 indexes, 3 partial ones to drop, the search index's catch-up and 3 triggers
    assert DeferredIndex.objects.count() == 14
    monkeypatch.undo()
    call_command("migrate", verbosity=0)
    assert _present()


@pytest.mark.sqlite_only
def test_a_killed_import_leaves_a_list_that_the_next_import_builds_first(
    tmp_path: Path, maria
) -> None:
    dropped = indexes_defer(ImportBatch.objects.create(file_name="killed.csv")).names
    assert len(dropped) == 8  # 7 indexes and the search index
    listed = set(DeferredIndex.objects.values_list("name", flat=True))
    assert set(dropped) - {"people_person_fts"} < listed  # with the search index's entries
    assert not _present()

    _batch, seen = _import(_guests(tmp_path / "few.csv", 5), maria)

    assert seen == [(5, True)]
    assert not DeferredIndex.objects.exists()


@pytest.mark.sqlite_only
def test_migrate_builds_the_indexes_of_a_killed_import() -> None:
    indexes_defer(ImportBatch.objects.create(file_name="killed.csv"))
    assert not _present()

    call_command("migrate", verbosity=0)

    assert _present()
    assert not DeferredIndex.objects.exists()
