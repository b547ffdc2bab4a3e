"""A business's card or row without a kind marker (its full name is its organisation, as Google
and Android write them) keeps its name whole; a person's full name is still split."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, name: str, text: str, created: int) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    batch = import_run(actor=None, path=path)
    assert (batch.created, batch.error_count) == (created, 0)


def _names() -> list[tuple[str, str]]:
    return list(Person.objects.order_by("id").values_list("given_name", "family_name"))


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


def test_a_card_named_after_its_organisation_is_not_split(tmp_path: Path) -> None:
    text = (
        _card("FN:Harbour Inn", "ORG:Harbour Inn", "TEL:+19025550101")
        + _card("FN:Café du Port", "ORG:CAFE  DU PORT;Kitchen")  # folded, first unit
        + _card("FN:Gina Generic", "ORG:Harbour Inn")
    )
    _import(tmp_path, "google.vcf", text, 3)
    assert _names() == [("Harbour Inn", ""), ("Café du Port", ""), ("Gina", "Generic")]


def test_a_csv_row_whose_name_is_its_company_is_not_split(tmp_path: Path) -> None:
    text = "Name,Company\nHarbour Inn,harbour inn\nGina Generic,Harbour Inn\n"
    _import(tmp_path, "contacts.csv", text, 2)
    assert _names() == [("Harbour Inn", ""), ("Gina", "Generic")]
