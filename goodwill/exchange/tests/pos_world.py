"""A small point-of-sale export and the people it names, for the POS import tests."""

from __future__ import annotations

from pathlib import Path

from goodwill.commerce.services import loyalty_number_set
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

HEADER = (
    "Date,Receipt no,Type,Item,Department,Total,Currency,Customer Email,Phone,Member no,"
    "Customer name,Check-in,Check-out\n"
)
ROWS = [
    '2024-03-05 14:30,R-1,Sale,Produce box,Grocery,"12,50 €",,ANN@example.com,,,,,',  # 2 email
    '05/03/2024,R-2,Sale,Olive oil,Grocery,"1.250,00",EUR,,+1 902 555 0101,,,,',  # 3 phone
    "2024-03-06,R-3,Refund,Produce box,Grocery,-12.50,EUR,ann@example.com,,,,,",  # 4 refund
    "2024-03-06,R-4,Sale,Cheese,Deli,-4.00,EUR,,,mb 0042,,,",  # 5 negative sale
    ",B-7,Stay,Room 4,,240.00,EUR,,,mb 0042,,2024-03-10,2024-03-08",  # 6 check-out first
    "2024-13-45,R-5,Sale,Bread,,3.00,,,,,Dee Park,,",  # 7 unreadable date
    "2024-03-07,R-6,Sale,Bread,Bakery,3.00,,,,,Dee Park,,",  # 8 name
    "2024-03-07,R-7,Sale,Wine,,20.00,,eve@example.com,,,Eve Quinn,,",  # 9 unknown
    "2024-03-07,R-8,Sale,Jam,,5.00,,,,,Sam Hill,,",  # 10 two people called so
    ",B-8,Stay,Room 2,,180.00,EUR,,,MB0042,,2024-03-01,2024-03-03",  # 11 loyalty
]
CSV = HEADER + "\n".join(ROWS) + "\n"
ERRORS = [
    {"line": 5, "column": "Total", "message": "A negative amount: use a refund row."},
    {"line": 6, "column": "Check-out", "message": "Check-out is before check-in."},
    {"line": 7, "column": "Date", "message": "“2024-13-45” is not a date."},
]
UNKNOWN = [
    {
        "line": 9,
        "column": "customer",
        "message": "No person matches email eve@example.com, name Eve Quinn.",
    },
    {
        "line": 10,
        "column": "customer",
        "message": "No person matches name Sam Hill. 2 people have this name.",
    },
]


def people() -> dict[str, Person]:
    """Ann (by email), Ben (by phone), Cy (by loyalty number), Dee (by name), two Sam Hills."""
    world = {
        "ann": make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"]),
        "ben": make_person(given_name="Ben", family_name="Stone", phones=["+19025550101"]),
        "cy": make_person(given_name="Cy", family_name="Moss"),
        "dee": make_person(given_name="Dee", family_name="Park"),
        "sam": make_person(given_name="Sam", family_name="Hill"),
        "sam2": make_person(given_name="Sam", family_name="Hill"),
    }
    loyalty_number_set(actor=None, person=world["cy"], number="MB-0042")
    return world


def write(tmp_path: Path, text: str = CSV, name: str = "till.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
