"""A large import on SQLite builds the substring search index after its rows: people it adds
are found by any part of their name once it ends, and people added, renamed or deleted by others
while it runs are indexed as they are then, with the index left sound (FTS5's own check)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from goodwill.exchange.importer import deferred, import_run
from goodwill.exchange.importer.deferred import indexes_defer
from goodwill.exchange.models import DeferredIndex, ImportBatch
from goodwill.people.selectors.search import person_search
from goodwill.people.services.persons import person_create, person_delete, person_update

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.sqlite_only,
    pytest.mark.usefixtures("defer_early"),
]


def _guests(path: Path, n: int) -> Path:
    lines = ["First Name,Last Name,E-mail 1 - Value"]
    lines += [f"Guest{i},Quillfeather{i},guest{i}@example.com" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _found(maria, text: str) -> set[str]:
    return {p.family_name for p in person_search(user=maria, q=text, limit=200).items}


def _adds_trigger() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'people_person_fts_ai'")
        return cursor.fetchone() is not None


def _index_is_sound() -> None:
    """FTS5 compares its index with the people table; it raises if they differ."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_person_fts(people_person_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_people_a_large_import_adds_are_found_by_part_of_their_name(tmp_path, maria) -> None:
    before = person_create(actor=maria, given_name="Olde", family_name="Quillfeatherstone").person
    seen: list[bool] = []

    import_run(
        actor=maria,
        path=_guests(tmp_path / "guests.csv", 100),
        chunk=10,
        progress=lambda _rows, _total: seen.append(_adds_trigger()),
    )

    assert seen[0]
    assert not any(seen[1:])
    assert _adds_trigger()
    assert not DeferredIndex.objects.exists()
    assert _found(maria, "lfeather99") == {"Quillfeather99"}  # written in the last chunk
    assert _found(maria, "illfeather") == {f"Quillfeather{i}" for i in range(100)} | {
        before.family_name
    }
    _index_is_sound()


def test_what_others_change_while_it_is_deferred_is_indexed_as_it_is_then(
    tmp_path, maria, alice
) -> None:
    older = person_create(actor=maria, given_name="Ada", family_name="Oldname").person
    gone = person_create(actor=maria, given_name="Gus", family_name="Gonesoon").person
    done: list[int] = []

    def meanwhile(rows: int, _total: int) -> None:
        if rows != 50:
            return
        assert not _adds_trigger()  # deferred by now
        person_update(actor=maria, person=older, family_name="Newname")  # indexed before
        person_delete(actor=alice, person=gone)
        added = person_create(actor=maria, given_name="Zed", family_name="Addedmeanwhile").person
        person_update(actor=maria, person=added, family_name="Renamedmeanwhile")
        dropped = person_create(
            actor=maria, given_name="Yan", family_name="Droppedmeanwhile"
        ).person
        person_delete(actor=alice, person=dropped)
        done.append(rows)

    import_run(
        actor=maria, path=_guests(tmp_path / "guests.csv", 100), chunk=10, progress=meanwhile
    )

    assert done == [50]
    _index_is_sound()
    assert _found(maria, "ewnam") == {"Newname"}
    assert _found(maria, "ldnam") == set()
    assert _found(maria, "onesoo") == set()
    assert _found(maria, "enamedmeanwhil") == {"Renamedmeanwhile"}
    assert _found(maria, "ddedmeanwhil") == set()
    assert _found(maria, "roppedmeanwhil") == set()


def test_a_killed_import_s_search_index_is_caught_up_by_migrate(maria) -> None:
    person_create(actor=maria, given_name="Before", family_name="Thekill")
    dropped = indexes_defer(ImportBatch.objects.create(file_name="killed.csv")).names
    assert "people_person_fts" in dropped
    after = person_create(actor=maria, given_name="After", family_name="Thekillagain").person
    assert _found(maria, "hekillagai") == set()  # not indexed while deferred

    call_command("migrate", verbosity=0)

    assert not DeferredIndex.objects.exists()
    assert _adds_trigger()
    assert _found(maria, "hekillagai") == {after.family_name}
    assert _found(maria, "hekill") == {"Thekill", "Thekillagain"}
    _index_is_sound()
    person_update(actor=maria, person=after, family_name="Movedon")  # the triggers are back
    assert _found(maria, "ovedo") == {"Movedon"}
    _index_is_sound()


def test_deferring_twice_changes_nothing_the_second_time(maria) -> None:
    batch = ImportBatch.objects.create(file_name="twice.csv")
    first = indexes_defer(batch).names
    again = indexes_defer(batch).names

    assert "people_person_fts" in first
    assert again == []
    # and 3 partial indexes to drop, the catch-up and 3 triggers
    assert DeferredIndex.objects.count() == len(first) + 6
    deferred.indexes_restore()
    _index_is_sound()
