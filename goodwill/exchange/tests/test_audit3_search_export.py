"""A search export (``q=``) holds exactly the people the people list's search finds, in the same
order, page after page: every tier (exact names, name prefixes, family-name prefixes, substrings
of names, emails and phone digits), the archived people's own search, and everyone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodwill.accounts.models import User
from goodwill.exchange.export.selectors import ExportFilters, export_chunks
from goodwill.exchange.services.export import people_export
from goodwill.people.models import Person
from goodwill.people.selectors import person_search, person_search_archived
from goodwill.people.services import person_archive
from goodwill.people.services.bulk import PersonRow, person_bulk_create

pytestmark = pytest.mark.django_db


def _crowd(maria: User) -> None:
    """People in every tier of a search for "ann", in no particular id order, and others."""
    rows = []
    for i in range(12):
        rows += [
            PersonRow(given_name="Joanne", family_name=f"Sub{i:02d}"),  # substring
            PersonRow(given_name=f"Anna{11 - i:02d}", family_name="Prefix"),  # name prefix
            PersonRow(given_name="Zoe", family_name=f"Annand{i % 5}"),  # family prefix
            PersonRow(given_name="Ann", family_name=f"Exact{i % 4}"),  # exact (given name)
            PersonRow(given_name="Bea", family_name="Ann"),  # exact (family name)
            PersonRow(given_name="Kit", family_name=f"Mail{i}", emails=[f"k{i}@hann.example"]),
            PersonRow(given_name="Other", family_name=f"Person{i}"),  # not found
        ]
    person_bulk_create(actor=maria, rows=rows)


def _search_pages(maria: User, q: str, *, archived: bool = False) -> list[int]:
    """The ids the people list shows for ``q``, page after page of 10."""
    search = person_search_archived if archived else person_search
    ids: list[int] = []
    cursor = None
    while True:
        page = search(user=maria, q=q, cursor=cursor, limit=10)
        ids += [p.pk for p in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def _exported(maria: User, size: int, **filters: Any) -> list[int]:
    chunks = export_chunks(actor=maria, filters=ExportFilters(**filters), size=size)
    return [row[0] for chunk in chunks for row in chunk.people]


@pytest.mark.parametrize("size", [1, 7, 5000])
def test_a_search_export_holds_the_lists_search_in_its_order(maria: User, size: int) -> None:
    _crowd(maria)
    listed = _search_pages(maria, "ann")
    assert len(listed) == 12 * 6  # every tier, Kit's address too; not the others
    assert _exported(maria, size, q="ann") == listed


def test_a_search_by_phone_digits_exports_what_the_list_finds(maria: User) -> None:
    rows = [
        PersonRow(given_name=f"P{i}", family_name="Phone", phones=[f"+1 902 555 01{i:02d}"])
        for i in range(15)
    ]
    person_bulk_create(actor=maria, rows=rows)
    listed = _search_pages(maria, "555 01")
    assert len(listed) == 15
    assert _exported(maria, 4, q="555 01") == listed


def test_a_substring_search_crosses_the_dense_window(
    maria: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL reads a fragment among the next ids first, then through its index.
    monkeypatch.setattr("goodwill.people.selectors.search.DENSE_WINDOW", 3)
    _crowd(maria)
    listed = _search_pages(maria, "oann")
    assert len(listed) == 12
    assert _exported(maria, 5, q="oann") == listed


def test_archived_people_are_exported_in_their_own_searchs_order(maria: User) -> None:
    _crowd(maria)
    for person in Person.objects.filter(family_name__startswith="Annand"):
        person_archive(actor=maria, person=person)
    active = _search_pages(maria, "ann")
    archived = _search_pages(maria, "ann", archived=True)
    assert (len(active), len(archived)) == (12 * 5, 12)
    assert _exported(maria, 7, q="ann", archived=True) == archived
    assert _exported(maria, 7, q="ann", archived=None) == active + archived


def test_the_exported_file_follows_the_search_order(maria: User) -> None:
    _crowd(maria)
    export = people_export(actor=maria, format="json", filters=ExportFilters(q="ann"))
    exported = [p["id"] for p in json.loads("".join(export.pieces))]
    assert exported == _search_pages(maria, "ann")
    assert export.count == 12 * 6


def test_a_search_that_finds_no_one_exports_an_empty_file(maria: User) -> None:
    _crowd(maria)
    export = people_export(actor=maria, format="csv", filters=ExportFilters(q="zzzz"))
    assert "".join(export.pieces).count("\n") == 1  # the header alone


def _queries_to_export(maria: User, q: str) -> tuple[int, int]:
    """(people exported, queries it took) for a CSV export of the search ``q``."""
    with CaptureQueriesContext(connection) as queries:
        export = people_export(actor=maria, format="csv", filters=ExportFilters(q=q))
        "".join(export.pieces)
    return export.count, len(queries)


def test_a_search_export_takes_as_many_queries_for_many_matches_as_for_few(maria: User) -> None:
    """The search is walked once, not again for every page of the people list."""
    rows = []
    for word, count in (("lowtide", 45), ("hightide", 450)):
        rows += [PersonRow(given_name=f"{word}{i}", family_name="Prefix") for i in range(count)]
        rows += [
            PersonRow(given_name="Sub", family_name=f"S{i}", emails=[f"s{i}@{word}.example"])
            for i in range(count)
        ]
    person_bulk_create(actor=maria, rows=rows)
    few, many = _queries_to_export(maria, "lowtide"), _queries_to_export(maria, "hightide")
    assert (few[0], many[0]) == (90, 900)
    assert many[1] == few[1]
