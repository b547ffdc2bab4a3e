"""import_row: a bad email, phone, date or tag is left out with a warning, labels are kept
readable, and categories become interests, tags, a line of the notes, or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.exchange.importer.rows import ImportRow, contact_label, import_row
from goodwill.exchange.parse.csv_mapping import auto_mapping, describe
from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import Address, ContactRecord, RowError, YearlyDate

TODAY = dt.date(2026, 12, 4)


def _record(**overrides) -> ContactRecord:
    values = {"line": 7, "given_name": "Ann", "family_name": "Lee"}
    values.update(overrides)
    return ContactRecord(**values)


def _row(record: ContactRecord, **options) -> ImportRow:
    row = import_row(record, region="CA", unmapped="ignore", today=TODAY, **options)
    assert isinstance(row, ImportRow)
    return row


def test_it_imports_a_row_without_its_invalid_email_and_warns():
    row = _row(_record(emails=[("not-an-email", "home"), ("ann@example.com", "work")]))
    assert (row.emails, row.email_labels) == (["ann@example.com"], {"ann@example.com": "work"})
    assert row.warnings == [
        RowError(
            7,
            "email",
            "not-an-email is not a valid email address: An email address must have an @-sign;"
            " imported without it.",
        )
    ]


def test_it_imports_a_row_without_its_placeholder_phones_and_warns_once_per_value():
    phones = [("99999999", "home"), ("+1 902 555 0101", "mobile"), ("99999999", "work")]
    row = _row(_record(phones=phones))
    assert (row.phones, row.phone_labels) == (["+19025550101"], {"+19025550101": "mobile"})
    assert row.warnings == [
        RowError(7, "phone", "99999999 is not a valid phone number; imported without it.")
    ]


def test_a_row_of_only_bad_contacts_is_still_imported_by_name():
    row = _row(_record(emails=[("contact1@invalid", "")], phones=[("tarzillamax", "")]))
    assert (row.values["given_name"], row.emails, row.phones) == ("Ann", [], [])
    assert [(w.line, w.column) for w in row.warnings] == [(7, "email"), (7, "phone")]
    assert row.warnings[0].message.startswith("contact1@invalid is not a valid email address: ")
    assert row.warnings[0].message.endswith("; imported without it.")


@pytest.mark.parametrize(
    ("birthday", "message"),
    [
        (
            YearlyDate(2, 30, 1990),
            "'1990-02-30' is not a valid date: February has at most 29 days; imported without it.",
        ),
        (
            YearlyDate(13, 40),
            "'--13-40' is not a valid date: Give a month from 1 to 12; imported without it.",
        ),
        (
            YearlyDate(4, 12, 2031),
            "'2031-04-12' is not a valid date: Give a year from 1850 to 2026; imported without it.",
        ),
    ],
)
def test_a_birthday_that_does_not_exist_is_left_out_with_a_warning(birthday, message):
    row = _row(_record(birthday=birthday))
    assert (row.birthday, row.warnings) == (None, [RowError(7, "birthday", message)])


def test_a_bad_anniversary_is_left_out_and_the_good_ones_kept():
    anniversaries = [("Wedding", YearlyDate(2, 29, 2001)), (" Met ", YearlyDate(6, 30, 1999))]
    row = _row(_record(birthday=YearlyDate(4, 12), anniversaries=anniversaries))
    assert (row.birthday, row.anniversaries) == (
        YearlyDate(4, 12),
        [("Met", YearlyDate(6, 30, 1999))],
    )
    assert row.warnings == [
        RowError(
            7,
            "anniversary",
            "'2001-02-29' is not a valid date: 2001 was not a leap year; imported without it.",
        )
    ]


def test_dates_the_reader_dropped_become_warnings_naming_their_column():
    dropped = [RowError(7, "Geburtstag", "'31.02.1980' is not a valid date: February has …")]
    row = _row(_record(dropped=dropped))
    assert row.warnings == [
        RowError(
            7,
            "Geburtstag",
            "'31.02.1980' is not a valid date: February has …; imported without it.",
        )
    ]


def test_a_row_without_a_name_is_still_refused():
    record = ContactRecord(line=3, emails=[("ann@example.com", "")])
    error = import_row(record, region="CA", unmapped="ignore", today=TODAY)
    assert error == RowError(3, "name", "The row has no name.")


def test_a_name_too_long_to_store_is_still_refused():
    record = _record(family_name="x" * 301, emails=[("bad", "")])
    error = import_row(record, region="CA", unmapped="ignore", today=TODAY)
    assert isinstance(error, RowError)
    assert (error.line, error.column) == (7, "family_name")
    assert error.message.startswith("At most ")


def test_a_long_organisation_and_job_title_are_cut_not_refused():
    row = _row(_record(organisation="o" * 250, job_title="t" * 200, address=Address("1 Main St")))
    assert (len(row.organisation), len(row.job_title)) == (200, 150)
    assert [(w.column, w.message[:22]) for w in row.warnings] == [
        ("organisation", "Cut to 200 characters:"),
        ("job_title", "Cut to 150 characters:"),
    ]
    assert row.values["street"] == "1 Main St"


def test_a_clean_row_has_no_warnings():
    row = _row(_record(emails=[("ann@example.com", "")], birthday=YearlyDate(4, 12, 1980)))
    assert (row.emails, row.email_labels, row.birthday, row.warnings) == (
        ["ann@example.com"],
        {},
        YearlyDate(4, 12, 1980),
        [],
    )


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("", ""),
        ("home", "home"),
        ("* Home", "Home"),
        ("*Work", "Work"),
        ("cell", "mobile"),
        ("CELL,pref", "mobile"),
        ("work;voice;pref", "work"),
        ("internet", ""),
        ("pref", ""),
        ("Mum's other number", "Mum's other number"),
        ("Google Voice", "Google Voice"),
        ("x" * 60, "x" * 40),
    ],
)
def test_contact_labels_are_the_files_own_without_noise(raw, label):
    assert contact_label(raw) == label


def test_emails_and_phones_keep_their_labels_by_normalised_value():
    record = _record(
        emails=[("Ann@Example.com", "* Home"), ("ann@example.com", "work"), ("a@b.org", "pref")],
        phones=[("902 555 0101", "cell"), ("+1 902 555 0102", "")],
    )
    row = _row(record)
    assert row.email_labels == {"ann@example.com": "Home"}
    assert row.phone_labels == {"+19025550101": "mobile"}
    assert (row.emails, row.phones) == (
        ["ann@example.com", "a@b.org"],
        ["+19025550101", "+19025550102"],
    )


def test_categories_become_interests_by_default_without_system_groups():
    categories = ["Gardening", "* myContacts", "myContacts", "* starred", "Gardening", " Tea "]
    row = _row(_record(categories=categories, note="likes tea"))
    assert (row.interests, row.notes) == (["Gardening", "Tea"], "likes tea")


def test_categories_can_go_to_the_notes_instead():
    record = _record(categories=["Gardening", "* starred", "Tea"], note="likes tea")
    row = _row(record, categories="notes")
    assert (row.interests, row.notes) == ([], "likes tea\nCategories: Gardening, Tea")


def test_categories_in_the_notes_come_after_the_unmapped_columns():
    record = _record(categories=["VIP"], extra={"Shoe size": "44"})
    row = import_row(record, region="CA", unmapped="notes", today=TODAY, categories="notes")
    assert isinstance(row, ImportRow)
    assert row.notes == "Shoe size: 44\nCategories: VIP"


def test_categories_can_be_ignored():
    row = _row(_record(categories=["Gardening"], note="likes tea"), categories="ignore")
    assert (row.interests, row.notes) == ([], "likes tea")


def test_only_system_groups_add_no_categories_line():
    row = _row(_record(categories=["* myContacts", "starred"]), categories="notes")
    assert (row.interests, row.notes) == ([], "")


def test_categories_can_become_tags_with_the_records_own_tags_once_each():
    record = _record(categories=["Wholesale", "* starred", "VIP"], tags=["vip", "Fair 2025"])
    row = _row(record, categories="tags")
    assert (row.tags, row.interests, row.notes) == (["vip", "Fair 2025", "Wholesale"], [], "")


def test_the_records_own_tags_are_tags_whatever_becomes_of_its_categories():
    row = _row(_record(categories=["Gardening"], tags=["VIP"]))
    assert (row.interests, row.tags) == (["Gardening"], ["VIP"])


def test_a_tag_too_long_is_left_out_with_a_warning_naming_its_column():
    record = _record(
        tags=["VIP", "x" * 101],
        categories=["Wholesale", "y" * 120],
        columns={"tags": "Tags", "categories": "Labels"},
    )
    row = _row(record, categories="tags")
    assert row.tags == ["VIP", "Wholesale"]
    too_long = "At most 100 characters; imported without it."
    assert row.warnings == [
        RowError(7, "Tags", f"Tag “{'x' * 40}…”: {too_long}"),
        RowError(7, "Labels", f"Tag “{'y' * 40}…”: {too_long}"),
    ]


def test_an_unknown_categories_choice_is_a_programming_error():
    with pytest.raises(ValueError, match="categories"):
        import_row(_record(), region="CA", unmapped="ignore", today=TODAY, categories="labels")


def test_a_national_phone_is_read_in_the_country_of_the_address_when_not_the_business_region():
    record = ContactRecord(
        line=2,
        given_name="Christian",
        phones=[("040 6432131545", "work"), ("902 555 0101", "home")],
        address=Address(locality="Hamburg", country="Deutschland"),
    )
    row = import_row(record, region="CA", unmapped="ignore", today=TODAY)
    assert isinstance(row, ImportRow)
    assert row.phones == ["+49406432131545", "+19025550101"]
    assert row.warnings == []


def test_the_shipped_country_names_are_phonenumbers_own():
    from goodwill.exchange.parse.countries import country_names, names_from_phonenumbers

    assert country_names() == names_from_phonenumbers()
    assert country_names()["deutschland"] == "DE"


@pytest.mark.parametrize(
    ("cell", "street", "locality", "region", "postal_code", "country"),
    [
        ("1701 Bristol Ave  Barrington  RI  02806  US", "1701 Bristol Ave", "Barrington", "RI",
         "02806", "US"),
        ("512 Means St  Suite 404  Atlanta  GA  30318  USA", "512 Means St, Suite 404",
         "Atlanta", "GA", "30318", "US"),
        # Not Mailchimp's shape (no known country last, too few parts): kept whole.
        ("3 Mid St  Apt 2  York  YO1 1AA  Narnia", "3 Mid St  Apt 2  York  YO1 1AA  Narnia",
         "", "", "", ""),
        ("12 High Street  Oxford", "12 High Street  Oxford", "", "", "", ""),
    ],
)  # fmt: skip
def test_mailchimps_one_cell_address_goes_into_its_parts(
    cell, street, locality, region, postal_code, country
):
    row = _row(_record(address=Address(street=cell)))
    assert [row.values[k] for k in ("street", "locality", "region", "postal_code", "country")] == [
        street, locality, region, postal_code, country,
    ]  # fmt: skip


MAILCHIMP = (
    "Email Address,First Name,Last Name,Address,Phone Number,Birthday,MEMBER_RATING,OPTIN_TIME,"
    "OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
    "LAST_CHANGED,LEID,EUID,NOTES,TAGS\n"
)


def test_mailchimps_guess_of_where_a_subscriber_is_is_not_their_address(tmp_path):
    """A whole Mailchimp audience export: its REGION, CC and TIMEZONE come from the sign-up's
    IP address, so the one-cell address still goes into its parts and they are left out."""
    row = (
        'ann@example.com,Ann,Lee,"1 Main St  Apt 2  Atlanta  GA  30303  US",+1 404 555 0101,'
        "03/22,2,2024-01-02 10:00:00,,2024-01-02 10:01:00,203.0.113.9,33.7,-84.4,-5,-4,"
        'America/New_York,US,FL,2024-02-01 09:00:00,1234,abcd,Likes jazz,"""VIP"""\n'
    )
    headers = MAILCHIMP.strip().split(",")
    mapped = describe(headers, auto_mapping(headers))
    assert [mapped[h] for h in ("TIMEZONE", "CC", "REGION", "LATITUDE")] == ["ignore"] * 4
    path = tmp_path / "audience.csv"
    path.write_bytes((MAILCHIMP + row).encode())
    [record] = list(open_import(path).records())
    assert isinstance(record, ContactRecord)
    imported = import_row(record, region="CA", unmapped="notes", today=TODAY)
    assert isinstance(imported, ImportRow)
    address = [imported.values[k] for k in ("street", "locality", "region", "postal_code")]
    assert address == ["1 Main St, Apt 2", "Atlanta", "GA", "30303"]
    assert (imported.values["country"], imported.values["time_zone"]) == ("US", "")
    assert "America/New_York" not in imported.notes


def test_an_interest_written_twice_keeps_its_first_spelling():
    row = _row(_record(categories=["Wine", "wine", " WINE ", "Jazz"]))
    assert row.interests == ["Wine", "Jazz"]


def test_an_address_mapped_in_parts_is_never_split_again():
    address = Address(street="1  2  3  4  US", locality="Oxford")
    row = _row(_record(address=address))
    assert (row.values["street"], row.values["locality"]) == ("1  2  3  4  US", "Oxford")
