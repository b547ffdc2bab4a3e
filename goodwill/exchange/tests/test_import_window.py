"""While a large import has deferred the email, phone and name indexes (SQLite), its later rows
still find the people it wrote since and the people stored before: by email, by phone, by name
and another fact, and as a possible duplicate by name alone. Nobody is imported twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from goodwill.exchange.importer import deferred, import_run
from goodwill.exchange.importer.deferred import OLD, indexes_defer
from goodwill.exchange.importer.window import Window
from goodwill.exchange.models import DeferredIndex, ImportBatch
from goodwill.people.models import Person
from goodwill.people.services.persons import person_create

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.sqlite_only,
    pytest.mark.usefixtures("defer_early"),
]
HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Birthday,Organization Name"


def _guest(i: int, *, email: bool = True, phone: bool = True, org: str = "") -> str:
    address = f"guest{i}@example.com" if email else ""
    number = f"+1 902 555 {i:04d}" if phone else ""
    return f"Guest{i},Lee,{address},{number},1980-04-{i % 28 + 1:02d},{org}"


def _file(path: Path) -> Path:
    lines = [HEADER] + [_guest(i) for i in range(60)]  # chunks 1-6; deferred after chunk 2
    lines[34] = "Nora,Short,,,1975-02-03,"  # line 34, chunk 4: no email, no phone
    lines += [
        _guest(25, phone=False, org="Inn"),  # by email: created after the deferral
        "G.,Lee,,+1 902 555 0030,,Harbour",  # by phone alone (no email on the row)
        _guest(35, email=False, phone=False, org="Cove"),  # by name and birthday
        _guest(5, phone=False, org="Inn"),  # by email: created before the deferral
        "Ada,Stored,ada@example.com,,,Inn",  # by email: stored before the import
        "Guest40,Lee,,,,",  # by name alone: a possible duplicate
        "Nora,Short,nora@example.com,+1 902 555 7777,1975-02-03,",  # by name and birthday
    ]
    lines += [_guest(i) for i in range(60, 94)]  # chunks 7-10
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _orgs(given: str) -> set[str]:
    person = Person.objects.get(given_name=given)
    return set(person.memberships.values_list("organisation__name", flat=True))


@pytest.mark.parametrize("defers", [True, False])
def test_later_rows_find_who_the_import_wrote_since_it_deferred(
    tmp_path: Path, maria, monkeypatch: pytest.MonkeyPatch, defers: bool
) -> None:
    if not defers:  # the same file, the indexes in place all along: the same people
        monkeypatch.setattr(deferred, "MIN_CREATED", 10**6)
    person_create(actor=maria, given_name="Ada", family_name="Stored", emails=["ada@example.com"])
    deferred_at: list[int] = []

    batch = import_run(
        actor=maria,
        path=_file(tmp_path / "guests.csv"),
        chunk=10,
        progress=lambda rows, _total: deferred_at.extend(
            [rows] if DeferredIndex.objects.exists() and not deferred_at else []
        ),
    )

    assert deferred_at == ([20] if defers else [])
    assert (batch.created, batch.updated, batch.duplicates) == (94, 6, 1)
    assert Person.objects.count() == 95
    assert Person.objects.filter(given_name="Guest25").count() == 1
    assert _orgs("Guest25") == {"Inn"}
    assert _orgs("Guest30") == {"Harbour"}
    assert _orgs("Guest35") == {"Cove"}
    assert _orgs("Guest5") == {"Inn"}
    assert _orgs("Ada") == {"Inn"}
    nora = Person.objects.get(given_name="Nora")
    assert (nora.primary_email, nora.primary_phone) == ("nora@example.com", "+19025557777")
    duplicate = next(e for e in batch.errors if e["line"] == 67)
    assert duplicate["message"].startswith("Possible duplicate of ")
    assert not DeferredIndex.objects.exists()


def test_the_same_file_again_after_a_deferred_run_creates_nobody(tmp_path: Path, maria) -> None:
    path = _file(tmp_path / "guests.csv")
    import_run(actor=maria, path=path, chunk=10)

    again = import_run(actor=maria, path=path, chunk=10)

    assert again.created == 0
    assert Person.objects.count() == 95  # 94 guests and Ada


def test_the_people_stored_before_are_looked_up_through_their_partial_index(maria) -> None:
    person_create(actor=maria, given_name="Ada", family_name="Stored", emails=["ada@example.com"])
    window = Window(indexes_defer(ImportBatch.objects.create(file_name="big.csv")).at)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT email, person_id FROM people_personemail"  # noqa: S608
                f" WHERE email IN ('ada@example.com'){window.old('people_personemail')}"
            )
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    finally:
        window.close()
        deferred.indexes_restore()

    assert f"{OLD} (email=?" in plan


def test_someone_added_by_hand_meanwhile_is_found_by_a_later_row(tmp_path: Path, maria) -> None:
    added: list[int] = []

    def meanwhile(rows: int, _total: int) -> None:
        if rows == 40:  # deferred after row 20; the file's row for Hanna comes in chunk 7
            assert DeferredIndex.objects.exists()
            hanna = person_create(
                actor=maria, given_name="Hanna", family_name="Byhand", emails=["hanna@example.com"]
            )
            added.append(hanna.person.pk)

    lines = [HEADER] + [_guest(i) for i in range(60)]
    lines += ["Hanna,Byhand,hanna@example.com,+1 902 555 8888,,Inn"]
    lines += [_guest(i) for i in range(60, 90)]
    path = tmp_path / "guests.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    batch = import_run(actor=maria, path=path, chunk=10, progress=meanwhile)

    assert (batch.created, batch.updated) == (90, 1)
    assert list(Person.objects.filter(family_name="Byhand").values_list("pk", flat=True)) == added
    assert _orgs("Hanna") == {"Inn"}


def test_an_email_a_merge_moves_meanwhile_is_still_found(tmp_path: Path, maria) -> None:
    """Ada (stored before) is merged into Guest30 (added by the import): her email row moves
    to a person added since, and a later row with it still finds Guest30."""
    from goodwill.exchange.services.merge import person_merge

    ada = person_create(
        actor=maria, given_name="Ada", family_name="Stored", emails=["ada@example.com"]
    ).person

    def meanwhile(rows: int, _total: int) -> None:
        if rows == 40:
            guest = Person.objects.get(given_name="Guest30")
            person_merge(actor=maria, survivor=guest, other=ada)

    lines = [HEADER] + [_guest(i) for i in range(60)]
    lines += ["Ada,Stored,ada@example.com,,,Harbour"]  # chunk 7
    lines += [_guest(i) for i in range(60, 90)]
    path = tmp_path / "guests.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    batch = import_run(actor=maria, path=path, chunk=10, progress=meanwhile)

    assert (batch.created, batch.updated) == (90, 1)
    assert not Person.objects.filter(given_name="Ada").exists()
    assert _orgs("Guest30") == {"Harbour"}


def test_a_warned_row_folded_into_a_new_person_of_its_chunk_keeps_whose_it_is(
    tmp_path: Path, maria
) -> None:
    lines = [HEADER] + [_guest(i) for i in range(60)]
    lines += [  # chunk 7, after the deferral: the same person twice, the second with a bad phone
        "Lena,Twice,lena@example.com,,,",
        "Lena,Twice,lena@example.com,not a phone,,",
    ]
    lines += [_guest(i) for i in range(60, 90)]
    path = tmp_path / "guests.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    batch = import_run(actor=maria, path=path, chunk=10)

    lena = Person.objects.get(given_name="Lena")
    warning = next(w for w in batch.warnings if w["line"] == 63)
    assert "not a valid phone number" in warning["message"]
    assert warning.get("person_id") == lena.pk
