"""``person_search_ids``: the ids the people list's search finds, in its order, a step at a time,
from the same code its pages run (the export of a search walks it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from goodwill.accounts.models import User
from goodwill.core.errors import Forbidden
from goodwill.people.selectors import person_search, person_search_archived, person_search_ids
from goodwill.people.services import person_archive
from goodwill.people.services.bulk import PersonRow, person_bulk_create

pytestmark = pytest.mark.django_db


def _crowd(maria: User) -> None:
    """People in every tier of a search for "ann" (not in id order), others, and four of them
    archived."""
    rows = []
    for i in range(6):
        rows += [
            PersonRow(given_name="Joanne", family_name=f"Sub{i:02d}"),  # substring
            PersonRow(given_name=f"Anna{5 - i:02d}", family_name="Prefix"),  # name prefix
            PersonRow(given_name="Zoe", family_name=f"Annand{i % 3}"),  # family prefix
            PersonRow(given_name="Ann", family_name=f"Exact{i % 2}"),  # exact (given name)
            PersonRow(given_name="Kit", family_name=f"Mail{i}", emails=[f"k{i}@hann.example"]),
            PersonRow(given_name="Other", family_name=f"Person{i}"),  # not found
        ]
    person_bulk_create(actor=maria, rows=rows)
    from goodwill.people.models import Person

    for person in Person.objects.filter(family_name__in=["Sub01", "Annand2", "Mail3"]):
        person_archive(actor=maria, person=person)


def _pages(maria: User, q: str, *, archived: bool = False) -> list[int]:
    """The ids the people list shows for ``q``, page after page of 4."""
    search = person_search_archived if archived else person_search
    ids: list[int] = []
    cursor = None
    while True:
        page = search(user=maria, q=q, cursor=cursor, limit=4)
        ids += [p.pk for p in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 4, 7, 200])
@pytest.mark.parametrize("archived", [False, True])
def test_it_finds_what_the_lists_pages_find_in_their_order(
    maria: User, size: int, archived: bool
) -> None:
    _crowd(maria)

    steps = list(person_search_ids(user=maria, q="ann", archived=archived, size=size))

    assert [i for step in steps for i in step] == _pages(maria, "ann", archived=archived)
    assert all(len(step) == size for step in steps[:-1])
    assert len(_pages(maria, "ann", archived=archived)) == (4 if archived else 26)


def test_it_finds_by_phone_digits_as_the_list_does(maria: User) -> None:
    person_bulk_create(
        actor=maria,
        rows=[PersonRow(given_name="Ann", family_name="Lee", phones=["+1 902 555 0101"])],
    )

    ids = [i for step in person_search_ids(user=maria, q="555 0101") for i in step]

    assert ids == _pages(maria, "555 0101")
    assert len(ids) == 1


@pytest.mark.parametrize("q", ["", "   ", "zzzz"])
def test_a_search_that_finds_no_one_yields_nothing(maria: User, q: str) -> None:
    _crowd(maria)

    assert list(person_search_ids(user=maria, q=q)) == []
    assert list(person_search_ids(user=maria, q=q, archived=True)) == []


def test_staff_may_not_search_the_archived_people(bob: User) -> None:
    with pytest.raises(Forbidden):
        person_search_ids(user=bob, q="ann", archived=True)


def test_someone_deactivated_may_not_search(charlie: User) -> None:
    with pytest.raises(Forbidden):
        person_search_ids(user=charlie, q="ann")


def test_the_export_of_a_search_uses_no_private_helper_of_the_people_search() -> None:
    import goodwill.exchange.export.narrowed as narrowed

    tree = ast.parse(Path(narrowed.__file__).read_text())
    private = [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("goodwill.people")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private == []
