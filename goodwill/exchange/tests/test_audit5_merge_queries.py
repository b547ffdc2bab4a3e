"""The merge screen's query budget: the same for a person with 1 relationship as with 10."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.people.services import person_create
from goodwill.people.services.relationships import relationship_create

pytestmark = pytest.mark.django_db

BUDGET = 22


@pytest.mark.parametrize("ties", [1, 10])
def test_the_merge_screen_runs_as_many_queries_for_1_tie_as_for_10(
    ties: int, maria_client: Client, django_assert_max_num_queries: Any
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    annie = person_create(actor=None, given_name="Annie", family_name="Harris").person
    for i in range(ties):
        friend = person_create(actor=None, given_name=f"Friend{i}", family_name="Lee").person
        # Both know each friend (a tie the merge keeps once); the other also knows a stranger.
        relationship_create(actor=None, person=ann, other=friend, kind="friend")
        relationship_create(actor=None, person=annie, other=friend, kind="friend")
        stranger = person_create(actor=None, given_name=f"Stranger{i}", family_name="Lee").person
        relationship_create(actor=None, person=annie, other=stranger, kind="friend")
    url = reverse("exchange:person_merge", args=[ann.pk]) + f"?other={annie.pk}"
    with django_assert_max_num_queries(BUDGET):
        response = maria_client.get(url)
    assert response.status_code == 200
    assert f"Relationships: {ties}" in response.content.decode()
