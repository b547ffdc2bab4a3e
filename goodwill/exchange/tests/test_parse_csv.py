"""CSV import parsing: dialects, encodings, header layouts, dates and bad input."""

from __future__ import annotations

import codecs

import pytest

from goodwill.exchange.parse.csv_mapping import auto_mapping, describe
from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, ImportFileError, RowError, YearlyDate


def _items(tmp_path, data: bytes, name: str = "contacts.csv", **options):
    path = tmp_path / name
    path.write_bytes(data)
    return list(open_import(path).records(**options))


def _records(tmp_path, data: bytes, **options) -> list[ContactRecord]:
    items = _items(tmp_path, data, **options)
    assert [i for i in items if isinstance(i, RowError)] == []
    return items


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_reads_any_delimiter(tmp_path, delimiter):
    text = delimiter.join(["First Name", "Last Name", "Email"]) + "\n"
    text += delimiter.join(["Ann", "Harris", "ann@example.com"]) + "\n"
    [r] = _records(tmp_path, text.encode())
    assert (r.given_name, r.family_name, r.emails) == ("Ann", "Harris", [("ann@example.com", "")])


@pytest.mark.parametrize(
    "encoded",
    [
        "Name,Email\nZoë Ångström,zoe@example.com\n".encode(),
        codecs.BOM_UTF8 + "Name,Email\nZoë Ångström,zoe@example.com\n".encode(),
        "Name,Email\r\nZoë Ångström,zoe@example.com\r\n".encode("utf-16"),
        codecs.BOM_UTF16_BE + "Name,Email\nZoë Ångström,zoe@example.com\n".encode("utf-16-be"),
        "Name,Email\nZoë Ångström,zoe@example.com\n".encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_it_reads_common_encodings(tmp_path, encoded):
    [r] = _records(tmp_path, encoded)
    assert (r.full_name, r.emails) == ("Zoë Ångström", [("zoe@example.com", "")])


def test_line_numbers_count_newlines_inside_quoted_fields(tmp_path):
    data = b'Name,Notes\nAnn,"one\ntwo\nthree"\nBob,x\n\nCy,"a\r\nb"\nDee,y\n'
    records = _records(tmp_path, data)
    assert [(r.line, r.full_name) for r in records] == [
        (2, "Ann"),
        (5, "Bob"),
        (7, "Cy"),
        (9, "Dee"),
    ]
    assert records[0].note == "one\ntwo\nthree"


def test_google_new_layout(tmp_path):
    data = (
        b"First Name,Middle Name,Last Name,Nickname,Birthday,Notes,Labels,"
        b"E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
        b"Address 1 - Label,Address 1 - Street,Address 1 - City,Address 1 - Postal Code,"
        b"Address 1 - Country,Organization Name,Organization Title,Event 1 - Label,"
        b"Event 1 - Value\n"
        b"Ann,B,Harris,Annie,--04-12,likes tea,* myContacts ::: Gardening,* Home,"
        b"ann@example.com ::: a.h@example.org,Mobile,+1 902 555 0101,Home,1 Main St,"
        b"Halifax,B3H 1A1,Canada,Harris & Co,Owner,Anniversary,2001-06-30\n"
    )
    [r] = _records(tmp_path, data)
    assert (r.given_name, r.additional_name, r.family_name, r.preferred_name) == (
        "Ann",
        "B",
        "Harris",
        "Annie",
    )
    assert r.emails == [("ann@example.com", "home"), ("a.h@example.org", "home")]
    assert r.phones == [("+1 902 555 0101", "mobile")]
    assert (r.address.street, r.address.locality, r.address.country) == (
        "1 Main St",
        "Halifax",
        "Canada",
    )
    assert (r.organisation, r.job_title) == ("Harris & Co", "Owner")
    assert r.birthday == YearlyDate(4, 12, None)
    assert r.anniversaries == [("Anniversary", YearlyDate(6, 30, 2001))]
    assert r.categories == ["Gardening"]
    assert r.note == "likes tea"


def test_a_row_without_a_birthday_keeps_its_labelled_email_and_phone(tmp_path):
    data = (
        b"First Name,Birthday,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        b"Joe,,* Home,joe@example.com,Mobile,+1 902 555 0101\n"
    )
    (record,) = _records(tmp_path, data)
    assert isinstance(record, ContactRecord)
    assert (record.birthday, record.emails, record.phones) == (
        None,
        [("joe@example.com", "home")],
        [("+1 902 555 0101", "mobile")],
    )


def test_hubspot_and_mailchimp_headers_map_automatically():
    hubspot = ["First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number"]
    hubspot += ["Company Name", "Job Title", "Street Address", "City", "State/Region"]
    hubspot += ["Postal Code", "Country/Region"]
    assert list(describe(hubspot, auto_mapping(hubspot)).values()) == [
        "given_name", "family_name", "email", "phone", "phone:mobile", "organisation",
        "job_title", "street", "locality", "region", "postal_code", "country",
    ]  # fmt: skip
    mailchimp = ["Email Address", "First Name", "Last Name", "Address", "Phone Number"]
    mailchimp += ["Birthday", "TAGS", "MEMBER_RATING"]
    assert list(describe(mailchimp, auto_mapping(mailchimp)).values()) == [
        "email", "given_name", "family_name", "street", "phone", "birthday", "tags", "",
    ]  # fmt: skip


def test_generic_headers_ignore_case_space_and_punctuation():
    headers = ["E-MAIL", " e mail ", "Mobile", "phone", "BIRTHDAY", "anniversary", "company"]
    headers += ["Tags", "interests", "Surname", "whatever"]
    assert list(describe(headers, auto_mapping(headers)).values()) == [
        "email", "email", "phone:mobile", "phone", "birthday", "anniversary", "organisation",
        "tags", "categories", "family_name", "",
    ]  # fmt: skip


def test_overrides_replace_the_automatic_mapping(tmp_path):
    data = b"Name,Kundennummer,Info\nAnn,4711,vip\n"
    [r] = _records(tmp_path, data, overrides={"Info": "categories", "name": "given_name"})
    assert (r.given_name, r.full_name, r.categories) == ("Ann", "", ["vip"])
    assert r.extra == {"Kundennummer": "4711"}
    [r] = _records(tmp_path, data, overrides={"Kundennummer": "ignore"})
    assert r.extra == {"Info": "vip"}


def test_the_mapping_step_shows_each_column_and_its_field(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xef\xbb\xbfVorname;Nachname;Handy;Kundennummer\nAnn;Harris;0171;1\n")
    assert open_import(path).columns() == {
        "Vorname": "given_name",
        "Nachname": "family_name",
        "Handy": "phone:mobile",
        "Kundennummer": "",
    }
    assert open_import(path).columns({"Kundennummer": "note"})["Kundennummer"] == "note"


def test_overrides_name_unknown_columns_and_fields(tmp_path):
    with pytest.raises(ImportFileError, match="no column 'Nope'"):
        _items(tmp_path, b"Name\nAnn\n", overrides={"Nope": "email"})
    with pytest.raises(ImportFileError, match="Unknown field 'shoe_size'"):
        _items(tmp_path, b"Name\nAnn\n", overrides={"Name": "shoe_size"})


@pytest.mark.parametrize(
    ("cell", "day_first", "expected"),
    [
        ("1980-03-22", False, YearlyDate(3, 22, 1980)),
        ("--03-22", False, YearlyDate(3, 22, None)),
        ("22.03.1980", False, YearlyDate(3, 22, 1980)),
        ("22.3.", False, YearlyDate(3, 22, None)),
        ("3/22/1980", False, YearlyDate(3, 22, 1980)),
        ("3/22/1980 0:00:00", False, YearlyDate(3, 22, 1980)),
        ("22/3/1980", True, YearlyDate(3, 22, 1980)),
        ("04/12", False, YearlyDate(4, 12, None)),
        ("0.0.00", False, None),
        ("0/0/00", False, None),
    ],
)
def test_csv_dates(tmp_path, cell, day_first, expected):
    data = f"Name,Birthday\nAnn,{cell}\n".encode()
    [r] = _records(tmp_path, data, day_first=day_first)
    assert r.birthday == expected


def test_an_invalid_date_is_left_out_of_its_row_and_noted_with_its_column(tmp_path):
    data = b"Name,Geburtstag\nAnn,31.02.1980\nBob,01.02.1980\nCy,13/45/2000\nDee,someday\n"
    records = _records(tmp_path, data)
    assert [(r.line, r.full_name, r.birthday) for r in records] == [
        (2, "Ann", None),
        (3, "Bob", YearlyDate(2, 1, 1980)),
        (4, "Cy", None),
        (5, "Dee", None),
    ]
    assert [r.dropped for r in records] == [
        [
            RowError(
                2, "Geburtstag", "'31.02.1980' is not a valid date: February has at most 29 days."
            )
        ],
        [],
        [RowError(4, "Geburtstag", "'13/45/2000' is not a valid date: Give a month from 1 to 12.")],
        [RowError(5, "Geburtstag", "'someday' is not a date.")],
    ]


def test_an_invalid_anniversary_is_left_out_and_the_good_birthday_kept(tmp_path):
    data = b"Name,Birthday,Anniversary\nAnn,1980-04-12,2001-02-29\n"
    [r] = _records(tmp_path, data)
    assert (r.birthday, r.anniversaries) == (YearlyDate(4, 12, 1980), [])
    assert r.dropped == [
        RowError(2, "Anniversary", "'2001-02-29' is not a valid date: 2001 was not a leap year.")
    ]


def test_thunderbird_split_birthday_columns(tmp_path):
    data = "First Name,Birth Year,Birth Month,Birth Day\nAnn,,4,12\nBob,1970,2,29\nCy,1980,x,1\n"
    # A digit int() cannot read, and a number too long to read: the row stays, without them.
    data += "Di,1980,²,1\nEd,1980,4," + "1" * 5000 + "\n"
    records = _records(tmp_path, data.encode())
    assert [(r.given_name, r.birthday) for r in records] == [
        ("Ann", YearlyDate(4, 12, None)),
        ("Bob", None),
        ("Cy", None),
        ("Di", None),
        ("Ed", None),
    ]
    assert [r.dropped for r in records] == [
        [],
        [RowError(3, "Birth Month", "'1970/2/29' is not a valid date: 1970 was not a leap year.")],
        [RowError(4, "Birth Month", "'x' is not a number.")],
        [RowError(5, "Birth Month", "'²' is not a number.")],
        [RowError(6, "Birth Day", f"'{'1' * 20}' is not a number.")],
    ]


def test_google_system_labels_are_not_categories(tmp_path):
    data = b"First Name,Labels\nAnn,* myContacts ::: * starred ::: Gardening ::: My Contacts\n"
    [r] = _records(tmp_path, data)
    assert r.categories == ["Gardening"]


def test_an_empty_file_is_refused_by_name(tmp_path):
    with pytest.raises(ImportFileError, match=r"^contacts.csv: the file is empty\.$"):
        _items(tmp_path, b"")
    with pytest.raises(ImportFileError, match="empty"):
        _items(tmp_path, b" \r\n\n ")


def test_a_binary_file_is_refused_by_name(tmp_path):
    with pytest.raises(ImportFileError, match=r"contacts.csv: this looks like a binary file"):
        _items(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 50)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as fh:
        fh.truncate(2 * 1024**3 + 1)  # sparse: the size is checked, nothing is read
    with pytest.raises(ImportFileError, match=r"^big.csv: the file is too large"):
        open_import(path)
    small = tmp_path / "small.csv"
    small.write_bytes(b"Name\nAnn\n")
    with pytest.raises(ImportFileError, match="too large"):
        open_import(small, max_bytes=5)


def test_a_missing_file_or_a_folder_is_refused_by_name(tmp_path):
    with pytest.raises(ImportFileError, match=r"^nope.csv: cannot be read"):
        open_import(tmp_path / "nope.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ImportFileError, match=r"^folder.csv: cannot be read"):
        open_import(tmp_path / "folder.csv")


def test_only_headers_is_a_clear_no_rows_error(tmp_path):
    with pytest.raises(ImportFileError, match="contacts.csv: there are column headers but no rows"):
        _items(tmp_path, b"First Name,Last Name,Email\r\n\r\n,,\r\n")


def test_duplicate_header_names_are_named(tmp_path):
    with pytest.raises(ImportFileError, match=r"more than once: Email, phone\.$"):
        _items(tmp_path, b"Email,Name,email,phone,Phone,Email\nx,y,z,1,2,3\n")
    with pytest.raises(ImportFileError, match=r"^contacts.csv: the header on line 3 names"):
        _items(tmp_path, b"\n\nName,Email,Email\nx,y,z\n")


def test_a_header_with_no_known_column_asks_for_a_mapping(tmp_path):
    with pytest.raises(
        ImportFileError, match=r"no column matches a contact field \(columns: a, b\)"
    ):
        _items(tmp_path, b"a,b\n1,2\n")


def test_a_row_with_more_columns_than_the_header_is_a_row_error(tmp_path):
    items = _items(tmp_path, b"Name,Email\nAnn,ann@example.com,surprise\nBob,bob@example.com,,\n")
    assert items[0] == RowError(2, "", "The row has 3 columns but the header has 2.")
    assert isinstance(items[1], ContactRecord)  # empty trailing cells are tolerated
    assert items[1].full_name == "Bob"


def test_invalid_utf8_in_the_middle_fails_only_that_row(tmp_path):
    rows = [f"Person {i},p{i}@example.com\n".encode() for i in range(6000)]
    rows[5000] = b"Bad \xff\xfe Name,bad@example.com\n"
    items = _items(tmp_path, b"Name,Email\n" + b"".join(rows))
    errors = [i for i in items if isinstance(i, RowError)]
    assert errors == [RowError(5002, "Name", "The row has bytes that are not text.")]
    assert len(items) == 6000
    assert items[5001].full_name == "Person 5001"


def test_a_damaged_byte_early_in_a_utf8_file_does_not_turn_it_into_windows_1252(tmp_path):
    data = "Name\nZoë\nJosé\nRenée\nBjörk\n".encode() + b"Bad \xff\nAnn\n"
    items = _items(tmp_path, data)
    assert [getattr(i, "full_name", None) for i in items] == [
        "Zoë", "José", "Renée", "Björk", None, "Ann",
    ]  # fmt: skip
    assert items[4] == RowError(6, "Name", "The row has bytes that are not text.")


def test_a_row_without_any_name_email_or_phone_is_an_error(tmp_path):
    items = _items(tmp_path, b"Name,Email,Notes\n,,just a note\nAnn,,\n")
    assert items[0] == RowError(2, "", "The row has no name, email, phone or company.")
    assert items[1].full_name == "Ann"


def test_unmapped_columns_are_kept_in_extra(tmp_path):
    [r] = _records(tmp_path, b"Email,Loyalty Card,Room\nann@example.com,12345,\n")
    assert r.extra == {"Loyalty Card": "12345"}


def test_format_is_detected_from_content_not_the_name(tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n")
    assert open_import(path).format == "vcard"
    path = tmp_path / "contacts.vcf"
    path.write_bytes(b"Name,Email\nAnn,ann@example.com\n")
    assert open_import(path).format == "csv"
    with pytest.raises(ImportFileError) as caught:
        open_import(path, format="vcard")
    assert caught.value.message == (
        "contacts.vcf: this is not a vCard file (it does not start with BEGIN:VCARD)."
    )
