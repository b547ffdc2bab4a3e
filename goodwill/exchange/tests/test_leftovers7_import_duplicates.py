"""A row skipped as a possible duplicate is reported as one everywhere: the CLI's summary (JSON
and text) and the downloadable report list it apart from the bad rows, which agree with the
bad-row count."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run, report, report_csv
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person
from goodwill.people.services import person_create

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "dupes.csv"
    path.write_text(
        "First Name,Last Name,Mobile,Notes\n"
        "Ann,Lee,,\n"  # Ann Lee is here already: a possible duplicate
        ",,,no name\n"  # a bad row
        "New,Person,=1+2,\n"  # imported without its phone
        "New,Person,,\n",  # a possible duplicate of the row before it
        encoding="utf-8",
    )
    return path


def _ann() -> Person:
    return person_create(actor=None, given_name="Ann", family_name="Lee").person


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_json_summary_lists_possible_duplicates_apart_from_the_bad_rows(
    tmp_path: Path,
) -> None:
    ann = _ann()

    summary = json.loads(_run(str(_file(tmp_path)), "--json"))

    batch = ImportBatch.objects.get()
    assert (batch.error_count, batch.duplicates) == (1, 2)
    assert summary["errors"] == [
        {"line": 3, "column": "", "message": "The row has no name, email, phone or company."}
    ]
    assert len(summary["errors"]) == batch.error_count
    assert summary["duplicates"] == [
        {
            "line": 2,
            "column": "name",
            "message": "Possible duplicate of Ann Lee (same name); skipped.",
            "person_id": ann.pk,
        },
        {
            "line": 5,
            "column": "name",
            "message": "Possible duplicate of a row earlier in this file (same name); skipped.",
            "person_id": None,
        },
    ]
    assert summary["possible_duplicates"] == 2
    assert [w["line"] for w in summary["warnings"]] == [4]


def test_the_text_summary_lists_possible_duplicates_apart_from_the_bad_rows(
    tmp_path: Path,
) -> None:
    _ann()

    out = _run(str(_file(tmp_path)))

    assert out.splitlines()[1:] == [
        "Columns: First Name → given_name; Last Name → family_name; Mobile → phone:mobile; "
        "Notes → note.",
        "  line 3 : The row has no name, email, phone or company.",
        "  line 2 name (possible duplicate): Possible duplicate of Ann Lee (same name); skipped.",
        "  line 5 name (possible duplicate): Possible duplicate of a row earlier in this file "
        "(same name); skipped.",
        "  line 4 Mobile (left out): =1+2 is not a valid phone number; imported without it.",
    ]


def test_a_refusal_with_json_lists_no_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(Exception):  # noqa: B017, PT011 - the refusal's exit, tested elsewhere
        call_command("import", str(path), "--json", stdout=out, stderr=io.StringIO())

    assert json.loads(out.getvalue())["duplicates"] == []


def test_the_report_csv_gives_possible_duplicates_their_own_kind(
    tmp_path: Path, maria: User
) -> None:
    _ann()
    batch = import_run(actor=maria, path=_file(tmp_path))

    lines = report_csv(batch).splitlines()

    assert lines == [
        "line,column,message,kind",
        '3,,"The row has no name, email, phone or company.",error',
        "2,name,Possible duplicate of Ann Lee (same name); skipped.,possible duplicate",
        "5,name,Possible duplicate of a row earlier in this file (same name); skipped.,"
        "possible duplicate",
        "4,Mobile,'=1+2 is not a valid phone number; imported without it.,warning",
    ]


def test_the_report_download_gives_possible_duplicates_their_own_kind(
    tmp_path: Path, maria: User, maria_client: Client
) -> None:
    _ann()
    batch = import_run(actor=maria, path=_file(tmp_path))

    response = maria_client.get(f"/imports/{batch.pk}/report.csv")

    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    kinds = [line.rsplit(",", 1)[1] for line in text.splitlines()[1:]]
    assert kinds == ["error", "possible duplicate", "possible duplicate", "warning"]


def test_the_report_summary_lists_possible_duplicates_apart(tmp_path: Path, maria: User) -> None:
    ann = _ann()
    batch = import_run(actor=maria, path=_file(tmp_path))

    summary = report(batch)

    assert [e["line"] for e in summary["errors"]] == [3]
    assert [(d["line"], d["person_id"]) for d in summary["duplicates"]] == [(2, ann.pk), (5, None)]
