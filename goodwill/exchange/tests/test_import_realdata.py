"""Real exports from phones and address books import into the exact people they hold."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.exchange.importer import import_run
from goodwill.exchange.importer.rows import ImportRow, import_row
from goodwill.exchange.parse import ContactRecord, open_import
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


def test_german_outlook_csv_imports_the_row_with_a_local_number_without_it(db):
    batch = _import("outlook-2013-csv-german-cp1252.csv")
    assert (batch.created, batch.error_count, batch.errors) == (2, 0, [])
    christian, cornelius = _people()
    assert _person(christian) == (
        "Christian",
        "Baumann",
        ["c.baumann@unittest.de"],
        ["+49406432131550"],
    )
    assert (christian.street, christian.locality, christian.postal_code, christian.country) == (
        "Pickhuben 2",
        "Hamburg",
        "20457",
        "DE",
    )
    assert list(christian.memberships.values_list("organisation__name", "job_title")) == [
        ("unittest", "Vertrieb")
    ]
    assert _person(cornelius) == ("Cornelius", "Weiß", ["c.weiss@unittest.de"], [])


def _phone(line: int, value: str, column: str = "TEL") -> tuple[int, str, str]:
    """A phone left out, named by the file's column (a vCard's: its property)."""
    return (line, column, f"{value} is not a valid phone number; imported without it.")


def _email(line: int, value: str, reason: str, column: str = "EMAIL") -> tuple[int, str, str]:
    message = f"{value} is not a valid email address: {reason}; imported without it."
    return (line, column, message)


def _country(line: int, value: str, column: str) -> tuple[int, str, str]:
    """An address's country that is no country (a template's placeholder) left out."""
    reason = "is not a country name or a two-letter code such as FR"
    return (line, column, f"{value} {reason}; imported without it.")


def _no_organisation(line: int, title: str, column: str) -> tuple[int, str, str]:
    """A job title left out: the row names no organisation, which goodwill keeps titles with
    (Thunderbird's second contact is a "worker" of no organisation)."""
    message = f"Job title {title} has no organisation in the row to go with; imported without it."
    return (line, column, message)


def _another(line: int, column: str, left: str, kept: str) -> tuple[int, str, str]:
    """A second address, left out: goodwill keeps one (the home one, here)."""
    message = f"{left} is another address, and a person has one: {kept} is kept"
    return (line, column, f"{message}; imported without it.")


NO_PERIOD = "The part after the @-sign is not valid. It should have a period"
RESERVED = (
    "The part after the @-sign is a special-use or reserved name that cannot be used with email"
)
FIRMAN = ("Firman", "Wandayandi", ["firman@php.net"], [])
# The values each file's rows are imported without (the business reads numbers in the US).
WARNINGS = {
    "yahoo-contacts-export.csv": [
        _phone(2, "tarzillamax", "Work"),
        _phone(2, "99999999", "Pager"),
        _phone(2, "999999999", "Mobile"),
    ],
    "outlook-csv-export.csv": [
        _phone(2, "99999999", "Pager"),
        _phone(2, "999999999", "Mobile Phone"),
    ],
    "windows-address-book-export.csv": [
        _phone(2, "99999999", "Pager"),
        _phone(2, "999999999", "Mobile Phone"),
    ],
    "google-csv-legacy-export.csv": [
        _country(2, "home_country", "Address 1 - Country"),
        *(
            _phone(2, v, f"Phone {i} - Value")
            for i, v in enumerate(
                ("pager", "mainphone", "homephone", "homefax", "mobile", "workphone", "workfax"),
                start=1,
            )
        ),
        _another(
            2,
            "Address 2 - Formatted",
            "work_street, work_city, work_zip, work_country",
            "home_street, home_city, home_state, home_zip, home_country",
        ),
    ],
    "thunderbird-csv-export.csv": [
        _email(2, "contact1@invalid", NO_PERIOD, "Primary Email"),
        _no_organisation(3, '"worker"', "Job Title"),
        _email(3, "contact2@invalid", NO_PERIOD, "Primary Email"),
    ],
    "thunderbird-csv-utf16le-bom.csv": [
        _email(2, "johndoe@host.invalid", RESERVED, "Primary Email")
    ],
    "thunderbird-4.0-export.vcf": [
        _email(1, "contact1@invalid", NO_PERIOD),
        _no_organisation(8, '"worker"', "TITLE"),
        _email(8, "contact2@invalid", NO_PERIOD),
    ],
    "outlook-2013-csv-german-cp1252.csv": [
        _phone(4, "040 6432131545", "Telefon (privat)"),
        _phone(4, "0176 164321545", "Mobiltelefon"),
    ],
    "macos-addressbook-3.0-latin1-multi.vcf": [_phone(9, "§"), _phone(176, "+94 (0800) 2255337")],
    "nextcloud-3.0-xabdate-x-anniversary.vcf": [
        *(_phone(1, v) for v in ("11111111", "205333", "205246;;,;", "222222")),
        _another(
            1,
            "ADR",
            "Street W, Street 2 W, City Work, AL work, zip Work, Germany work",
            "Street, Street 2, City, AL, zip, Germany",
        ),
    ],
    "google-carddav-3.0-photo-labels.vcf": [
        _country(1, "Country", "ADR"),
        *(
            _phone(1, v)
            for v in (
                "business 1",
                "mobile",
                "home",
                "main",
                "work fax",
                "home fax",
                "google voice",
                "pager",
                "custom",
            )
        ),
        *(
            _another(1, "ADR", left, "home address, neighborhood, City, State, ZIP, Country")
            for left in ("work address", "custom address")
        ),
    ],
}

# The batch lists a vCard's warnings on their property's own line (a row's are on its line).
PROPERTY_LINES = {
    "thunderbird-4.0-export.vcf": [3, 13, 10],
    "macos-addressbook-3.0-latin1-multi.vcf": [15, 182],
    "nextcloud-3.0-xabdate-x-anniversary.vcf": [11, 12, 13, 14, 7],
    "google-carddav-3.0-photo-labels.vcf": [11, *range(14, 23), 12, 13],
}


def _row_warnings(name: str) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for item in open_import(REALDATA / name).records():
        assert isinstance(item, ContactRecord)
        row = import_row(item, region="US", unmapped="ignore", today=dt.date(2026, 12, 4))
        assert isinstance(row, ImportRow)
        out += [(w.line, w.column, w.message) for w in row.warnings]
    return out


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_placeholder_values_are_left_out_of_their_rows_with_warnings(name):
    assert _row_warnings(name) == WARNINGS[name]


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_the_batch_lists_the_warnings_of_the_rows_it_imported(db, name):
    # Needs run.py to collect ImportRow.warnings into batch.warning_count / batch.warnings.
    batch = _import(name)
    assert (batch.error_count, batch.errors) == (0, [])
    assert batch.warning_count == len(WARNINGS[name])
    lines = PROPERTY_LINES.get(name) or [line for line, _, _ in WARNINGS[name]]
    expected = [
        (at, column, message)
        for at, (_, column, message) in zip(lines, WARNINGS[name], strict=True)
    ]
    assert [(w["line"], w["column"], w["message"]) for w in batch.warnings] == expected


@pytest.mark.parametrize(
    "name",
    ["yahoo-contacts-export.csv", "outlook-csv-export.csv", "windows-address-book-export.csv"],
)
def test_csv_rows_with_placeholder_phones_import_the_person_without_them(db, name):
    batch = _import(name)
    assert (batch.state, batch.created, batch.error_count, batch.errors) == ("done", 1, 0, [])
    assert [_person(p) for p in _people()] == [FIRMAN]


def test_google_csv_imports_the_emails_without_the_text_in_phone_columns(db):
    batch = _import("google-csv-legacy-export.csv")
    assert (batch.created, batch.error_count) == (1, 0)
    (p,) = _people()
    assert _person(p) == (
        "Firstname Middle",  # its Middle Name column joins the given name
        "Lastname",
        ["home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"],
        [],
    )
    # "* My Contacts" is Google's system group, not an interest.
    assert list(p.interests.values_list("interest__name", "source")) == [("Test", "imported")]
    assert list(Occasion.objects.values_list("kind", "month", "day", "year")) == [
        ("birthday", 12, 12, 1975)
    ]


def test_google_csv_labels_are_kept_without_the_star_marker():
    (record,) = open_import(REALDATA / "google-csv-legacy-export.csv").records()
    assert isinstance(record, ContactRecord)
    row = import_row(record, region="US", unmapped="ignore", today=dt.date(2026, 12, 4))
    assert isinstance(row, ImportRow)
    assert row.email_labels == {
        "home@aaa.pl": "home",
        "work@email.pl": "work",
        "other@email.com": "other",
    }


def test_thunderbird_csv_people_at_invalid_addresses_import_without_them(db):
    batch = _import("thunderbird-csv-export.csv")
    assert (batch.created, batch.error_count) == (2, 0)
    assert [_person(p) for p in _people()] == [
        ("contact", "one", [], []),
        ("contact", "two", [], []),
    ]
    batch = _import("thunderbird-csv-utf16le-bom.csv")
    assert (batch.created, batch.error_count) == (1, 0)
    assert _person(_people()[-1]) == ("John", "Doe", [], [])


def test_google_carddav_card_imports_without_its_text_phones(db):
    batch = _import("google-carddav-3.0-photo-labels.vcf")
    assert (batch.created, batch.error_count) == (1, 0)
    (p,) = _people()
    assert _person(p) == (
        "John 1",  # N's middle name, as its FN "Mr. John 1 Doe Sr." shows it
        "Doe",
        ["john.doe@home.com", "doe@work.com", "john@custom.com"],
        [],
    )


def test_android_quoted_printable_card_lists_its_stray_byte_instead_of_mojibake(db):
    """Henry's card (line 71) has three ORG values of 44 "Ñ" (=C3=91, whole characters, no
    Cyrillic); the second one (line 82) ends, after a soft break, in a lone =80 that is no UTF-8.
    Henry keeps his one organisation, never "Ã‘Ã‘…Ã‘€", and the byte is listed."""
    batch = _import("android-2.1-quoted-printable-utf8.vcf")
    assert batch.created == 4
    henry = Person.objects.get(emails__email="henry@company.com")
    assert list(henry.memberships.values_list("organisation__name", flat=True)) == ["Ñ" * 44]
    broken = [(w["line"], w["message"]) for w in batch.warnings if w["column"] == "ORG"]
    assert broken == [(82, "Line 82 has bytes that are not text (=80); imported without it.")]


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
        "Custom Fields",  # N's middle name, as its FN "All Custom Fields Here" shows it
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


def test_macos_thirty_cards_two_without_their_bad_phones(db):
    batch = _import("macos-addressbook-3.0-latin1-multi.vcf")
    assert (batch.rows, batch.created, batch.error_count) == (30, 30, 0)
    people = {p.full_name: p for p in _people()}
    assert _person(people["Peter Smalholtz"]) == (
        "Peter",
        "Smalholtz",
        ["peter.smalholtz@sap.com"],
        [],
    )
    assert _person(people["Harald Treutiger"]) == (
        "Harald",
        "Treutiger",
        ["harald.treutiger@siemens.de"],
        [],
    )
    assert _person(people["Günther Blümchen"]) == (
        "Günther",
        "Blümchen",
        ["guenther.bluemchen@oracle.com"],
        ["+16505067000"],
    )
    assert _person(people["Claudia Stern"])[3] == ["+49721123456", "+491751234567"]
    assert people["Margit Stern"].country == "DE"
    assert sum(p.emails.count() for p in people.values()) == 29


def test_reimporting_a_vcard_file_creates_nothing(db):
    _import("macos-addressbook-3.0-latin1-multi.vcf")
    again = _import("macos-addressbook-3.0-latin1-multi.vcf")
    assert (again.created, again.updated, again.unchanged, again.error_count) == (0, 0, 30, 0)
    assert Person.objects.count() == 30
