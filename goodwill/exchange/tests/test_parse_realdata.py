"""Every real export in ../shared/realdata/contacts parses into the exact people it holds."""

from __future__ import annotations

import re
from pathlib import Path

from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import Address, ContactRecord, RowError, YearlyDate
from goodwill.exchange.tests.realdata import REALDATA


def _read(name: str) -> list[ContactRecord]:
    items = list(open_import(REALDATA / name).records())
    assert [i for i in items if isinstance(i, RowError)] == []
    return [i for i in items if isinstance(i, ContactRecord)]


def _names(records: list[ContactRecord]) -> list[tuple[str, str, str]]:
    return [(r.given_name, r.family_name, r.full_name) for r in records]


def _one(name: str) -> ContactRecord:
    records = _read(name)
    assert len(records) == 1
    return records[0]


def test_every_realdata_file_has_a_test_here():
    named = set(re.findall(r'"([\w.-]+\.(?:vcf|csv))"', Path(__file__).read_text()))
    assert named == {p.name for p in REALDATA.iterdir() if p.suffix in (".vcf", ".csv")}
    assert len(named) == 30


def test_android_qp_soft_break_inside_a_utf8_character():
    records = _read("android-2.1-qp-softbreak-midchar.vcf")
    assert _names(records) == [
        ("", "", ""),
        ("Broken", "", "Field after Address broken"),
        ("Broken", "", "Field after Address not broken"),
        ("Surname", "Name", "Dr. med. Surname Name"),
        ("Second", "Doctor", "Second Doctor"),
    ]
    assert [r.line for r in records] == [1, 9, 19, 29, 42]
    assert records[0].organisation == "Bike Shop"
    assert records[0].address.street == "DDDDDDDDDDDDDDD-Staße 2\n00000 DDDDDDDDDD"
    assert records[1].address == Address("AAAAAAA-AäAAAAA 11", "Urt", "", "00000", "")
    assert records[3].job_title == "Facharzt für Allgemeinmedizin"
    assert records[3].note.splitlines()[1] == "Mo   8–12, 15–18"
    assert records[4].note.splitlines()[-1] == "Fr      8–12"
    assert records[4].organisation == ""
    assert all(r.emails == [] and r.phones == [] and r.birthday is None for r in records)


def test_android_quoted_printable_utf8_cards():
    records = _read("android-2.1-quoted-printable-utf8.vcf")
    assert _names(records) == [
        ("", "", ""),
        ("", "", ""),
        ("", "Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ Ñ"),
        ("", "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"),
        ("Ñ Ñ Ñ", "Ñ Ñ", "Ñ Ñ Ñ Ñ"),
        ("", "ÑÑÑÑ", "ÑÑÑÑ"),
    ]
    assert [r.emails for r in records] == [
        [("john.doe@company.com", "")],
        [("jane.doe@company.com", "")],
        [],
        [],
        [("bob@company.com", "work"), ("ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ", "")],
        [("henry@company.com", "")],
    ]
    assert [r.phones for r in records] == [
        [],
        [],
        [("123456789", "mobile")],
        [("123456", "mobile"), ("234567", "home"), ("3456789", "mobile"), ("45678901", "home")],
        [("123456", "mobile"), ("123456", "work"), ("123456", "fax")],
        [("55556666", "mobile")],
    ]
    assert records[4].organisation == "Ñ" * 12
    assert records[5].organisation == "Ñ" * 44
    # "My Contacts" is Google's system group, not a category of the person.
    assert all(r.categories == [] for r in records)


def test_android_custom_event_is_an_anniversary():
    r = _one("android-2.1-x-android-custom-event.vcf")
    assert (r.given_name, r.family_name) == ("Roid", "Ando")
    assert r.birthday == YearlyDate(8, 20, 1975)
    assert r.anniversaries == [("Anniversary", YearlyDate(7, 10, 1999))]


def test_apple_utf16_big_endian_without_bom():
    r = _one("apple-addressbook-3.0-utf16be-nobom.vcf")
    assert _names([r]) == [("Ǽgean", "ĽdaMonté", "Ǽgean ĽdaMonté")]
    assert r.address == Address("169 Mária Canal", "LaPaz", "Conceptión", "245-876", "Perú")


