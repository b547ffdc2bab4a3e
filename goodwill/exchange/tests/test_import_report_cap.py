"""An import keeps its first MAX_STORED_ERRORS bad rows: past that, the page and the report say
how many more there were instead of claiming to list them all."""

from __future__ import annotations

import csv
import io
from importlib import import_module

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.exchange.importer import import_run
from goodwill.exchange.views import imports as views_module

# The package re-exports functions under these modules' names.
report_module = import_module("goodwill.exchange.importer.report")
run_module = import_module("goodwill.exchange.importer.run")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


@pytest.fixture
def keeps_three(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (run_module, report_module, views_module):
        monkeypatch.setattr(module, "MAX_STORED_ERRORS", 3)


def _import(tmp_path, maria, nameless: int):
    path = tmp_path / "guests.csv"
    rows = "".join(f",,note {i}\n" for i in range(nameless))  # nameless: refused
    path.write_text("First Name,Last Name,Notes\nAnn,Lee,\n" + rows, encoding="utf-8")
    return import_run(actor=maria, path=path)


def test_the_report_says_how_many_bad_rows_it_does_not_list(
    tmp_path, maria, maria_client: Client, keeps_three
):
    batch = _import(tmp_path, maria, 5)
    assert (batch.created, batch.error_count, len(batch.errors)) == (1, 5, 3)
    response = maria_client.get(reverse("exchange:import_report", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:4]] == ["3", "4", "5"]
    assert rows[4] == ["", "", "2 more not listed: an import keeps the first 3.", "error"]
    page = maria_client.get(reverse("exchange:import_detail", args=[batch.pk])).content.decode()
    assert "The first 3 of 5; the report has the first 3 (an import keeps no more)." in page
    assert "the report has them all" not in page


def test_a_report_with_every_bad_row_says_so(tmp_path, maria, maria_client: Client):
    batch = _import(tmp_path, maria, 2)
    response = maria_client.get(reverse("exchange:import_report", args=[batch.pk]))
    assert "not listed" not in response.content.decode("utf-8-sig")
