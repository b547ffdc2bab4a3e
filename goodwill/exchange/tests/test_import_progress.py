"""count_rows: the rows a progress bar counts against, for CSV and vCard files."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from goodwill.exchange.importer import progress
from goodwill.exchange.importer.progress import count_rows
from goodwill.exchange.parse import open_import


def test_it_counts_csv_rows_after_the_header_with_or_without_a_last_line_break(tmp_path):
    ended = tmp_path / "ended.csv"
    ended.write_text("Name,Email\r\nAnn,a@x.org\r\nBob,b@x.org\r\n", encoding="utf-8")
    open_ended = tmp_path / "open.csv"
    open_ended.write_text("Name,Email\nAnn,a@x.org\nBob,b@x.org", encoding="utf-16")
    assert count_rows(open_import(ended)) == 2
    assert count_rows(open_import(open_ended)) == 2


@pytest.mark.parametrize("last", ["\r", ""])
def test_it_counts_the_rows_of_a_csv_whose_lines_end_in_a_carriage_return_alone(tmp_path, last):
    # Classic Mac Excel ends lines with CR alone: its rows count too, so the bar moves.
    path = tmp_path / "mac.csv"
    path.write_bytes(f"Name,Email\rAnn,a@x.org\rBob,b@x.org\rCy,c@x.org{last}".encode())
    assert count_rows(open_import(path)) == 3


def test_it_counts_vcards_even_when_a_card_straddles_two_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "_PIECE", 7)
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nend:vcard\n"
    path = tmp_path / "cards.vcf"
    path.write_text(card * 5 + card.lower(), encoding="utf-8")
    assert count_rows(open_import(path)) == 6


@pytest.mark.sqlite_only
def test_an_import_reads_a_file_database_without_the_map_and_restores_it(tmp_path, db):
    import sqlite3

    from django.db import connections

    from goodwill.exchange.importer.connection import unmapped_database

    path = tmp_path / "mapped.sqlite3"
    sqlite3.connect(path).close()
    settings_dict = {**connections["default"].settings_dict, "NAME": str(path)}
    conn = connections["default"].__class__(settings_dict, alias="mapped")
    conn.connect()
    conn.connection.execute("PRAGMA mmap_size=1048576")
    try:
        with patch("goodwill.exchange.importer.connection.connection", conn), unmapped_database():
            assert conn.connection.execute("PRAGMA mmap_size").fetchone()[0] == 0
        assert conn.connection.execute("PRAGMA mmap_size").fetchone()[0] == 1048576
    finally:
        conn.close()
