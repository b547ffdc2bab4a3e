"""import_run: bad rows among good ones, dry runs, refusals, file errors, the report."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import AuditEntry
from goodwill.core.errors import Forbidden, Invalid
from goodwill.exchange.importer import import_run, report, report_csv
from goodwill.exchange.models import ImportBatch
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person, PersonEmail, PersonPhone

HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Birthday,Shoe size\n"


def _csv(tmp_path, *rows: str):
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        PersonEmail.objects.count(),
        PersonPhone.objects.count(),
        Occasion.objects.count(),
        AuditEntry.objects.count(),
    )


def test_bad_values_are_left_out_with_warnings_and_nameless_rows_refused(tmp_path, maria):
    path = _csv(
        tmp_path,
        "Ann,Lee,ann@example.com,+1 902 555 0101,1980-04-12,",
        "Bob,Lee,bob@example.com,call me,1981-05-13,",
        "Cy,Lee,not-an-email,,,",
        "Di,Lee,di@example.com,,1990-02-30,",
        ",,zed@example.com,,,",
        "Ed,Lee,ed@example.com,,,",
    )
    batch = import_run(actor=maria, path=path)
    assert (batch.state, batch.rows, batch.created, batch.error_count) == ("done", 6, 5, 1)
    assert batch.errors == [{"line": 6, "column": "name", "message": "The row has no name."}]
    assert batch.warning_count == 3
    ids = dict(Person.objects.values_list("given_name", "pk"))
    # Each warning keeps the person its row became, so that erasing them removes it.
    assert batch.warnings == [
        {
            "line": 3,
            "column": "Phone 1 - Value",
            "message": "call me is not a valid phone number; imported without it.",
            "person_id": ids["Bob"],
        },
        {
            "line": 4,
            "column": "E-mail 1 - Value",
            "message": "not-an-email is not a valid email address: An email address must have"
            " an @-sign; imported without it.",
            "person_id": ids["Cy"],
        },
        {
            "line": 5,
            "column": "Birthday",
            "message": "'1990-02-30' is not a valid date: February has at most 29 days;"
            " imported without it.",
            "person_id": ids["Di"],
        },
    ]
    people = Person.objects.order_by("id")
    assert [(p.given_name, p.emails.count(), p.phones.count()) for p in people] == [
        ("Ann", 1, 1),
        ("Bob", 1, 0),
        ("Cy", 0, 0),
        ("Di", 1, 0),
        ("Ed", 1, 0),
    ]
    assert not PersonEmail.objects.filter(email="zed@example.com").exists()
    assert list(Occasion.objects.order_by("id").values_list("person__given_name", "month")) == [
        ("Ann", 4),
        ("Bob", 5),
    ]


def test_each_chunk_has_one_audit_entry_naming_the_batch(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,,", "Ed,Lee,ed@example.com,,,")
    batch = import_run(actor=maria, path=path, chunk=1)
    entries = AuditEntry.objects.filter(action="import.chunk").order_by("id")
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    assert [e.changes for e in entries] == [
        {"batch": batch.pk, "created": 1, "updated": 0, "people": [i], "updated_people": []}
        for i in ids
    ]
    assert {(e.actor_id, e.target_type, e.target_id) for e in entries} == {
        (maria.pk, "exchange.importbatch", batch.pk)
    }
    assert Person.objects.filter(source="imported", created_by=maria).count() == 2


def test_a_dry_run_writes_nothing_but_the_batch(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,1980-04-12,", "Bob,Lee,bad,,,", ",,x@y.org,,,")
    before = _counts()
    batch = import_run(actor=maria, path=path, dry_run=True)
    assert (batch.state, batch.dry_run, batch.created, batch.error_count) == ("dry-run", True, 2, 1)
    assert [(e["line"], e["column"]) for e in batch.errors] == [(4, "name")]
    assert [(w["line"], w["column"]) for w in batch.warnings] == [(3, "E-mail 1 - Value")]
    assert _counts() == before
    assert ImportBatch.objects.count() == 1


def test_staff_are_refused_before_anything_is_written(tmp_path, bob):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,,")
    before = _counts()
    with pytest.raises(Forbidden):
        import_run(actor=bob, path=path)
    assert _counts() == before
    assert Person.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_file_that_cannot_be_read_fails_the_batch_naming_the_file(tmp_path, alice):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(Invalid) as exc:
        import_run(actor=alice, path=path)
    assert exc.value.fields == {"file": ["empty.csv: the file is empty."]}
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.message, batch.file_name) == (
        "failed",
        "empty.csv: the file is empty.",
        "empty.csv",
    )
    assert Person.objects.count() == 0


def test_unmapped_columns_go_to_notes_when_asked(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,,44")
    import_run(actor=maria, path=path, unmapped="notes")
    assert Person.objects.get().notes == "Shoe size: 44"


def test_unmapped_columns_are_ignored_by_default(tmp_path, maria):
    import_run(actor=maria, path=_csv(tmp_path, "Ann,Lee,ann@example.com,,,44"))
    assert Person.objects.get().notes == ""


def test_a_mapping_sends_a_column_to_a_field(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,,Sailing")
    import_run(actor=maria, path=path, mapping={"Shoe size": "categories"})
    assert list(Person.objects.get().interests.values_list("interest__name", flat=True)) == [
        "Sailing"
    ]


def test_a_mapping_names_the_column_as_the_file_spells_it(tmp_path, maria):
    """ "Email" and "E-mail" read the same: the choice for one changes that one only."""
    path = tmp_path / "two.csv"
    path.write_text("Name,Email,E-mail\nAnn Lee,ann@example.com,ann.other@example.com\n", "utf-8")
    import_run(actor=maria, path=path, mapping={"Email": "ignore"})
    assert list(Person.objects.get().emails.values_list("email", flat=True)) == [
        "ann.other@example.com"
    ]
    with pytest.raises(Invalid) as caught:
        import_run(actor=maria, path=path, mapping={"EMAIL": "ignore"})
    assert "'EMAIL' could be any of the columns 'Email', 'E-mail'" in caught.value.message


def test_progress_is_called_after_each_chunk(tmp_path, maria):
    path = _csv(tmp_path, *[f"P{i},Lee,p{i}@example.com,,," for i in range(5)])
    seen: list[tuple[int, int]] = []
    import_run(actor=maria, path=path, chunk=2, progress=lambda *args: seen.append(args))
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_report_and_its_csv_are_formula_safe(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,=cmd@x,,,")
    batch = import_run(actor=maria, path=path)
    summary = report(batch)
    assert (summary["created"], summary["error_count"], summary["batch_id"]) == (1, 0, batch.pk)
    assert summary["warning_count"] == 1
    lines = report_csv(batch).splitlines()
    assert lines[0] == "line,column,message,kind"
    assert lines[1].startswith("2,E-mail 1 - Value,'=cmd@x is not a valid email address")
    assert lines[1].endswith("; imported without it.,warning")


def test_a_row_a_service_refuses_is_reported_and_the_rest_of_its_chunk_stored(
    tmp_path, maria, monkeypatch
):
    from goodwill.exchange.importer import write

    real = write.person_row

    def refuse_bob(row, detail=""):
        if row.values["given_name"] == "Bob":
            raise Invalid.field("given_name", "Refused.")
        return real(row, detail)

    monkeypatch.setattr(write, "person_row", refuse_bob)
    path = _csv(
        tmp_path,
        "Ann,Lee,ann@example.com,,1980-04-12,",
        "Bob,Lee,bob@example.com,+1 902 555 0101,1981-05-13,",
        "Ed,Lee,ed@example.com,,,",
    )
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.error_count) == (2, 1)
    assert batch.errors == [{"line": 3, "column": "given_name", "message": "given_name: Refused."}]
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Ann", "Ed"]
    assert (PersonPhone.objects.count(), Occasion.objects.count()) == (0, 1)
    assert AuditEntry.objects.filter(action="import.chunk").count() == 1


def test_categories_become_interests_by_default(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,,Sailing")
    import_run(actor=maria, path=path, mapping={"Shoe size": "categories"})
    ann = Person.objects.get()
    assert list(ann.interests.values_list("interest__name", flat=True)) == ["Sailing"]
    assert ann.notes == ""


def test_categories_can_go_to_the_notes_instead_of_interests(tmp_path, maria):
    path = _csv(tmp_path, 'Ann,Lee,ann@example.com,,,"Sailing, Tea"')
    import_run(actor=maria, path=path, mapping={"Shoe size": "categories"}, categories="notes")
    ann = Person.objects.get()
    assert (ann.interests.count(), ann.notes) == (0, "Categories: Sailing, Tea")


def test_categories_can_be_ignored(tmp_path, maria):
    path = _csv(tmp_path, "Ann,Lee,ann@example.com,,,Sailing")
    import_run(actor=maria, path=path, mapping={"Shoe size": "categories"}, categories="ignore")
    ann = Person.objects.get()
    assert (ann.interests.count(), ann.notes) == (0, "")


def test_google_system_labels_never_become_interests(tmp_path, maria):
    path = tmp_path / "google.csv"
    path.write_text(
        "First Name,Last Name,Labels\nAnn,Lee,* myContacts ::: * starred ::: Sailing\n",
        encoding="utf-8",
    )
    import_run(actor=maria, path=path)
    ann = Person.objects.get()
    assert list(ann.interests.values_list("interest__name", flat=True)) == ["Sailing"]