def test_apple_xabdate_anniversary():
    r = _one("apple-addressbook-3.0-xabdate-anniversary.vcf")
    assert _names([r]) == [("Custom", "Here", "All Custom Fields Here")]
    assert (r.additional_name, r.preferred_name) == ("Fields", "custome")
    assert r.emails == [("custom@example.com", "work")]
    assert r.phones == [("777-777-7777", "work"), ("8888888888", "mobile")]
    assert (r.organisation, r.job_title) == ("Major League Co.", "QA Engineer")
    assert r.note == "Many customer fields are added"
    assert r.birthday == YearlyDate(3, 18, 1999)
    assert r.anniversaries == [("Anniversary", YearlyDate(5, 21, 1995))]
    assert r.address == Address("1 Goroku St.", "Mountain Top", "CA", "99999", "USA")


def test_apple_ios14_instant_messaging_only():
    r = _one("apple-ios14-3.0-impp-custom-labels.vcf")
    assert _names([r]) == [("Test", "IosIMKontakt", "Test IosIMKontakt")]
    assert (r.emails, r.phones, r.birthday) == ([], [], None)


def test_apple_ios5_item_groups_and_photo():
    r = _one("apple-ios5-3.0-itemgroups-photo.vcf")
    assert _names([r]) == [("John", "Doe", "Mr. John Richter James Doe Sr.")]
    assert (r.additional_name, r.preferred_name) == ("Richter James", "Johny")
    assert r.emails == [("john.doe@ibm.com", "")]
    assert r.phones == [
        ("905-555-1234", "mobile"),
        ("905-666-1234", "home"),
        ("905-777-1234", "work"),
        ("905-888-1234", "fax"),
        ("905-999-1234", "fax"),
        ("905-111-1234", "pager"),
        ("905-222-1234", "assistant phone"),
    ]
    assert r.address == Address(
        "Silicon Alley 5,", "New York", "New York", "12345", "United States of America"
    )
    assert (r.organisation, r.job_title) == ("IBM", "Money Counter")
    assert r.birthday == YearlyDate(6, 6, 2012)


def test_apple_ios6_cr_cr_lf_line_endings():
    r = _one("apple-ios6-3.0-crcrlf-photo.vcf")
    assert _names([r]) == [("Bob", "Smith", "Bob Smith")]
    assert r.emails == [("bob@smithauto.com", "")]
    assert r.phones == [("(650) 555-1212", "mobile")]
    assert r.organisation == "Smith Auto Repair"


def test_excel_semicolon_windows_1252():
    records = _read("excel-semicolon-cp1252.csv")
    assert [(r.line, r.given_name, r.family_name, r.emails) for r in records] == [
        (2, "Peter", "Pan", [("peter.pan@ecologic.eu", "")]),
        (3, "Maja", "Biene", [("maja.biene@bienenstock.de", "")]),
        (4, "ÖzdemirÖ", "Üglü", [("oezdemir@ueglue.tu", "")]),
        (5, "Weiss", "Cornelius", [("c.weiss@metaways.de", "")]),
    ]


def test_gmail_vcard_anniversary_and_folded_note():
    r = _one("gmail-export-3.0-xabdate-folded-note.vcf")
    assert _names([r]) == [("John", "Doe", "Mr. John Richter, James Doe Sr.")]
    assert r.additional_name == "Richter, James"
    assert r.emails == [("john.doe@ibm.com", "home")]
    assert r.phones == [("905-555-1234", "mobile"), ("905-666-1234", "home")]
    assert r.address.street == (
        "Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America"
    )
    assert r.birthday == YearlyDate(3, 22, 1980)
    assert r.anniversaries == [("Anniversary", YearlyDate(3, 1, 1975))]
    assert r.note.startswith(
        'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS'
    )
    assert "LIMITED TO, THE IMPLIED" in r.note
    assert r.note.endswith("SUCH DAMAGE.\nFavotire Color: Blue")


