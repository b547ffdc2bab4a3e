"""The merge screen names each side's source by its label, as the person page does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_source_row_shows_labels_not_keys(maria: User, maria_client: Client) -> None:
    ann = make_person(maria, given_name="Ann", family_name="Harris", source="told_us")
    dup = make_person(maria, given_name="Ann", family_name="Harris", source="imported")
    url = reverse("exchange:person_merge", args=[ann.pk]) + f"?other={dup.pk}"
    page = maria_client.get(url).content.decode()
    assert 'value="survivor" checked> Told us</label>' in page
    assert 'value="other"> Imported</label>' in page
    main = page.split("<main", 1)[1]
    assert "told_us" not in main
    assert "> imported</label>" not in main
