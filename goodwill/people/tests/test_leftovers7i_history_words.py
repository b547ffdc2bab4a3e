"""A person's history reads as words: actions, field names and choices as the pages name them,
merges summarised, ids and Python values left out."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.audit_display import audit_shown
from goodwill.accounts.models import User
from goodwill.exchange.services.merge.service import person_merge
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services import person_interest_add, relationship_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _history(client: Client, person: Person) -> str:
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    return page.split('id="history"', 1)[1].split("</section>", 1)[0]


def test_it_names_actions_fields_and_choices_in_words(maria: User, maria_client: Client) -> None:
    ann = make_person(maria, given_name="Ann", family_name="Harris")
    jack = make_person(maria, given_name="Jack", family_name="Harris")
    couple = relationship_create(actor=maria, person=ann, other=jack, kind="spouse")
    occasion_create(actor=maria, relationship=couple, kind="wedding_anniversary", month=6, day=12)
    person_interest_add(actor=maria, person=ann, name="Sailing", source="staff_observed")
    history = _history(maria_client, ann)
    assert "Occasion added" in history
    assert "Person added" in history
    assert "Kind: wedding anniversary" in history
    assert "Source: told us" in history
    assert "Source: staff observed" in history
    for raw in ("occasion.create", "person.create", "person_interest.add", "told_us"):
        assert raw not in history
    assert "wedding_anniversary" not in history
    assert "staff_observed" not in history


def test_a_merge_is_summarised_without_ids_or_python_values(
    maria: User, maria_client: Client
) -> None:
    ann = make_person(maria, given_name="Ann", family_name="Harris", emails=["ann@example.org"])
    dup = make_person(maria, given_name="Ann", family_name="Harris", emails=["ah@example.org"])
    person_interest_add(actor=maria, person=dup, name="Sailing", source="told_us")
    person_interest_add(actor=maria, person=dup, name="Chess", source="told_us")
    person_merge(actor=maria, survivor=ann, other=dup)
    history = _history(maria_client, ann)
    assert "Merged with Ann Harris" in history
    assert "Moved: 1 email, 2 interests, 3 history entries" in history
    assert "{" not in history
    assert "merged_id" not in history
    assert f"{dup.pk} →" not in history
    assert not re.search(r"\[|\]|None|&#x27;", history)


def test_an_unknown_action_still_reads_as_words() -> None:
    shown = audit_shown("gizmo.frobnicate", "nowhere.thing", {"size": [None, {"a": [1]}]})
    assert shown.title == "Gizmo frobnicate"
    assert shown.lines == []
    shown = audit_shown("occasion.create", "occasions.occasion", {"kind": [None, "birthday"]})
    assert (shown.title, shown.lines) == ("Occasion added", ["Kind: birthday"])


def test_an_entry_written_for_many_people_at_once_shows_no_batch_details() -> None:
    changes = {"interactions": [None, 12], "ids": [3, 14]}
    shown = audit_shown("interaction.bulk_log", "timeline.interaction", changes)
    assert (shown.title, shown.lines) == ("Interaction logged", [])


def test_moving_into_a_household_reads_as_words_without_its_id() -> None:
    """Found when the audits were checked again: "Household add member", "Household id: 1"."""
    from goodwill.accounts.audit_display import audit_shown

    shown = audit_shown("household.add_member", "people.household", {"household_id": [None, 1]})
    assert shown.title == "Moved into the household"
    assert shown.lines == []