def test_google_carddav_labels_after_the_properties():
    r = _one("google-carddav-3.0-photo-labels.vcf")
    assert _names([r]) == [("John", "Doe", "Mr. John 1 Doe Sr.")]
    assert r.preferred_name == "Johnny"
    assert r.emails == [
        ("john.doe@home.com", "home"),
        ("doe@work.com", "work"),
        ("john@custom.com", "custom-label"),
    ]
    assert r.phones == [
        ("business 1", "work"),
        ("mobile", "mobile"),
        ("home", "home"),
        ("main", ""),
        ("work fax", "fax"),
        ("home fax", "fax"),
        ("google voice", "Google Voice"),
        ("pager", "pager"),
        ("custom", "custom-label"),
    ]
    assert r.birthday == YearlyDate(12, 30, 1970)
    assert r.anniversaries == [
        ("Anniversary", YearlyDate(1, 1, 1971)),
        ("custom-label", YearlyDate(2, 1, 2000)),
    ]
    assert r.address == Address("home address, neighborhood", "City", "State", "ZIP", "Country")
    assert (r.organisation, r.job_title, r.note) == ("at company", "tester", "A test contact.")


def test_google_csv_legacy_layout():
    records = _read("google-csv-legacy-export.csv")
    assert len(records) == 1
    r = records[0]
    assert r.line == 2
    assert _names([r]) == [("Firstname", "Lastname", "Prefix Firstname Middle Lastname Suffix")]
    assert (r.additional_name, r.preferred_name) == ("Middle", "nick")
    assert r.emails == [
        ("home@aaa.pl", "home"),
        ("work@email.pl", "work"),
        ("unknown@email.com", ""),
        ("other@email.com", "other"),
    ]
    assert r.phones == [
        ("pager", "pager"),
        ("mainphone", "main"),
        ("homephone", "home"),
        ("homefax", "fax"),
        ("mobile", "mobile"),
        ("workphone", "work"),
        ("workfax", "fax"),
    ]
    assert r.address == Address(
        "home_street", "home_city", "home_state", "home_zip", "home_country"
    )
    assert (r.organisation, r.job_title) == ("company", "jobtitle")
    assert r.note == 'note"note'
    assert r.categories == ["Test"]
    assert r.birthday == YearlyDate(12, 12, 1975)
    assert r.extra["Relation 1 - Value"] == "spouse"


def test_icloud_group_card_is_not_a_person():
    assert list(open_import(REALDATA / "icloud-3.0-group-card.vcf").records()) == []


def test_icloud_web_inline_photo():
    r = _one("icloud-web-3.0-inline-photo.vcf")
    assert _names([r]) == [("Max", "Mustermann", "Max Mustermann")]
    assert r.emails == [("special@maxmu.de", "")]


def test_macos_latin1_thirty_cards():
    records = _read("macos-addressbook-3.0-latin1-multi.vcf")
    assert len(records) == 30
    assert [r.family_name for r in records] == [
        "Brown", "Smalholtz", "Krull", "Dreger", "Töcken", "Bernadotte", "Aubrey", "Meyer",
        "Andriotti", "Spaßlund", "Atkins", "Williams", "Stern", "Fuchs", "Blümchen", "Kohler",
        "Lang", "Stern", "Treutiger", "Müller", "Wolf", "Hageman", "Wimmerman", "Kurtz",
        "Schnurrbart", "Setter", "Glans", "Fischer", "Sprung", "Smith",
    ]  # fmt: skip
    by_name = {r.full_name: r for r in records}
    assert by_name["Günther Blümchen"].emails == [("Guenther.Bluemchen@oracle.com", "work")]
    assert by_name["Günther Blümchen"].phones == [("+1.650.506.7000", "work")]
    assert by_name["Margit Stern"].emails == []
    assert by_name["Margit Stern"].address == Address(
        "Brotmannstraße 7", "Siegertsbrunn", "", "85635", "Deutschland"
    )
    assert by_name["Claudia Stern"].phones == [
        ("+49(721)123456", "work"),
        ("+49(175)1234567", "mobile"),
    ]
    assert by_name["Karlsruhe Travel"].given_name == "Frida"
    assert by_name["Peter Smalholtz"].phones == [("§", "work")]
    assert all(r.categories == ["Demo", "Nepomuk(SAP)"] for r in records)
    assert sum(len(r.emails) for r in records) == 29
    assert [r.line for r in records[:3]] == [1, 9, 19]


def test_nextcloud_utf8_bom_and_empty_values():
    r = _one("nextcloud-3.0-utf8-bom-photo.vcf")
    assert _names([r]) == [("", "", "xxx")]
    assert (r.emails, r.phones, r.address) == ([], [], Address())
    assert (r.organisation, r.job_title) == ("xxx", "xxx")


