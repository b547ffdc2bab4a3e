"""Tags in exports: the CSV's "Goodwill Tags" column (formula-safe) and Google's "Labels", the
vCard's ``CATEGORIES;TYPE=x-goodwill-tags``, and the JSON's ``tags`` with their sources."""

from __future__ import annotations

import csv
import io
import json

import pytest

from goodwill.accounts.models import User
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.people.services.tags import person_tags_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(maria: User) -> World:
    world = make_world()
    person_tags_add(actor=maria, person=world.ann, names=["VIP", "=cmd"])
    person_tags_add(
        actor=maria, person=world.ben, names=["Wholesale"], source="imported", source_detail="x.csv"
    )
    return world


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_lists_tags_in_their_column_and_after_the_labels_google_shows(
    world: World,
) -> None:
    ann, ben, cleo = _rows(export_text("csv"))
    assert ann["Labels"] == "Guest / customer ::: Staff ::: Jazz ::: Storm chasing ::: =cmd ::: VIP"
    assert ann["Goodwill Tags"] == "'=cmd ::: VIP"  # formula-safe, like every cell
    assert (ben["Labels"], ben["Goodwill Tags"]) == ("Wholesale", "Wholesale")
    assert (cleo["Labels"], cleo["Goodwill Tags"]) == ("", "")


def test_the_vcard_writes_tags_as_categories_marked_as_goodwills(world: World) -> None:
    text = export_text("vcard")
    assert [line for line in text.split("\r\n") if line.startswith("CATEGORIES")] == [
        "CATEGORIES:Jazz,Storm chasing",
        "CATEGORIES;TYPE=x-goodwill-tags:=cmd,VIP",
        "CATEGORIES;TYPE=x-goodwill-tags:Wholesale",
    ]


def test_the_json_lists_each_tag_with_its_source(world: World) -> None:
    ann, ben, cleo = json.loads(export_text("json"))
    for tag in ann["tags"] + ben["tags"]:
        assert tag.pop("added_at").startswith(str(world.ann.created_at.year))
    assert ann["tags"] == [
        {"name": "=cmd", "source": "told_us", "source_detail": ""},
        {"name": "VIP", "source": "told_us", "source_detail": ""},
    ]
    assert ben["tags"] == [{"name": "Wholesale", "source": "imported", "source_detail": "x.csv"}]
    assert cleo["tags"] == []
