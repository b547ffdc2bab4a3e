"""A row skipped as a possible duplicate is listed as one, apart from the bad rows, naming the
person it may be (on the page, with a link to them): never among the bad rows, which the
page and the API count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from goodwill.accounts.models import User
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.services.erase import person_erase
from goodwill.people.models import Person
from goodwill.people.services import person_create

pytestmark = pytest.mark.django_db


def _import(tmp_path: Path, maria: User) -> tuple[ImportBatch, Person]:
    ann = person_create(actor=None, given_name="Ann", family_name="Lee").person
    path = tmp_path / "dupes.csv"
    path.write_text(
        "First Name,Last Name,Notes\nAnn,Lee,dup row\n,,no name\nNew,Person,x\n",
        encoding="utf-8",
    )
    batch = import_run(actor=maria, path=path)
    assert (batch.created, batch.duplicates, batch.error_count) == (1, 1, 1)
    return batch, ann


def test_the_api_lists_possible_duplicates_apart_from_the_bad_rows(
    tmp_path: Path, maria: User, tokens: dict[str, str]
) -> None:
    batch, ann = _import(tmp_path, maria)

    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['maria']}"}
    got = Client().get(f"/api/v1/imports/{batch.pk}", **auth).json()

    assert (got["error_count"], got["possible_duplicates"]) == (1, 1)
    assert got["errors"] == [
        {"line": 3, "column": "", "message": "The row has no name, email, phone or company."}
    ]
    assert got["duplicate_rows"] == [
        {
            "line": 2,
            "message": "Possible duplicate of Ann Lee (same name); skipped.",
            "person_id": ann.pk,
        }
    ]


def test_the_page_lists_possible_duplicates_with_a_link_to_the_person(
    tmp_path: Path, maria: User, maria_client: Client
) -> None:
    batch, ann = _import(tmp_path, maria)

    page = maria_client.get(f"/imports/{batch.pk}/").content.decode()

    bad = page[page.index('id="import-errors"') : page.index('id="import-duplicates"')]
    duplicates = page[page.index('id="import-duplicates"') :]
    assert "The row has no name, email, phone or company." in bad
    assert "Possible duplicate of" not in bad
    assert "Possible duplicate of Ann Lee (same name); skipped." in duplicates
    assert f'href="/people/{ann.pk}/"' in duplicates
    assert "The row has no name" not in duplicates


def test_erasing_the_person_removes_the_listing_that_names_them(
    tmp_path: Path, maria: User, alice: User
) -> None:
    batch, ann = _import(tmp_path, maria)

    person_erase(actor=alice, person=ann, confirm_name="Ann Lee")

    assert [p["message"] for p in batch.errors] == ["The row has no name, email, phone or company."]
