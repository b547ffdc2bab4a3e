"""``goodwill import``: the JSON summary, bad rows listed with exit 0, file errors exit 2."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person


def _csv(tmp_path):
    path = tmp_path / "guests.csv"
    path.write_text(
        "First Name,Last Name,Email,Mobile\n"
        "Ann,Lee,ann@example.com,+1 902 555 0101\n"
        "Bob,Lee,bob@example.com,nope\n"
        ",,cy@example.com,\n",
        encoding="utf-8",
    )
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_one_json_summary(tmp_path, db):
    out, err = _run(str(_csv(tmp_path)), "--json")
    batch = ImportBatch.objects.get()
    assert json.loads(out) == {
        "batch_id": batch.pk,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "possible_duplicates": 0,
        "dry_run": False,
        "errors": [{"line": 4, "column": "name", "message": "The row has no name."}],
        "duplicates": [],
        "warnings": [
            {
                "line": 3,
                "column": "Mobile",
                "message": "nope is not a valid phone number; imported without it.",
            }
        ],
        "mapping": {
            "First Name": "given_name",
            "Last Name": "family_name",
            "Email": "email",
            "Mobile": "phone:mobile",
        },
    }
    assert err.rstrip().endswith("[##############################] 100%  3 / about 3 rows")
    assert batch.created_by is None
    assert list(Person.objects.order_by("id").values_list("given_name", flat=True)) == [
        "Ann",
        "Bob",
    ]


def test_it_prints_a_summary_and_the_bad_rows(tmp_path, db):
    out, _err = _run(str(_csv(tmp_path)), "--dedupe", "skip")
    assert out.splitlines() == [
        f"guests.csv: 2 created, 0 updated, 0 unchanged, 0 skipped (0 possible duplicates), "
        f"1 bad rows, 1 values left out (batch {ImportBatch.objects.get().pk}).",
        "Columns: First Name → given_name; Last Name → family_name; Email → email; "
        "Mobile → phone:mobile.",
        "  line 4 name: The row has no name.",
        "  line 3 Mobile (left out): nope is not a valid phone number; imported without it.",
    ]


def test_a_dry_run_writes_no_one(tmp_path, db):
    out, _err = _run(str(_csv(tmp_path)), "--dry-run", "--json")
    assert (json.loads(out)["created"], json.loads(out)["dry_run"]) == (2, True)
    assert Person.objects.count() == 0


def test_it_shows_the_columns_it_did_not_import_so_they_can_be_mapped(tmp_path, db):
    path = tmp_path / "kunden.csv"
    path.write_text("Vorname,Zuname,Hat\nAnn,Lee,red\n", encoding="utf-8")
    out, _err = _run(str(path), "--dry-run")
    assert out.splitlines()[1:] == [
        "Columns: Vorname → given_name; Zuname → not imported; Hat → not imported.",
        "  Import a column with --map COLUMN=FIELD, or keep the rest in notes with --unmapped "
        "notes.",
    ]
    out, _err = _run(str(path), "--json", "--map", "Zuname=family_name", "--unmapped", "notes")
    assert json.loads(out)["mapping"] == {
        "Vorname": "given_name",
        "Zuname": "family_name",
        "Hat": "notes",
    }
    person = Person.objects.get()
    assert (person.family_name, person.notes) == ("Lee", "Hat: red")


def test_map_sends_a_column_to_a_field(tmp_path, db):
    _run(str(_csv(tmp_path)), "--map", "Mobile=ignore")
    assert Person.objects.count() == 2


def test_a_file_error_exits_2_naming_the_file(tmp_path, db):
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError) as exc:
        _run(str(path))
    assert exc.value.returncode == 2
    assert "nothing.csv: the file is empty." in str(exc.value)


def test_a_file_error_with_json_is_still_one_json_summary(tmp_path, db):
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), "--json", stdout=out, stderr=io.StringIO())
    assert exc.value.returncode == 2
    summary = json.loads(out.getvalue())
    assert (summary["created"], summary["updated"], summary["skipped"]) == (0, 0, 0)
    assert summary["errors"] == [
        {"line": None, "column": "file", "message": "nothing.csv: the file is empty."}
    ]


def test_a_missing_file_exits_3(tmp_path, db):
    with pytest.raises(CommandError) as exc:
        _run(str(tmp_path / "gone.csv"))
    assert exc.value.returncode == 3
    assert "gone.csv: there is no such file." in str(exc.value)
    assert ImportBatch.objects.count() == 0


def test_staff_cannot_import(tmp_path, bob):
    with pytest.raises(CommandError) as exc:
        _run(str(_csv(tmp_path)), "--as", "bob@example.com")
    assert exc.value.returncode == 4
    assert (Person.objects.count(), ImportBatch.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("Mobile=bogus", "Unknown field 'bogus'"),
        ("Nope=email", "There is no column 'Nope'."),
    ],
)
def test_a_bad_map_names_map_and_records_no_batch(tmp_path, db, mapping, message):
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import", str(_csv(tmp_path)), "--json", "--map", mapping, stdout=out, stderr=out
        )
    assert exc.value.returncode == 2
    (error,) = json.loads(out.getvalue().split("\nCommandError")[0])["errors"]
    assert (error["column"], error["message"].startswith(message)) == ("map", True)
    assert (ImportBatch.objects.count(), Person.objects.count()) == (0, 0)


def test_map_on_a_vcard_is_refused(tmp_path, db):
    path = tmp_path / "ann.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nN:Lee;Ann;;;\nEND:VCARD\n")
    with pytest.raises(CommandError) as exc:
        _run(str(path), "--map", "EMAIL=ignore")
    assert "map: Only a CSV file's columns can be mapped" in str(exc.value)
    assert Person.objects.count() == 0


def test_a_refusal_with_json_has_the_keys_of_a_runs_summary(tmp_path, db):
    done, _err = _run(str(_csv(tmp_path)), "--json", "--dry-run")
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--json", stdout=out, stderr=io.StringIO())
    assert sorted(json.loads(out.getvalue())) == sorted(json.loads(done))


def test_columns_the_header_leaves_blank_go_to_notes_by_their_place(tmp_path, db):
    path = tmp_path / "blanks.csv"
    path.write_text("First Name,Email,,\nFay,fay@example.com,foo,bar\n", encoding="utf-8")

    out, _err = _run(str(path), "--unmapped", "notes")

    assert Person.objects.get().notes == "Column 3: foo\nColumn 4: bar"
    assert "Column 3 → notes; Column 4 → notes" in out


def test_a_column_the_header_leaves_blank_may_be_mapped_by_its_place(tmp_path, db):
    path = tmp_path / "blanks.csv"
    path.write_text("First Name,,Note\nFay,fay@example.com,x\n", encoding="utf-8")

    _run(str(path), "--map", "Column 2=email")

    assert Person.objects.get().primary_email == "fay@example.com"


def test_a_blank_header_beside_a_column_called_like_it_keeps_both_values(tmp_path, db):
    path = tmp_path / "clash.csv"
    path.write_text("Name,Email,,Column 3\nAnn Lee,ann@example.com,blank,named\n")

    _run(str(path), "--unmapped", "notes")

    assert Person.objects.get().notes == "Column 3 (no header): blank\nColumn 3: named"


def test_map_on_a_file_with_no_rows_names_the_file_not_map(tmp_path, db):
    path = tmp_path / "empty-rows.csv"
    path.write_text("Name,Email,Notes\n")
    with pytest.raises(CommandError) as exc:
        _run(str(path), "--map", "Notes=note", "--dry-run")
    assert "file: empty-rows.csv: there are column headers but no rows" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        _run(str(path), "--map", "Notes=notes", "--dry-run")
    assert "map: Unknown field 'notes'" in str(exc.value)


def test_a_bad_map_on_a_purchases_import_names_map_and_records_no_batch(tmp_path, db):
    from goodwill.exchange.tests import pos_world

    with pytest.raises(CommandError) as exc:
        _run(str(pos_world.write(tmp_path)), "--kind", "purchases", "--map", "Hat=amount")
    assert "map: There is no column 'Hat'." in str(exc.value)
    assert ImportBatch.objects.count() == 0
