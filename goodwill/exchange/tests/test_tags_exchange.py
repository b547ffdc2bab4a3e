"""Tags across the exchange app: a merge moves them, an erasure removes them (and the tag's
count), and a person's data lists them with their source."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.exchange.export.access import person_access_data
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.services.merge import person_merge
from goodwill.people.models import Person, PersonTag, Tag
from goodwill.people.services import person_create
from goodwill.people.services.tags import person_tags_add

pytestmark = pytest.mark.django_db


def _tags(person: Person) -> list[str]:
    links = PersonTag.objects.filter(person=person).order_by("tag__key")
    return [link.tag.name for link in links]


def _counts() -> dict[str, int]:
    return dict(Tag.objects.values_list("name", "people_count"))


def _pair(actor: User) -> tuple[Person, Person]:
    ann = person_create(actor=actor, given_name="Ann", family_name="Lee").person
    annie = person_create(actor=actor, given_name="Annie", family_name="Lee").person
    person_tags_add(actor=actor, person=ann, names=["VIP", "Wholesale"])
    person_tags_add(
        actor=actor, person=annie, names=["vip", "Christmas card"], source_detail="fair 2025"
    )
    return ann, annie


def test_a_merge_moves_the_tags_the_survivor_lacks_and_keeps_one_of_each(maria: User) -> None:
    ann, annie = _pair(maria)
    assert merge_preview(user=maria, survivor=ann, other=annie).moves["tags"] == 2
    person_merge(actor=maria, survivor=ann, other=annie)
    assert _tags(ann) == ["Christmas card", "VIP", "Wholesale"]
    assert _counts() == {"VIP": 1, "Wholesale": 1, "Christmas card": 1}
    moved = PersonTag.objects.get(person=ann, tag__name="Christmas card")
    assert moved.source_detail == "fair 2025"  # a moved tag keeps where it came from


def test_an_erasure_removes_their_tags_and_recounts_them(maria: User, alice: User) -> None:
    ann, annie = _pair(maria)
    person_erase(actor=alice, person=annie, confirm_name="Annie Lee")
    assert _tags(ann) == ["VIP", "Wholesale"]
    assert not PersonTag.objects.filter(person_id=annie.pk).exists()
    assert _counts() == {"VIP": 1, "Wholesale": 1, "Christmas card": 0}


def test_a_persons_data_lists_their_tags_with_source_escaped(maria: User) -> None:
    ann = person_create(actor=maria, given_name="Ann", family_name="Lee").person
    person_tags_add(actor=maria, person=ann, names=["<b>VIP</b>"])
    data = person_access_data(ann)
    assert [(t["name"], t["added_by"]) for t in data["tags"]] == [("<b>VIP</b>", maria.email)]
    client = Client()
    client.force_login(maria)
    page = client.get(reverse("exchange:person_access", args=[ann.pk])).content.decode()
    assert "&lt;b&gt;VIP&lt;/b&gt;" in page
    assert "<b>VIP</b>" not in page