def test_nextcloud_anniversary_given_twice_counts_once():
    r = _one("nextcloud-3.0-xabdate-x-anniversary.vcf")
    assert _names([r]) == [("", "", "First Last NextCloud")]
    assert r.preferred_name == "Hugo"
    assert r.emails == [("home@gmx.de", "home"), ("work@gmx.de", "work")]
    assert r.phones == [
        ("11111111", "home"),
        ("205333", "mobile"),
        ("205246;;,;", "fax"),
        ("222222", "work"),
    ]
    assert r.birthday == YearlyDate(2, 10, 2019)
    assert r.anniversaries == [("Anniversary", YearlyDate(2, 20, 2019))]
    assert r.address == Address("Street, Street 2", "City", "AL", "zip", "Germany")
    assert r.categories == ["Test-Kontakte"]


def test_outlook_vcard_basic_format_dates():
    r = _one("outlook-2.1-export-photo.vcf")
    assert _names([r]) == [("John", "Doe", "Mr. John Richter James Doe Sr.")]
    assert r.emails == [("john.doe@ibm.cm", "")]
    assert r.phones == [("(905) 555-1234", "work"), ("(905) 666-1234", "home")]
    assert r.birthday == YearlyDate(3, 22, 1980)
    assert r.anniversaries == [("Anniversary", YearlyDate(1, 13, 2011))]
    assert r.address == Address(
        "Cresent moon drive", "Albaney", "New York", "12345", "United States of America"
    )
    assert r.note.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS''")


def test_outlook_vcard_windows_1252():
    r = _one("outlook-2.1-windows-1252.vcf")
    assert _names([r]) == [("Ralf", "Rastral", "Ralf Rastral")]
    assert r.address == Address("Lämmerweg 12", "Kleindorf", "", "98765", "Deutschland")


def test_outlook_2013_german_csv():
    records = _read("outlook-2013-csv-german-cp1252.csv")
    assert [(r.line, r.given_name, r.family_name) for r in records] == [
        (2, "Christian", "Baumann"),
        (4, "Cornelius", "Weiß"),
    ]
    first, second = records
    assert first.emails == [("c.baumann@unittest.de", "")]
    assert first.phones == [("+49 (0) 40 6432131-550", "work")]
    assert first.address == Address("Pickhuben 2", "Hamburg", "", "20457", "Deutschland")
    assert (first.organisation, first.job_title) == ("unittest", "Vertrieb")
    assert second.emails == [("c.weiss@unittest.de", "")]
    assert second.phones == [
        ("040 6432131545", "work"),
        ("040 6432131545", "home"),
        ("0176 164321545", "mobile"),
    ]
    # "0.0.00" is Outlook's placeholder for "no date".
    assert [(r.birthday, r.anniversaries, r.note) for r in records] == [(None, [], "")] * 2


def test_outlook_csv_english():
    records = _read("outlook-csv-export.csv")
    assert len(records) == 1
    r = records[0]
    assert (r.given_name, r.family_name, r.organisation, r.job_title) == (
        "Firman",
        "Wandayandi",
        "Foo",
        "Web Developer",
    )
    assert r.emails == [("firman@php.net", "")]
    assert r.phones == [
        ("99999999", "fax"),
        ("99999999", "main"),
        ("99999999", "fax"),
        ("99999999", "home"),
        ("999999999", "mobile"),
        ("99999999", "pager"),
    ]
    assert r.address == Address("Foo Street", "Bandung", "West Java", "99999", "Indonesia")
    assert r.note == "It's\nmultiline\nmemo."


def test_rfc6350_birthday_without_year():
    r = _one("rfc6350-4.0-bday-no-year.vcf")
    assert _names([r]) == [("Simon", "Perreault", "Simon Perreault")]
    assert r.birthday == YearlyDate(2, 3, None)
    assert r.anniversaries == [("Anniversary", YearlyDate(8, 8, 2009))]
    assert r.emails == [("simon.perreault@viagenie.ca", "work")]
    assert r.phones == [("+1-418-656-9254 ext. 102", "work"), ("+1-418-262-6501", "mobile")]
    assert r.address == Address("2875 Laurier, Suite D2-630", "Quebec", "QC", "G1V 2M2", "Canada")
    assert r.organisation == "Viagenie"


