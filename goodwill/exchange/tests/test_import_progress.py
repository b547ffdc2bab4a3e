"""count_rows: the rows a progress bar counts against, for CSV and vCard files."""

from __future__ import annotations

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


def test_it_counts_vcards_even_when_a_card_straddles_two_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "_PIECE", 7)
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nend:vcard\n"
    path = tmp_path / "cards.vcf"
    path.write_text(card * 5 + card.lower(), encoding="utf-8")
    assert count_rows(open_import(path)) == 6
