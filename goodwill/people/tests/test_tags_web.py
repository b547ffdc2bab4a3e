"""Tags on the web: the person page (shown escaped, added with suggestions, removed), the people
list's ``?tag=`` filter and its rows, and the tags page (counts; managers rename and delete).
Every route × role is in test_views.py's matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import db_state
from goodwill.people.models import Person, PersonTag, Tag
from goodwill.people.services import person_archive, person_tag_add, person_tags_add
from goodwill.people.tests.factories import make_person

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    """The business profile exists before any snapshot (pages create it on first use)."""
    business_get()


@pytest.fixture
def ann(db: None) -> Person:
    return make_person(given_name="Ann", family_name="Harris")


def _page(client: Client, person: Person) -> str:
    response = client.get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_person_page_shows_a_tag_as_text_never_as_markup(
    bob_client: Client, ann: Person
) -> None:
    person_tag_add(actor=None, person=ann, name=SCRIPT)

    html = _page(bob_client, ann)

    assert SCRIPT not in html
    assert f">{ESCAPED}</a>" in html
    assert f'<option value="{ESCAPED}">' in html  # the add box's suggestion


def test_the_person_page_lists_tags_by_name_with_where_they_came_from(
    bob_client: Client, bob: User, ann: Person
) -> None:
    person_tag_add(actor=bob, person=ann, name="wholesale")
    person_tag_add(
        actor=None, person=ann, name="VIP", source="imported", source_detail="guests.csv (12)"
    )

    html = _page(bob_client, ann)

    assert html.index(">VIP</a>") < html.index(">wholesale</a>")
    assert "(imported: guests.csv (12))" in html
    assert 'title="Added by bob@example.com on ' in html
    assert 'href="/people/?tag=VIP"' in html


def test_staff_add_a_tag_from_the_person_page(bob_client: Client, bob: User, ann: Person) -> None:
    person_tag_add(actor=None, person=make_person(given_name="Ben"), name="VIP")

    response = bob_client.post(reverse("people:person_tag_add", args=[ann.pk]), {"name": "vip "})

    assert response.status_code == 302
    assert response["Location"] == f"/people/{ann.pk}/#tags"
    assert list(PersonTag.objects.filter(person=ann).values_list("tag__name", "added_by")) == [
        ("VIP", bob.pk)
    ]
    assert Tag.objects.get().people_count == 2


def test_an_empty_tag_comes_back_with_the_error_and_changes_nothing(
    bob_client: Client, ann: Person
) -> None:
    before = db_state()

    response = bob_client.post(reverse("people:person_tag_add", args=[ann.pk]), {"name": "   "})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert db_state() == before


def test_staff_remove_a_tag_from_the_person_page(bob_client: Client, ann: Person) -> None:
    vip = person_tag_add(actor=None, person=ann, name="VIP").tag

    response = bob_client.post(reverse("people:person_tag_remove", args=[ann.pk, vip.pk]))

    assert response.status_code == 302
    assert PersonTag.objects.count() == 0
    assert Tag.objects.get().people_count == 0
    assert AuditEntry.objects.filter(action="person_tag.remove", person_id=ann.pk).count() == 1


def test_the_people_list_filters_by_tag_in_any_spelling(bob_client: Client, ann: Person) -> None:
    ben = make_person(given_name="Ben", family_name="Cole")
    dee = make_person(given_name="Dee", family_name="Lee")
    old = make_person(given_name="Zed", family_name="Old")
    for person in (ann, dee, old):
        person_tag_add(actor=None, person=person, name="Christmas card list")
    person_tag_add(actor=None, person=ben, name="Christmas")
    person_archive(actor=None, person=old)

    response = bob_client.get(reverse("people:person_list"), {"tag": "christmas CARD list"})

    assert [p.full_name for p in response.context["page"].items] == ["Ann Harris", "Dee Lee"]
    html = response.content.decode()
    assert 'value="christmas CARD list"' in html  # the filter keeps what was typed
    assert "<details open>" in html


def test_an_unknown_tag_lists_nobody(bob_client: Client, ann: Person) -> None:
    response = bob_client.get(reverse("people:person_list"), {"tag": "Gold"})

    assert response.status_code == 200
    assert response.context["page"].items == []


def test_the_people_list_shows_each_rows_tags_escaped(bob_client: Client, ann: Person) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP", SCRIPT])

    html = bob_client.get(reverse("people:person_list")).content.decode()

    assert '<a class="tag label" href="/people/?tag=VIP">VIP</a>' in html
    assert SCRIPT not in html
    assert ESCAPED in html


def test_the_tags_page_lists_counts_and_links_to_the_people(
    bob_client: Client, ann: Person
) -> None:
    ben = make_person(given_name="Ben", family_name="Cole")
    person_tags_add(actor=None, person=ann, names=["VIP", "Wholesale"])
    person_tag_add(actor=None, person=ben, name="VIP")

    response = bob_client.get(reverse("people:tag_list"))

    assert [(t.name, t.people_count) for t in response.context["page"].items] == [
        ("VIP", 2),
        ("Wholesale", 1),
    ]
    html = response.content.decode()
    assert '<a href="/people/?tag=VIP">VIP</a>' in html
    assert "2 people" in html
    assert "Rename" not in html  # staff neither rename nor delete
    assert '<a href="/people/tags/">Tags</a>' in html  # in the main navigation


def test_the_tags_page_finds_by_name_and_htmx_gets_only_the_results(
    bob_client: Client, ann: Person
) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP", "Wholesale"])

    response = bob_client.get(reverse("people:tag_list"), {"q": "whole"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.strip().startswith('<section id="results"')
    assert (">Wholesale</a>" in html, ">VIP</a>" in html) == (True, False)


def test_a_manager_sees_rename_and_delete_on_the_tags_page(
    maria_client: Client, ann: Person
) -> None:
    vip = person_tag_add(actor=None, person=ann, name=SCRIPT).tag

    html = maria_client.get(reverse("people:tag_list")).content.decode()

    assert reverse("people:tag_edit", args=[vip.pk]) in html
    assert reverse("people:tag_delete", args=[vip.pk]) in html
    assert SCRIPT not in html


def test_staff_cannot_rename_a_tag_and_nothing_changes(bob_client: Client, ann: Person) -> None:
    vip = person_tag_add(actor=None, person=ann, name="VIP").tag
    before = db_state()

    response = bob_client.post(reverse("people:tag_edit", args=[vip.pk]), {"name": "Gold"})

    assert response.status_code == 403
    assert db_state() == before


def test_renaming_into_another_tag_says_they_were_merged(maria_client: Client, ann: Person) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP", "Gold"])
    gold = Tag.objects.get(key="gold")

    response = maria_client.post(
        reverse("people:tag_edit", args=[gold.pk]), {"name": "vip"}, follow=True
    )

    assert "“Gold” is merged into “VIP”." in response.content.decode()
    assert list(Tag.objects.values_list("name", "people_count")) == [("VIP", 1)]


def test_renaming_to_nothing_comes_back_with_the_error(maria_client: Client, ann: Person) -> None:
    vip = person_tag_add(actor=None, person=ann, name="VIP").tag
    before = db_state()

    response = maria_client.post(reverse("people:tag_edit", args=[vip.pk]), {"name": " "})

    assert response.status_code == 422
    assert db_state() == before


def test_deleting_a_tag_says_how_many_people_had_it(maria_client: Client, ann: Person) -> None:
    vip = person_tag_add(actor=None, person=ann, name="VIP").tag

    response = maria_client.post(reverse("people:tag_delete", args=[vip.pk]), follow=True)

    assert "“VIP” deleted; 1 person had it." in response.content.decode()
    assert (Tag.objects.count(), PersonTag.objects.count(), Person.objects.count()) == (0, 0, 1)


def test_tags_page_query_budget(
    bob_client: Client, ann: Person, django_assert_max_num_queries: Any
) -> None:
    person_tags_add(actor=None, person=ann, names=[f"Tag {i}" for i in range(60)])

    # Session, user and business (3) and one page of tags with their counts (1).
    with django_assert_max_num_queries(4):
        response = bob_client.get(reverse("people:tag_list"))

    assert len(response.context["page"].items) == 50


def test_the_history_shows_a_tags_name_as_text(maria_client: Client, ann: Person) -> None:
    person_tag_add(actor=None, person=ann, name=SCRIPT)

    html = _page(maria_client, ann)

    assert "Tag added" in html
    assert f"<li>Tag: {ESCAPED}</li>" in html
    assert SCRIPT not in html


def test_a_tag_filtered_people_list_query_budget(
    bob_client: Client, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        person = make_person(given_name=f"Guest{i:02d}", family_name="Morrison")
        person_tags_add(actor=None, person=person, names=["VIP", f"Table {i}"])
    make_person(given_name="Nobody", family_name="Else")

    # Session, user and business (3), the tag and its count (1), the page's people and its
    # roles, organisations and tags (4), and the tag filter's suggestions (1).
    with django_assert_max_num_queries(9):
        response = bob_client.get(reverse("people:person_list"), {"tag": "vip"})

    assert len(response.context["page"].items) == 30
