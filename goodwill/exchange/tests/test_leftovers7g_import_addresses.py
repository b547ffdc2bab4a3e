"""goodwill keeps one address per person: of a row's or card's several, the preferred one, else
the home one, else the most complete; each other one is listed as a value left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

HOME = "22 Home Lane, Springfield, MA, 01103, USA"


def _import(tmp_path: Path, maria: User, text: str, name: str) -> ImportBatch:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_run(actor=maria, path=path)


def _address(given: str) -> tuple[str, str, str, str, str]:
    p = Person.objects.get(given_name=given)
    return (p.street, p.locality, p.region, p.postal_code, p.country)


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


def test_a_whole_home_address_wins_over_a_business_city(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Business City,Home Street,Home City,Home Postal Code,"
        "Home Country/Region\r\n"
        "Hugo,Home,Boston,22 Home Lane,Springfield,01103,United States\r\n",
        "outlook.csv",
    )

    assert _address("Hugo") == ("22 Home Lane", "Springfield", "", "01103", "US")
    assert _warnings(batch) == [
        (
            2,
            "Business City",
            "Boston is another address, and a person has one: 22 Home Lane, Springfield, "
            "01103, United States is kept; imported without it.",
        )
    ]


def test_a_vcard_keeps_its_home_address_over_a_work_one(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Card\r\nN:Card;Vera;;;\r\n"
        "ADR;TYPE=WORK:;;1 Work Plaza;Chicago;IL;60601;USA\r\n"
        "ADR;TYPE=HOME:;;22 Home Lane;Springfield;MA;01103;USA\r\nEND:VCARD\r\n",
        "two.vcf",
    )

    assert _address("Vera") == ("22 Home Lane", "Springfield", "MA", "01103", "US")
    assert _warnings(batch) == [
        (
            5,
            "ADR",
            f"1 Work Plaza, Chicago, IL, 60601, USA is another address, and a person has one: "
            f"{HOME} is kept; imported without it.",
        )
    ]


def test_a_vcard_keeps_its_preferred_address(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pia Card\r\nN:Card;Pia;;;\r\n"
        "ADR;TYPE=HOME:;;22 Home Lane;Springfield;MA;01103;USA\r\n"
        "ADR;TYPE=WORK,PREF:;;1 Work Plaza;Chicago;IL;60601;USA\r\nEND:VCARD\r\n",
        "pref.vcf",
    )

    assert _address("Pia") == ("1 Work Plaza", "Chicago", "IL", "60601", "US")
    assert [(line, column) for line, column, _message in _warnings(batch)] == [(5, "ADR")]
