"""A cell with several emails or phones imports each of them, the first as primary; a phone's
extension is kept in its label; a number that is no valid one where it is read is listed,
whether or not the row names a country (the business reads numbers in the US here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, maria: User, text: str, name: str = "people.csv") -> ImportBatch:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_run(actor=maria, path=path)


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


def _emails(given: str) -> list[tuple[str, bool]]:
    person = Person.objects.get(given_name=given)
    return list(person.emails.order_by("id").values_list("email", "is_primary"))


def _phones(given: str) -> list[tuple[str, str, bool]]:
    person = Person.objects.get(given_name=given)
    return list(person.phones.order_by("id").values_list("e164", "label", "is_primary"))


def test_it_imports_each_email_of_a_cell_that_lists_several(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Email\r\n"
        'Semi,Colon,"a@example.com; b@example.com"\r\n'
        'Comma,List,"c@example.com, d@example.com"\r\n'
        'Angle,Brackets,"Ann Angle <ann.angle@example.com>"\r\n',
    )

    assert (batch.created, batch.warnings) == (3, [])
    assert _emails("Semi") == [("a@example.com", True), ("b@example.com", False)]
    assert _emails("Comma") == [("c@example.com", True), ("d@example.com", False)]
    assert _emails("Angle") == [("ann.angle@example.com", True)]


def test_a_bad_address_among_several_is_listed_alone(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        'First Name,Last Name,Email\r\nMixed,Cell,"e@example.com; not-an-address"\r\n',
    )

    assert _emails("Mixed") == [("e@example.com", True)]
    assert [(line, column) for line, column, _message in _warnings(batch)] == [(2, "Email")]
    assert _warnings(batch)[0][2].startswith("not-an-address is not a valid email address: ")


def test_it_imports_each_phone_of_a_cell_that_lists_several(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Phone\r\n"
        'Two,Phones,"+1 902 555 0101 / +1 902 555 0102"\r\n'
        'Three,Phones,"902 555 0103; 902 555 0104, 902 555 0105"\r\n',
    )

    assert (batch.created, batch.warnings) == (2, [])
    assert _phones("Two") == [("+19025550101", "", True), ("+19025550102", "", False)]
    assert [e164 for e164, _label, _primary in _phones("Three")] == [
        "+19025550103",
        "+19025550104",
        "+19025550105",
    ]


def test_a_phone_extension_is_kept_in_its_label(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Phone,Work Phone\r\n"
        "Ann,Desk,+1 902 555 0199 ext. 12,\r\n"
        "Ben,Desk,,(902) 555-0123 x45\r\n",
    )

    assert (batch.created, batch.warnings) == (2, [])
    assert _phones("Ann") == [("+19025550199", "ext. 12", True)]
    assert _phones("Ben") == [("+19025550123", "work, ext. 45", True)]


def test_a_vcard_phone_extension_is_kept_in_its_label(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vic Card\r\nN:Card;Vic;;;\r\n"
        "TEL;VALUE=uri;TYPE=work:tel:+1-902-555-0199;ext=12\r\nEND:VCARD\r\n",
        name="card.vcf",
    )

    assert (batch.created, batch.warnings) == (1, [])
    assert _phones("Vic") == [("+19025550199", "work, ext. 12", True)]


def test_a_short_local_number_is_kept_and_listed_without_a_country(
    tmp_path: Path, maria: User
) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Work Phone\r\nAnn,Local,555 1234\r\nBen,Local,3456789\r\n",
    )

    assert batch.created == 2
    assert _warnings(batch) == [
        (2, "Work Phone", "555 1234 is not a valid phone number in US; imported as +15551234."),
        (3, "Work Phone", "3456789 is not a valid phone number in US; imported as +13456789."),
    ]
    assert _phones("Ann") == [("+15551234", "work", True)]