def test_thunderbird_vcard_x_anniversary():
    r = _one("thunderbird-3.0-x-anniversary.vcf")
    assert _names([r]) == [("John", "Doe", "John Doe")]
    assert r.emails == [
        ("doe.john@hotmail.com", ""),
        ("additional-email@company.com", ""),
        ("additional-email1@company.com", ""),
        ("additional-email2@company.com", ""),
        ("additional-email3@company.com", ""),
    ]
    assert r.phones == [
        ("555-555-1111", "work"),
        ("555-555-2222", "home"),
        ("555-555-5555", "mobile"),
        ("555-555-3333", "fax"),
        ("555-555-4444", "pager"),
    ]
    assert r.birthday == YearlyDate(9, 21, 1970)
    assert r.anniversaries == [("Anniversary", YearlyDate(4, 30, 1990))]
    assert r.categories == ["category1", "category2", "category3"]
    assert r.note.endswith('the "note" field; even curse words.')
    assert (r.organisation, r.job_title) == ("TheOrganization", "TheTitle")


def test_thunderbird_vcard4_export():
    records = _read("thunderbird-4.0-export.vcf")
    assert _names(records) == [
        ("contact", "one", "contact number one"),
        ("contact", "two", "contact number two"),
    ]
    assert [r.emails for r in records] == [
        [("contact1@invalid", "")],
        [("contact2@invalid", "")],
    ]
    assert records[1].note == "here's some unicode text…"
    assert records[1].job_title == '"worker"'


def test_thunderbird_cardbook_1604_means_no_year():
    r = _one("thunderbird-cardbook-3.0-bday-1604.vcf")
    assert _names([r]) == [("", "", "Test bday without year Thunderbird CardBook")]
    assert r.birthday == YearlyDate(1, 1, None)


def test_thunderbird_cardbook_data_uri_photo_is_ignored():
    r = _one("thunderbird-cardbook-4.0-datauri-photo.vcf")
    assert _names([r]) == [("", "", "vCard 4 Contact with image")]
    assert r.emails == [("bbb@example.org", "")]
    assert r.extra == {}


def test_thunderbird_csv_with_tabs_and_bare_line_breaks():
    records = _read("thunderbird-csv-export.csv")
    assert [(r.line, r.given_name, r.family_name, r.full_name) for r in records] == [
        (2, "contact", "one", "contact number one"),
        (3, "contact", "two", "contact number two"),
    ]
    assert [r.emails for r in records] == [[("contact1@invalid", "")], [("contact2@invalid", "")]]
    assert records[1].job_title == '"worker"'
    assert records[1].note == "here's some unicode text…"
    assert records[1].extra == {
        "Custom 1": "custom, 1",
        "Custom 2": "custom\t2",
        "Custom 3": "custom\r3",
        "Custom 4": "custom\n4",
    }


def test_thunderbird_csv_utf16_le_with_bom():
    records = _read("thunderbird-csv-utf16le-bom.csv")
    assert [(r.line, r.given_name, r.family_name, r.full_name, r.emails) for r in records] == [
        (2, "John", "Doe", "John Doe", [("johndoe@host.invalid", "")])
    ]


def test_windows_address_book_csv():
    r = _read("windows-address-book-export.csv")[0]
    assert (r.given_name, r.family_name, r.full_name, r.preferred_name) == (
        "Firman",
        "Wandayandi",
        "Firman Wandayandi",
        "firman",
    )
    assert r.emails == [("firman@php.net", "")]
    assert r.phones == [
        ("99999999", "home"),
        ("99999999", "fax"),
        ("999999999", "mobile"),
        ("99999999", "work"),
        ("99999999", "fax"),
        ("99999999", "pager"),
    ]
    assert r.address == Address("Foo Street", "Bandung", "West Java", "99999", "Indonesia")
    assert r.note == "It's\nmultiline\nmemo."


def test_yahoo_csv():
    records = _read("yahoo-contacts-export.csv")
    assert len(records) == 1
    r = records[0]
    assert (r.given_name, r.family_name, r.preferred_name, r.organisation) == (
        "Firman",
        "Wandayandi",
        "firman",
        "Foo",
    )
    assert r.emails == [("firman@php.net", "")]
    # The sample's Work phone really is "tarzillamax"; the importer rejects it as a phone.
    assert r.phones == [("tarzillamax", "work"), ("99999999", "pager"), ("999999999", "mobile")]
    assert r.address == Address("Foo Street", "Bandung", "West Java", "99999", "Indonesia")
    assert r.note == "It's\nmultiline\nmemo."
