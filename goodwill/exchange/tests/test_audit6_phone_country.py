"""A foreign number written the national way is read in the country of the row's address when
it is no valid number in the business's region (US here); one valid in neither is kept as read
and listed. A country the importer cannot read is listed, never dropped unseen, and only two
ASCII letters are read as a code."""

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


def _phones() -> list[tuple[str, list[str]]]:
    return [
        (p.given_name, list(p.phones.values_list("e164", flat=True)))
        for p in Person.objects.order_by("id")
    ]


def _warnings(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(w["line"], w["column"], w["message"]) for w in batch.warnings]


def test_a_national_number_is_read_in_the_country_of_the_address(
    tmp_path: Path, maria: User
) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Mobile Phone,Home Country\n"
        "Amélie,Poulain,06 12 34 56 78,France\n"
        "Hans,Berliner,030 1234567,Germany\n"
        "Luca,Milano,02 1234 5678,IT\n"
        "Cy,Local,(415) 555-0132,France\n",
    )

    assert (batch.created, batch.warnings) == (4, [])
    assert _phones() == [
        ("Amélie", ["+33612345678"]),
        ("Hans", ["+49301234567"]),
        ("Luca", ["+390212345678"]),
        ("Cy", ["+14155550132"]),
    ]


def test_a_number_valid_in_neither_place_is_kept_and_listed(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Mobile Phone,Home Country\nAmélie,Poulain,06 12,FR\n"
        "Zoé,Roux,07 00 00 00 00,France\n",
    )

    assert batch.created == 2
    assert _phones()[1] == ("Zoé", ["+10700000000"])
    assert _warnings(batch) == [
        (2, "Mobile Phone", "06 12 is not a valid phone number; imported without it."),
        (
            3,
            "Mobile Phone",
            "07 00 00 00 00 is not a valid phone number in US or FR; imported as +10700000000.",
        ),
    ]


def test_a_vcards_doubtful_number_is_listed_on_its_own_line(tmp_path: Path, maria: User) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoé Roux\r\nN:Roux;Zoé;;;\r\n"
        "ADR;TYPE=home:;;1 rue Lepic;Paris;;75018;France\r\nTEL:07 00 00 00 00\r\nEND:VCARD\r\n"
    )
    batch = _import(tmp_path, maria, card, "cards.vcf")

    assert _phones() == [("Zoé", ["+10700000000"])]
    assert [(line, column) for line, column, _ in _warnings(batch)] == [(6, "TEL")]


def test_country_names_address_books_write_are_read(tmp_path: Path, maria: User) -> None:
    rows = ["Scotland", "Great Britain", "The Netherlands", "Czechia", "Россия", "U.S.A.", "日本"]
    text = "First Name,Last Name,Home Country\n" + "".join(
        f"P{i},Q,{country}\n" for i, country in enumerate(rows)
    )

    batch = _import(tmp_path, maria, text)

    assert (batch.created, batch.warnings) == (7, [])
    countries = Person.objects.order_by("id").values_list("country", flat=True)
    assert list(countries) == ["GB", "GB", "NL", "CZ", "RU", "US", "JP"]


def test_a_country_that_cannot_be_read_is_listed_and_left_out(tmp_path: Path, maria: User) -> None:
    batch = _import(
        tmp_path,
        maria,
        "First Name,Last Name,Home City,Home Country\n"
        "Ria,Sol,Xville,Atlantis\nKen,Ito,Tokyo,日本国\n",
    )

    assert batch.created == 2
    assert list(Person.objects.order_by("id").values_list("locality", "country")) == [
        ("Xville", ""),
        ("Tokyo", ""),
    ]
    assert _warnings(batch) == [
        (
            2,
            "Home Country",
            "Atlantis is not a country name or a two-letter code such as FR; imported without it.",
        ),
        (
            3,
            "Home Country",
            "日本国 is not a country name or a two-letter code such as FR; imported without it.",
        ),
    ]
