"""The merge screen after the merge (a second click) and its error messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.core.tests.matrix import db_state
from goodwill.exchange.tests.merge_world import make_merge_world
from goodwill.people.models import Person
from goodwill.people.services import person_create, person_delete

pytestmark = pytest.mark.django_db


def _url(pk: int) -> str:
    return reverse("exchange:person_merge", args=[pk])


def test_a_second_click_on_merge_lands_on_the_survivor_saying_it_was_done(
    maria_client: Client,
) -> None:
    w = make_merge_world()
    first = maria_client.post(_url(w.ann.pk), {"other": w.annie.pk})
    assert first.status_code == 302
    second = maria_client.post(_url(w.ann.pk), {"other": w.annie.pk}, follow=True)
    assert second.redirect_chain == [(reverse("people:person_detail", args=[w.ann.pk]), 302)]
    content = second.content.decode()
    assert f"The merge was done: #{w.annie.pk} is now part of this person." in content
    assert "No such person" not in content


def test_a_person_gone_otherwise_is_said_to_be_no_longer_here(
    maria_client: Client, alice: User
) -> None:
    w = make_merge_world()
    gone = person_create(actor=alice, given_name="Gone", family_name="Soon").person
    gone_pk = gone.pk
    person_delete(actor=alice, person=gone)
    before = db_state()
    response = maria_client.post(_url(w.ann.pk), {"other": gone_pk})
    assert response.status_code == 404
    content = response.content.decode()
    assert "The other person is no longer here." in content
    assert "other:" not in content
    assert db_state() == before


def test_merging_someone_with_themself_shows_the_plain_message(maria_client: Client) -> None:
    w = make_merge_world()
    before = db_state()
    response = maria_client.post(_url(w.ann.pk), {"other": w.ann.pk})
    assert response.status_code == 422
    content = response.content.decode()
    assert "A person cannot be merged with themself." in content
    assert "other_id" not in content
    assert Person.objects.filter(pk=w.ann.pk).exists()
    assert db_state() == before
