"""Real exports from phones and address books import into the exact people they hold."""

from __future__ import annotations

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.tests.realdata import REALDATA
from goodwill.occasions.models import Occasion
from goodwill.people.models import Person


def _import(name: str):
    return import_run(actor=None, path=REALDATA / name)


def _person(p: Person) -> tuple:
    return (
        p.given_name,
        p.family_name,
        list(p.emails.values_list("email", flat=True)),
        list(p.phones.values_list("e164", flat=True)),
    )


def _occasions(p: Person) -> list[tuple]:
    return list(
        Occasion.objects.filter(person=p)
        .order_by("id")
        .values_list("kind", "label", "month", "day", "year", "source")
    )


def _people() -> list[Person]:
    return list(Person.objects.order_by("id"))


def test_excel_semicolon_csv_imports_four_people(db):
    batch = _import("excel-semicolon-cp1252.csv")
    assert (batch.state, batch.created, batch.error_count) == ("done", 4, 0)
    assert [_person(p) for p in _people()] == [
        ("Peter", "Pan", ["peter.pan@ecologic.eu"], []),
        ("Maja", "Biene", ["maja.biene@bienenstock.de"], []),
        ("ÖzdemirÖ", "Üglü", ["oezdemir@ueglue.tu"], []),
        ("Weiss", "Cornelius", ["c.weiss@metaways.de"], []),
    ]
    assert {p.source for p in _people()} == {"imported"}


def test_german_outlook_csv_reports_the_row_with_a_local_number(db):
    batch = _import("outlook-2013-csv-german-cp1252.csv")
    assert (batch.created, batch.error_count) == (1, 1)
    assert batch.errors == [
        {"line": 4, "column": "phone", "message": "040 6432131545 is not a valid phone number."}
    ]
    (p,) = _people()
    assert _person(p) == ("Christian", "Baumann", ["c.baumann@unittest.de"], ["+49406432131550"])
    assert (p.street, p.locality, p.postal_code, p.country) == (
        "Pickhuben 2",
        "Hamburg",
        "20457",
        "DE",
    )
    assert list(p.memberships.values_list("organisation__name", "job_title")) == [
        ("unittest", "Vertrieb")
    ]


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        ("yahoo-contacts-export.csv", 2, "phone", "tarzillamax is not a valid phone number."),
        ("outlook-csv-export.csv", 2, "phone", "99999999 is not a valid phone number."),
        ("windows-address-book-export.csv", 2, "phone", "99999999 is not a valid phone number."),
        ("google-csv-legacy-export.csv", 2, "phone", "pager is not a valid phone number."),
    ],
)
def test_csv_rows_with_a_phone_that_is_not_one_are_reported_not_stored(
    db, name, line, column, message
):
    batch = _import(name)
    assert (batch.state, batch.created, batch.error_count) == ("done", 0, 1)
    assert batch.errors == [{"line": line, "column": column, "message": message}]
    assert Person.objects.count() == 0


def test_thunderbird_csv_addresses_at_invalid_are_reported(db):
    batch = _import("thunderbird-csv-export.csv")
    assert (batch.created, [(e["line"], e["column"]) for e in batch.errors]) == (
        0,
        [(2, "email"), (3, "email")],
    )
    assert batch.errors[0]["message"].startswith("contact1@invalid is not a valid email address")
    batch = _import("thunderbird-csv-utf16le-bom.csv")
    assert (batch.created, batch.errors[0]["line"], batch.errors[0]["column"]) == (0, 2, "email")
    assert Person.objects.count() == 0


def test_android_custom_event_becomes_an_anniversary(db):
    batch = _import("android-2.1-x-android-custom-event.vcf")
    assert batch.created == 1
    (p,) = _people()
    assert _person(p) == ("Roid", "Ando", [], [])
    assert _occasions(p) == [
        ("birthday", "", 8, 20, 1975, "imported"),
        ("anniversary", "Anniversary", 7, 10, 1999, "imported"),
    ]


def test_apple_card_with_custom_fields(db):
    _import("apple-addressbook-3.0-xabdate-anniversary.vcf")
    (p,) = _people()
    assert _person(p) == (
        "Custom",
        "Here",
        ["custom@example.com"],
        ["+17777777777", "+18888888888"],
    )
    assert (p.preferred_name, p.street, p.locality, p.region, p.postal_code, p.country) == (
        "custome",
        "1 Goroku St.",
        "Mountain Top",
        "CA",
        "99999",
        "US",
    )
    assert p.notes == "Many customer fields are added"
    assert list(p.memberships.values_list("organisation__name", "job_title")) == [
        ("Major League Co.", "QA Engineer")
    ]
    assert _occasions(p) == [
        ("birthday", "", 3, 18, 1999, "imported"),
        ("anniversary", "Anniversary", 5, 21, 1995, "imported"),
    ]


def test_rfc6350_birthday_without_a_year(db):
    _import("rfc6350-4.0-bday-no-year.vcf")
    (p,) = _people()
    assert _person(p) == (
        "Simon",
        "Perreault",
        ["simon.perreault@viagenie.ca"],
        ["+14186569254", "+14182626501"],
    )
    assert (p.locality, p.region, p.country) == ("Quebec", "QC", "CA")
    assert _occasions(p) == [
        ("birthday", "", 2, 3, None, "imported"),
        ("anniversary", "Anniversary", 8, 8, 2009, "imported"),
    ]


def test_thunderbird_vcard_with_categories_as_interests(db):
    _import("thunderbird-3.0-x-anniversary.vcf")
    (p,) = _people()
    assert _person(p) == (
        "John",
        "Doe",
        [
            "doe.john@hotmail.com",
            "additional-email@company.com",
            "additional-email1@company.com",
            "additional-email2@company.com",
            "additional-email3@company.com",
        ],
        ["+15555551111", "+15555552222", "+15555555555", "+15555553333", "+15555554444"],
    )
    assert sorted(p.interests.values_list("interest__name", "source")) == [
        ("category1", "imported"),
        ("category2", "imported"),
        ("category3", "imported"),
    ]
    assert _occasions(p) == [
        ("birthday", "", 9, 21, 1970, "imported"),
        ("anniversary", "Anniversary", 4, 30, 1990, "imported"),
    ]


def test_macos_thirty_cards_two_with_bad_phones(db):
    batch = _import("macos-addressbook-3.0-latin1-multi.vcf")
    assert (batch.rows, batch.created, batch.error_count) == (30, 28, 2)
    assert [(e["line"], e["column"]) for e in batch.errors] == [(9, "phone"), (176, "phone")]
    people = {p.full_name: p for p in _people()}
    assert "Peter Smalholtz" not in people
    assert _person(people["Günther Blümchen"]) == (
        "Günther",
        "Blümchen",
        ["guenther.bluemchen@oracle.com"],
        ["+16505067000"],
    )
    assert _person(people["Claudia Stern"])[3] == ["+49721123456", "+491751234567"]
    assert people["Margit Stern"].country == "DE"
    assert sum(p.emails.count() for p in people.values()) == 27


def test_reimporting_a_vcard_file_creates_nothing(db):
    _import("macos-addressbook-3.0-latin1-multi.vcf")
    again = _import("macos-addressbook-3.0-latin1-multi.vcf")
    assert (again.created, again.updated, again.unchanged, again.error_count) == (0, 0, 28, 2)
    assert Person.objects.count() == 28
