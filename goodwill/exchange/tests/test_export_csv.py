"""People as CSV: Google Contacts columns, exact cells, formula-safe, a BOM only when asked."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.exchange.export.csv import HEADER, neutralise
from goodwill.exchange.export.selectors import ExportFilters, export_chunks
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_it_writes_every_fact_of_a_person_in_google_columns(world: World) -> None:
    ann = rows(export_text("csv"))[0]
    assert ann == {
        "First Name": 'Ann "Annie"',
        "Middle Name": "",
        "Last Name": "Harris, Jr.\nof Halifax",
        "Nickname": "Annie",
        "Organization Name": "Harbour Inn",
        "Organization Title": "Night manager",
        "Birthday": "'--04-12",
        "Notes": "Prefers the sea view; allergic to nuts",
        "Labels": "Guest / customer ::: Staff ::: Jazz ::: Storm chasing",
        "E-mail 1 - Label": "",
        "E-mail 1 - Value": "ann@example.com",
        "E-mail 2 - Label": "",
        "E-mail 2 - Value": "ann.harris@work.example",
        "E-mail 3 - Label": "",
        "E-mail 3 - Value": "",
        "Phone 1 - Label": "",
        "Phone 1 - Value": "'+19025550101",
        "Phone 2 - Label": "",
        "Phone 2 - Value": "'+19025550102",
        "Phone 3 - Label": "",
        "Phone 3 - Value": "",
        "Address 1 - Label": "Home",
        "Address 1 - Street": "12 Harbour Rd\nFlat 2",
        "Address 1 - City": "Halifax",
        "Address 1 - Region": "NS",
        "Address 1 - Postal Code": "B3H 1A1",
        "Address 1 - Country": "CA",
        "Event 1 - Label": "Anniversary",
        "Event 1 - Value": "2015-06-20",
        "Event 2 - Label": "",
        "Event 2 - Value": "",
        "Event 3 - Label": "",
        "Event 3 - Value": "",
        "Language": "",
        "Time Zone": "",
        "Goodwill ID": str(world.ann.pk),
        "Goodwill Source": "told_us",
        "Goodwill Roles": "guest ::: staff",
        "Goodwill Interests": "Jazz ::: Storm chasing",
        "Goodwill Dislikes": "Cilantro",
        "Goodwill Tags": "",
        "Goodwill Event Kinds": "wedding_anniversary",
    }


def test_it_quotes_a_name_with_a_comma_quotes_and_a_newline(world: World) -> None:
    line = export_text("csv").split("\r\n")[1]
    assert line.startswith('"Ann ""Annie""",,"Harris, Jr.\nof Halifax",Annie,Harbour Inn,')


def test_it_starts_with_the_header_and_leaves_archived_people_out(world: World) -> None:
    text = export_text("csv")
    assert text.split("\r\n")[0] == ",".join(HEADER)
    assert [r["Goodwill ID"] for r in rows(text)] == [
        str(p.pk) for p in (world.ann, world.ben, world.cleo)
    ]


def test_it_exports_a_feb_29_birthday_with_its_year(world: World) -> None:
    ben = rows(export_text("csv"))[1]
    assert (ben["First Name"], ben["Birthday"], ben["Event 1 - Value"]) == (
        "Ben",
        "1992-02-29",
        "2015-06-20",
    )


def test_it_neutralises_every_cell_a_spreadsheet_would_run_as_a_formula(world: World) -> None:
    cleo = rows(export_text("csv"))[2]
    assert (cleo["First Name"], cleo["Last Name"], cleo["Nickname"]) == (
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'-2+3",
    )
    cells = [cell for row in rows(export_text("csv")) for cell in row.values()]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1 902 555 0101", "'+1 902 555 0101"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("--04-12", "'--04-12"),
        ("Ann", "Ann"),
        ("a=b", "a=b"),
        ("", ""),
        ("'-quoted", "''-quoted"),  # a re-import takes one quote off: it keeps its own
        ("''=x", "'''=x"),
        ("'quoted", "'quoted"),
        ("'", "'"),
    ],
)
def test_neutralise_prefixes_a_quote_only_before_formula_characters(value: str, safe: str) -> None:
    assert neutralise(value) == safe


def test_it_adds_a_byte_order_mark_only_when_asked(world: World) -> None:
    assert export_text("csv", bom=True).startswith("\ufeffFirst Name,")
    assert export_text("csv").startswith("First Name,")
    assert "\ufeff" not in export_text("csv")


def test_it_exports_the_people_list_filters(world: World) -> None:
    by_role = rows(export_text("csv", ExportFilters(role="staff")))
    by_interest = rows(export_text("csv", ExportFilters(interest="storm chasing")))
    by_search = rows(export_text("csv", ExportFilters(q="harris")))
    archived = rows(export_text("csv", ExportFilters(archived=True)))
    assert [r["First Name"] for r in by_role] == ['Ann "Annie"']
    assert [r["First Name"] for r in by_interest] == ['Ann "Annie"']
    assert sorted(r["First Name"] for r in by_search) == ['Ann "Annie"', "Ben"]
    assert [r["First Name"] for r in archived] == ["Dan"]


def test_it_exports_an_organisations_people(world: World) -> None:
    org_id = world.ann.memberships.get().organisation_id
    found = rows(export_text("csv", ExportFilters(organisation_id=org_id)))
    assert [r["Goodwill ID"] for r in found] == [str(world.ann.pk)]


def test_a_fourth_email_shares_the_third_slot_as_google_does(world: World) -> None:
    make_person(
        given_name="Eve",
        emails=["e1@example.com", "e2@example.com", "e3@example.com", "e4@example.com"],
    )
    eve = rows(export_text("csv"))[3]
    assert [eve[f"E-mail {i} - Value"] for i in (1, 2, 3)] == [
        "e1@example.com",
        "e2@example.com",
        "e3@example.com ::: e4@example.com",
    ]
    assert eve["E-mail 3 - Label"] == " ::: "


def count_queries(size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        for _chunk in export_chunks(actor=None, filters=ExportFilters(), size=size):
            pass
    return len(queries)


def test_the_queries_grow_with_the_chunks_not_the_people(world: World) -> None:
    # 3 people in 2 chunks: per chunk the people and 10 queries of facts (tags among them;
    # relationships are read for the full formats only), then one empty read.
    assert count_queries(size=2) == 2 * 11 + 1
    make_person(given_name="Fay", emails=["fay@example.com"], roles=["guest"])
    assert count_queries(size=2) == 2 * 11 + 1
    assert count_queries(size=1) == 4 * 11 + 1


def test_a_filtered_export_reads_the_people_list_a_page_at_a_time(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        text = export_text("csv", ExportFilters(role="guest"))
    assert len(rows(text)) == 1
    # The list page and its three prefetches (roles, organisations, tags); the chunk's people and
    # 9 queries of facts (emails, phones, roles, interests, tags, organisations, occasions, and
    # weddings from either side); the audit entry.
    assert len(queries) == 4 + 1 + 9 + 1
