"""A person an import created has that import in their history, named by its file and by who
ran it, in the page's fixed number of queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.selectors import audit_list_for_person
from goodwill.exchange.importer import import_run
from goodwill.people.models import Person
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(alice: User, tmp_path: Path) -> list[Person]:
    make_person(alice, given_name="Ann", family_name="Before")
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Last Name,Email\n"
        + "".join(f"Guest{i},Gabler,guest{i}@example.org\n" for i in range(3)),
        encoding="utf-8",
    )
    assert import_run(actor=alice, path=path).created == 3
    return list(Person.objects.filter(family_name="Gabler").order_by("pk"))


def _history(client: Client, person: Person) -> str:
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    return page.split('id="history"', 1)[1].split("</section>", 1)[0]


def test_each_imported_person_shows_the_import_that_created_them(
    maria_client: Client, imported: list[Person]
) -> None:
    for person in imported:
        history = _history(maria_client, person)
        assert "No history." not in history
        assert history.count("Imported from contacts.csv, import") == 1
        assert "alice@example.com" in history
        assert "person.bulk_create" not in history


def test_someone_not_in_the_import_does_not_show_it(
    maria_client: Client, imported: list[Person]
) -> None:
    ann = Person.objects.get(family_name="Before")
    history = _history(maria_client, ann)
    assert "Imported" not in history
    assert "Person added" in history


def test_the_history_costs_one_query(
    maria: User, imported: list[Person], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        entries = audit_list_for_person(user=maria, person_id=imported[1].pk)
    assert [e.action for e in entries] == ["person.bulk_create"]
