"""``goodwill people search``: the search selector from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.people.services import membership_set, organisation_create, person_create
from goodwill.people.tests.factories import make_person


def _search(*args: str) -> str:
    out = StringIO()
    call_command("people", "search", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def ann(db: None) -> int:
    person = person_create(
        actor=None,
        given_name="Ann",
        family_name="Whitman",
        emails=["ann@example.com"],
        phones=["+1 902 555 0111"],
        roles=["guest"],
    ).person
    membership_set(
        actor=None, person=person, organisation=organisation_create(actor=None, name="Fundy Shore")
    )
    make_person(given_name="Jack", family_name="Whitman")
    make_person(given_name="Ben", family_name="Doucette")
    return person.pk


def test_it_prints_one_line_per_person_in_rank_order(ann: int) -> None:
    output = _search("whitman")

    jack = ann + 1
    assert output == (
        f"{ann}\tAnn Whitman\tann@example.com\t+19025550111\tFundy Shore\n{jack}\tJack Whitman\n"
    )


def test_it_prints_json(ann: int) -> None:
    rows = json.loads(_search("ann", "--json", "--limit", "1"))

    assert rows == [
        {
            "id": ann,
            "name": "Ann Whitman",
            "given_name": "Ann",
            "family_name": "Whitman",
            "preferred_name": "",
            "email": "ann@example.com",
            "phone": "+19025550111",
            "roles": ["guest"],
            "organisations": ["Fundy Shore"],
            "tags": [],
        }
    ]


def test_it_says_when_no_one_is_found(ann: int) -> None:
    assert _search("zzz") == "No one found.\n"


@pytest.mark.parametrize("limit", ["0", "201"])
def test_an_out_of_range_limit_names_the_field(ann: int, limit: str) -> None:
    with pytest.raises(CommandError) as exc:
        _search("ann", "--limit", limit)

    assert (str(exc.value), exc.value.returncode) == ("limit: Give a number from 1 to 200.", 2)
