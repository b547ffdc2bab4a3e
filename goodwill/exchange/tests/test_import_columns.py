"""Bad rows and values left out are reported with the file's own column (a vCard's property),
as the person who made the file knows it, not goodwill's field names."""

from __future__ import annotations

import pytest

from goodwill.exchange.importer import import_run

pytestmark = pytest.mark.django_db


def _problems(problems: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(p["line"], p["column"]) for p in problems]


def test_a_csv_names_its_own_columns(tmp_path, maria):
    path = tmp_path / "kunden.csv"
    long_name = "L" * 151
    path.write_text(
        "First Name,Last Name,Work Email,Home Email,Mobile Phone,Birthday\n"
        "Ann,Lee,ann@example.com,1,1,1980-02-30\n"
        f"Ben,{long_name},ben@example.com,,,\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path)
    assert _problems(batch.warnings) == [(2, "Home Email"), (2, "Mobile Phone"), (2, "Birthday")]
    assert _problems(batch.errors) == [(3, "Last Name")]


def test_a_vcard_names_the_property(tmp_path, maria):
    path = tmp_path / "cards.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@invalid\r\nTEL:123\r\n"
        "BDAY:--1340\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path)
    assert _problems(batch.warnings) == [(4, "EMAIL"), (5, "TEL"), (6, "BDAY")]
