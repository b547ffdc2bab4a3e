"""vCard import parsing: versions, dates in every form, quirks and bad input."""

from __future__ import annotations

import pytest

from goodwill.exchange.parse.detect import open_import
from goodwill.exchange.parse.records import ContactRecord, ImportFileError, RowError, YearlyDate


def _items(tmp_path, text: str, encoding: str = "utf-8", name: str = "cards.vcf"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return list(open_import(path).records())


def _card(*lines: str, version: str = "3.0") -> str:
    return "\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def _one(tmp_path, *lines: str, version: str = "3.0") -> ContactRecord:
    [record] = _items(tmp_path, _card(*lines, version=version))
    assert isinstance(record, ContactRecord)
    return record


@pytest.mark.parametrize(
    ("bday", "expected"),
    [
        ("BDAY:1980-03-22", YearlyDate(3, 22, 1980)),
        ("BDAY:19800322", YearlyDate(3, 22, 1980)),
        ("BDAY;VALUE=date:1980-03-22", YearlyDate(3, 22, 1980)),
        ("BDAY:1980-03-22T10:00:00Z", YearlyDate(3, 22, 1980)),
        ("BDAY:--0412", YearlyDate(4, 12, None)),
        ("BDAY:--04-12", YearlyDate(4, 12, None)),
        ("BDAY:1604-04-12", YearlyDate(4, 12, None)),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12", YearlyDate(4, 12, None)),
        ("BDAY;X-APPLE-OMIT-YEAR=1900:1900-04-12", YearlyDate(4, 12, None)),
        ("BDAY:2000-02-29", YearlyDate(2, 29, 2000)),
    ],
)
def test_birthday_forms(tmp_path, bday, expected):
    assert _one(tmp_path, "FN:Ann", bday).birthday == expected


def test_bday_month_13_is_left_out_and_noted_on_the_card(tmp_path):
    text = _card("FN:Ann", "BDAY:--1340") + _card("FN:Bob", "BDAY:--0412")
    items = _items(tmp_path, text)
    assert [type(i) for i in items] == [ContactRecord, ContactRecord]
    assert (items[0].full_name, items[0].birthday) == ("Ann", None)
    assert items[0].dropped == [
        RowError(1, "birthday", "'--1340' is not a valid date: Give a month from 1 to 12.")
    ]
    assert (items[1].line, items[1].full_name, items[1].birthday) == (6, "Bob", YearlyDate(4, 12))
    assert items[1].dropped == []


def test_a_second_birthday_is_listed_and_the_first_kept(tmp_path):
    """As a CSV's first birthday column wins; the same day twice is no second birthday."""
    ann = _one(tmp_path, "FN:Ann", "BDAY:1980-03-22", "BDAY:1981-07-01", "BDAY:19800322")
    assert ann.birthday == YearlyDate(3, 22, 1980)
    assert ann.dropped == [
        RowError(1, "birthday", "A second birthday (1981-07-01); the first one is kept.")
    ]


def test_bad_anniversaries_are_left_out_and_good_ones_kept(tmp_path):
    r = _one(
        tmp_path,
        "FN:Ann",
        "ANNIVERSARY:2020-13-01",
        "item1.X-ABDATE:2001-02-30",
        "item1.X-ABLabel:Wedding",
        "X-ANNIVERSARY:1999-06-30",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;1970-02-30;3;;;;",
    )
    assert (r.birthday, r.anniversaries) == (None, [("Anniversary", YearlyDate(6, 30, 1999))])
    assert r.dropped == [
        RowError(1, "anniversary", "'2020-13-01' is not a valid date: Give a month from 1 to 12."),
        RowError(
            1, "anniversary", "'2001-02-30' is not a valid date: February has at most 29 days."
        ),
        RowError(1, "birthday", "'1970-02-30' is not a valid date: February has at most 29 days."),
    ]


def test_system_groups_are_not_categories(tmp_path):
    r = _one(tmp_path, "FN:Ann", "CATEGORIES:myContacts,starred,Gardening,My Contacts,* starred")
    assert r.categories == ["Gardening"]


def test_a_card_without_end_is_a_row_error(tmp_path):
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n" + _card("FN:Bob") + "BEGIN:VCARD\nFN:Cy\n"
    items = _items(tmp_path, text)
    assert items == [
        RowError(1, "", "The card that begins on line 1 has no END:VCARD."),
        items[1],
        RowError(8, "", "The card that begins on line 8 has no END:VCARD."),
    ]
    assert (items[1].line, items[1].full_name) == (4, "Bob")


def test_text_outside_a_card_is_reported_once(tmp_path):
    items = _items(tmp_path, _card("FN:Ann") + "garbage\nmore garbage\n")
    assert items[1] == RowError(5, "", "This line is not inside a BEGIN:VCARD … END:VCARD card.")
    assert len(items) == 2


def test_anniversaries_in_every_form(tmp_path):
    r = _one(
        tmp_path,
        "FN:Ann",
        "ANNIVERSARY:20090808T1430-0500",
        "X-ANNIVERSARY:1990-04-30",
        "X-MS-ANNIVERSARY:20110113",
        "item1.X-ABDATE:1995-05-21",
        "item1.X-ABLabel:_$!<Anniversary>!$_",
        "item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-07-01",
        "item2.X-ABLabel:First date",
        "item3.X-ABDATE:2001-01-01",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;2010-10-10;0;Graduation;;;",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;1970-01-02;3;;;;",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Annie;1;;;;",
    )
    assert r.anniversaries == [
        ("Anniversary", YearlyDate(8, 8, 2009)),
        ("Anniversary", YearlyDate(4, 30, 1990)),
        ("Anniversary", YearlyDate(1, 13, 2011)),
        ("Anniversary", YearlyDate(5, 21, 1995)),
        ("First date", YearlyDate(7, 1, None)),
        ("Other", YearlyDate(1, 1, 2001)),
        ("Graduation", YearlyDate(10, 10, 2010)),
    ]
    assert r.birthday == YearlyDate(1, 2, 1970)


def test_names_types_and_groups(tmp_path):
    r = _one(
        tmp_path,
        "N:Harris;Ann;Beth,Carol;Dr.;",
        "FN:Dr. Ann Harris",
        "NICKNAME:Annie,AH",
        "EMAIL;TYPE=work:ann@work.example",
        "item1.EMAIL:ann@home.example",
        "item1.X-ABLabel:_$!<Home>!$_",
        "EMAIL;TYPE=INTERNET;TYPE=pref:ann@example.com",
        "TEL;TYPE=CELL:+1 902 555 0101",
        "TEL;TYPE=HOME,VOICE;PREF=1:+1 902 555 0102",
        "TEL;VALUE=uri:tel:+1-902-555-0103",
        "ADR;TYPE=home:;;1 Main St;Halifax;NS;B3H 1A1;Canada",
        "ADR;TYPE=work,pref:;Unit 4;2 Side Rd;Dartmouth;NS;B2Y 1A1;Canada",
        "ORG:Harris & Co;Kitchen",
        "TITLE:Chef",
        "NOTE:Likes tea\\, not coffee\\nAllergic to nuts",
        "CATEGORIES:VIP,Gardening",
        "URL:http://example.com/ann",
        "PHOTO;VALUE=uri:http://example.com/ann.jpg",
    )
    assert (r.given_name, r.family_name, r.additional_name) == ("Ann", "Harris", "Beth Carol")
    assert (r.full_name, r.preferred_name) == ("Dr. Ann Harris", "Annie")
    assert r.emails == [
        ("ann@example.com", ""),
        ("ann@work.example", "work"),
        ("ann@home.example", "home"),
    ]
    assert r.phones == [
        ("+1 902 555 0102", "home"),
        ("+1 902 555 0101", "mobile"),
        ("+1-902-555-0103", ""),
    ]
    assert (r.address.street, r.address.locality) == ("2 Side Rd, Unit 4", "Dartmouth")
    assert (r.organisation, r.job_title) == ("Harris & Co", "Chef")
    assert r.note == "Likes tea, not coffee\nAllergic to nuts"
    assert r.categories == ["VIP", "Gardening"]
    assert r.extra == {}


def test_vcard_21_quoted_printable_in_its_charset(tmp_path):
    text = _card(
        "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Stra=C3=9Fe =E2=80=",
        "=93 Ecke",
        "TEL;WORK;VOICE:+49 30 1234",
        version="2.1",
    )
    [r] = _items(tmp_path, text)
    assert (r.given_name, r.family_name) == ("Jürgen", "Müller")
    assert r.note == "Straße – Ecke"
    assert r.phones == [("+49 30 1234", "work")]


def test_folded_lines_and_utf16(tmp_path):
    text = _card("FN:Zoë", "NOTE:a long", "  note folded", "EMAIL:zo", " e@example.com")
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        [r] = _items(tmp_path, text, encoding)
        assert (r.full_name, r.note, r.emails) == (
            "Zoë",
            "a long note folded",
            [("zoe@example.com", "")],
        )


def test_latin1_vcard(tmp_path):
    [r] = _items(tmp_path, _card("N:Müller;Jörg", "FN:Jörg Müller"), "latin-1")
    assert (r.given_name, r.family_name) == ("Jörg", "Müller")


def test_a_card_with_nothing_to_identify_a_person_is_an_error(tmp_path):
    items = _items(tmp_path, _card("PHOTO;ENCODING=b;TYPE=JPEG:AAAA", " BBBB", "UID:1"))
    assert items == [RowError(1, "", "The card has no name, email, phone or company.")]


def test_groups_are_skipped(tmp_path):
    text = _card("FN:Staff", "X-ADDRESSBOOKSERVER-KIND:group") + _card("FN:Staff", "KIND:group")
    text += _card("FN:Ann", "KIND:individual")
    assert [r.full_name for r in _items(tmp_path, text)] == ["Ann"]


def test_a_file_of_only_blank_lines_is_empty(tmp_path):
    with pytest.raises(ImportFileError, match="cards.vcf: the file is empty"):
        _items(tmp_path, "\n\n   \n")


def test_a_part_ending_in_a_backslash_keeps_it_and_its_separator(tmp_path):
    """``Town\\\\;`` is an escaped backslash and then the next part (as goodwill's export
    writes a locality ending in a backslash), not an escaped semicolon."""
    r = _one(
        tmp_path,
        "N:Lee\\\\;Ann;;;",
        "FN:Ann Lee\\\\",
        "ADR;TYPE=home:;;1 Main St\\;Unit 2;Town\\\\;NS;;",
        "ORG:Harris\\\\;Kitchen",
    )
    assert (r.given_name, r.family_name) == ("Ann", "Lee\\")
    assert (r.address.street, r.address.locality, r.address.region) == (
        "1 Main St;Unit 2",
        "Town\\",
        "NS",
    )
    assert r.organisation == "Harris\\"
