"""The follow-up endpoints for every role: the un-asked list, "I asked them", sending a survey
and the rate."""

from __future__ import annotations

import pytest

from goodwill.commerce.tests.factories import buy
from goodwill.people.services import person_archive
from goodwill.people.tests.api_helpers import operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    anne = make_person(given_name="Anne", family_name="Lee", emails=["anne@example.com"])
    zed = make_person(given_name="Zed", family_name="Old", emails=["zed@example.com"])
    zeds = buy(zed, days=4)
    person_archive(actor=None, person=zed)
    return {"purchase": buy(anne, days=4).pk, "other": buy(anne, days=5).pk, "zeds": zeds.pk}


ASKED = {"method": "phone", "answer": "Lovely", "category": "place", "sentiment": "positive"}
MATRIX = [
    ("followup_list", "get", "/api/v1/followups", None, (200, 200, 200)),
    ("followup_rates", "get", "/api/v1/followups/rates", None, (403, 200, 200)),
    ("followup_asked", "post", "/api/v1/followups/{purchase}/asked", ASKED, (201, 201, 201)),
    ("followup_asked", "post", "/api/v1/followups/{zeds}/asked", ASKED, (404, 404, 404)),
    ("followup_survey", "post", "/api/v1/followups/{other}/survey", None, (201, 201, 201)),
]

test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_followup_operation_is_in_the_matrix() -> None:
    assert operation_ids("followups") == {m[0] for m in MATRIX}
