"""Excel's ``sep=;`` first line on the mapping step's column preview and in a purchase
import: the header is the next line, and the first values are the rows after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.commerce.models import Purchase
from goodwill.exchange.pos import pos_import_run
from goodwill.exchange.selectors import import_columns
from goodwill.exchange.services.imports import import_upload
from goodwill.exchange.tests import pos_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


def test_the_column_preview_of_a_sep_file(maria: User) -> None:
    data = b"sep=;\r\nName;Email\r\nAnn Lee;ann@example.com\r\n"
    batch = import_upload(actor=maria, name="excel.csv", chunks=[data])
    columns = import_columns(batch=batch)
    assert [(c.header, c.samples) for c in columns] == [
        ("Name", ["Ann Lee"]),
        ("Email", ["ann@example.com"]),
    ]


def test_a_purchase_export_with_a_sep_line(tmp_path: Path, maria: User) -> None:
    pos_world.people()
    header = pos_world.HEADER.replace(",", ";")
    row = "2024-03-05;R-1;Sale;Wine;;20.00;;ann@example.com;;;Ann Lee;;\n"
    path = pos_world.write(tmp_path, "sep=;\n" + header + row)
    batch = pos_import_run(actor=maria, path=path)
    assert (batch.created, batch.error_count) == (1, 0)
    assert Purchase.objects.get().reference == "R-1"
