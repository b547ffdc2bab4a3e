"""An import lists every bad row and every value left out, however many: the page shows the
first ones and says the report has them all; the report (web and API) and the CLI list all."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from goodwill.exchange.importer import import_run
from goodwill.exchange.views.imports import SHOWN_ROWS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

MANY = SHOWN_ROWS + 50
NAMELESS = "The row has no name, email, phone or company."


def _file(tmp_path, nameless: int, bad_phones: int = 0):
    path = tmp_path / "guests.csv"
    rows = "".join(f",,note {i},\n" for i in range(nameless))  # nameless: refused
    rows += "".join(f"P{i},Lee,,not a phone {i}\n" for i in range(bad_phones))  # left out
    path.write_text("First Name,Last Name,Notes,Phone 1 - Value\nAnn,Lee,,\n" + rows, "utf-8")
    return path


def _report(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_the_report_lists_every_bad_row_and_value_left_out(tmp_path, maria, maria_client):
    batch = import_run(actor=maria, path=_file(tmp_path, MANY, MANY), chunk=40)
    assert (batch.created, batch.error_count, batch.warning_count) == (1 + MANY, MANY, MANY)
    rows = _report(maria_client, reverse("exchange:import_report", args=[batch.pk]))
    assert rows[0] == ["line", "column", "message", "kind"]
    errors = [r for r in rows[1:] if r[3] == "error"]
    warnings = [r for r in rows[1:] if r[3] == "warning"]
    # Lines 3.. are the nameless rows, then the rows with a bad phone, all in file order.
    assert [int(r[0]) for r in errors] == list(range(3, 3 + MANY))
    assert [int(r[0]) for r in warnings] == list(range(3 + MANY, 3 + 2 * MANY))
    last = f"not a phone {MANY - 1} is not a valid phone number; imported without it."
    assert warnings[-1][2] == last
    assert not any("not listed" in r[2] for r in rows)


def test_the_page_shows_the_first_rows_and_says_the_report_has_them_all(
    tmp_path, maria, maria_client
):
    batch = import_run(actor=maria, path=_file(tmp_path, MANY), chunk=40)
    page = maria_client.get(reverse("exchange:import_detail", args=[batch.pk])).content.decode()
    assert f"The first {SHOWN_ROWS}; the report has them all." in page
    assert page.count(NAMELESS) == SHOWN_ROWS


def test_a_page_with_every_bad_row_does_not_point_elsewhere(tmp_path, maria, maria_client):
    batch = import_run(actor=maria, path=_file(tmp_path, 2))
    page = maria_client.get(reverse("exchange:import_detail", args=[batch.pk])).content.decode()
    assert page.count(NAMELESS) == 2
    assert "the report has them all" not in page
    assert len(_report(maria_client, reverse("exchange:import_report", args=[batch.pk]))) == 3


def test_the_api_answers_the_first_rows_and_its_report_every_one(
    tmp_path, maria, tokens, monkeypatch
):
    from goodwill.exchange import api_imports

    monkeypatch.setattr(api_imports, "API_LISTED", 5)
    batch = import_run(actor=maria, path=_file(tmp_path, 12))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens['maria']}")
    answer = client.get(f"/api/v1/imports/{batch.pk}").json()
    assert (answer["error_count"], len(answer["errors"])) == (12, 5)
    assert answer["errors"][0] == {"line": 3, "column": "", "message": NAMELESS}
    rows = _report(client, f"/api/v1/imports/{batch.pk}/report")
    assert [int(r[0]) for r in rows[1:]] == list(range(3, 15))


def test_the_cli_lists_every_bad_row(tmp_path, maria, capsys):
    path = _file(tmp_path, MANY)
    call_command("import", str(path), "--json", "--as", maria.email)
    summary = json.loads(capsys.readouterr().out)
    assert len(summary["errors"]) == MANY
    assert summary["errors"][-1]["line"] == 2 + MANY
