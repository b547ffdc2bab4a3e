"""A Google Contacts CSV row whose address is only in "Address 1 - Formatted" keeps it, split
into street, city, region, postcode and country where its lines say which is which, else whole in
the street; the address in its own columns always wins over the formatted one."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.people.models import Person

pytestmark = pytest.mark.django_db

HEADER = (
    "First Name,Last Name,E-mail 1 - Value,Address 1 - Label,Address 1 - Formatted,"
    "Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
    "Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address\n"
)


def _address(tmp_path: Path, actor: User, row: str) -> tuple[str, str, str, str, str]:
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    batch = import_run(actor=actor, path=path, unmapped="notes")
    assert (batch.created, batch.errors, batch.warnings) == (1, [], [])
    person = Person.objects.get()
    assert person.notes == "Address 1 - Label: Home"  # no formatted address left over
    return (person.street, person.locality, person.region, person.postal_code, person.country)


@pytest.mark.parametrize(
    ("formatted", "address"),
    [
        (
            "1600 Amphitheatre Pkwy\nMountain View, CA 94043\nUSA",
            ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043", "US"),
        ),
        (
            "12 Harbour Rd\nFlat 2\nHalifax, NS B3H 1A1\nCanada",
            ("12 Harbour Rd\nFlat 2", "Halifax", "NS", "B3H 1A1", "CA"),
        ),
        ("Hauptstr. 5\n10115 Berlin\nDeutschland", ("Hauptstr. 5", "Berlin", "", "10115", "DE")),
        (
            "Keizersgracht 1\n1012 AB Amsterdam\nNetherlands",
            ("Keizersgracht 1", "Amsterdam", "", "1012 AB", "NL"),
        ),
        (
            "10 Downing St\nLondon\nSW1A 1AA\nUnited Kingdom",
            ("10 Downing St", "London", "", "SW1A 1AA", "GB"),
        ),
        ("1 George St\nSydney NSW 2000", ("1 George St", "Sydney", "NSW", "2000", "")),
        (
            "1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA",
            ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043", "US"),
        ),
        # Nothing to tell the city by: the whole text is the street, as written.
        ("Rose Cottage\nLower Slaughter", ("Rose Cottage\nLower Slaughter", "", "", "", "")),
        (
            "Rose Cottage\nLower Slaughter\nEngland",
            ("Rose Cottage\nLower Slaughter", "", "", "", "GB"),
        ),
    ],
)
def test_a_formatted_address_alone_is_kept_in_its_parts(tmp_path, maria, formatted, address):
    quoted = '"' + formatted + '"'
    row = f"Ann,Lee,ann@example.com,Home,{quoted},,,,,,,"

    assert _address(tmp_path, maria, row) == address


def test_the_address_in_its_own_columns_wins_over_the_formatted_one(tmp_path, maria):
    row = (
        'Ann,Lee,ann@example.com,Home,"1 Old Rd\n10115 Berlin\nGermany",'
        "12 Harbour Rd,Halifax,,NS,,,"
    )

    assert _address(tmp_path, maria, row) == ("12 Harbour Rd", "Halifax", "NS", "", "")


def test_the_formatted_address_of_the_other_group_is_not_read_into_the_first(tmp_path, maria):
    header = HEADER.rstrip("\n") + ",Address 2 - Formatted\n"
    path = tmp_path / "contacts.csv"
    path.write_text(
        header + 'Ann,Lee,ann@example.com,Home,,12 Harbour Rd,Halifax,,,,,,"Hauptstr. 5\n'
        '10115 Berlin"\n',
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path)

    assert (batch.created, batch.errors) == (1, [])
    person = Person.objects.get()
    assert (person.street, person.locality, person.postal_code) == ("12 Harbour Rd", "Halifax", "")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "221B Baker Street\nLondon NW1 6XE\nUnited Kingdom",
            ("221B Baker Street", "London", "", "NW1 6XE", "United Kingdom"),
        ),
        (
            "Apt 5, 221B Baker Street, London NW1 6XE",
            ("Apt 5, 221B Baker Street", "London", "", "NW1 6XE", ""),
        ),
        (
            "Unit 3, 45 King St W, Toronto, ON M5H 1J8, Canada",
            ("Unit 3, 45 King St W", "Toronto", "ON", "M5H 1J8", "Canada"),
        ),
    ],
)
def test_a_street_with_a_number_is_never_read_as_the_town(
    text: str, parts: tuple[str, ...]
) -> None:
    """Found in review: "221B Baker Street" became the town and "London" the region."""
    from goodwill.exchange.parse.address import formatted_address

    found = formatted_address(text)
    assert (
        found.street,
        found.locality,
        found.region,
        found.postal_code,
        found.country,
    ) == parts
