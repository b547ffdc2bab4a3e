"""The merge screen and the API's merge preview show both people's own contact limits (their
touch budget) and what the survivor keeps; the merge then keeps exactly that."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.outreach.models_touch import PersonTouchPolicy
from goodwill.outreach.selectors.budget import Limits, person_limits
from goodwill.outreach.services.touch_policy import person_touch_policy_set
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import PERSONAS, call, db_state, token_for
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

QUARTER = "Asked for at most one message a quarter"
# The business's defaults: 1 per 14 days, 4 per 90 days, 48 hours apart.
KEPT = Limits(short_max=1, short_days=14, long_max=2, long_days=90, min_gap_hours=24)


def _ann_and_anne(maria: User) -> tuple[Person, Person]:
    ann = make_person(given_name="Ann", family_name="Lee", emails=["ann@example.com"])
    anne = make_person(given_name="Anne", family_name="Lee", emails=["ann.lee@work.example"])
    person_touch_policy_set(
        actor=maria, person=ann, short_max=3, short_days=7, min_gap_hours=24, note="Prefers email"
    )
    person_touch_policy_set(
        actor=maria,
        person=anne,
        short_max=1,
        long_max=2,
        long_days=60,
        min_gap_hours=12,
        note=QUARTER,
    )
    return ann, anne


def _cells(page: str, row: str) -> list[str]:
    """The text of each cell of the limits table's row ``row``, tags and spaces squeezed."""
    found = re.search(rf'<tr id="merge-limit-{row}">(.*?)</tr>', page, re.S)
    assert found, row
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in cells]


def _screen(client: Client, survivor: Person, other: Person) -> str:
    url = reverse("exchange:person_merge", args=[survivor.pk]) + f"?other={other.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def test_the_screen_shows_each_ones_limits_and_what_the_survivor_keeps(
    maria: User, maria_client: Client
) -> None:
    ann, anne = _ann_and_anne(maria)
    page = _screen(maria_client, ann, anne)
    assert _cells(page, "short_max") == [
        "Marketing touches per short window",
        "3",
        "1",
        "1",
    ]
    assert _cells(page, "short_days") == [
        "Short window (days)",
        "7",
        "14 (the business's)",
        "14",
    ]
    assert _cells(page, "long_max") == [
        "Marketing touches per long window",
        "4 (the business's)",
        "2",
        "2",
    ]
    assert _cells(page, "long_days") == ["Long window (days)", "90 (the business's)", "60", "90"]
    assert _cells(page, "min_gap_hours") == ["Minimum gap (hours)", "24", "12", "24"]
    assert _cells(page, "note") == ["Why", "Prefers email", QUARTER, f"Prefers email; {QUARTER}"]
    response = maria_client.post(
        reverse("exchange:person_merge", args=[ann.pk]), {"other": anne.pk}
    )
    assert response.status_code == 302
    assert person_limits(ann) == KEPT
    assert PersonTouchPolicy.objects.get().note == f"Prefers email; {QUARTER}"


def test_the_others_limits_alone_are_shown_as_kept(maria: User, maria_client: Client) -> None:
    ann = make_person(given_name="Ann", family_name="Lee")
    anne = make_person(given_name="Anne", family_name="Lee")
    person_touch_policy_set(actor=maria, person=anne, long_max=1, note=QUARTER)
    page = _screen(maria_client, ann, anne)
    assert _cells(page, "long_max")[1:] == ["4 (the business's)", "1", "1"]
    assert _cells(page, "note")[1:] == ["—", QUARTER, QUARTER]


def test_people_without_limits_of_their_own_follow_the_business(
    maria: User, maria_client: Client
) -> None:
    ann = make_person(given_name="Ann", family_name="Lee")
    anne = make_person(given_name="Anne", family_name="Lee")
    page = _screen(maria_client, ann, anne)
    assert "Neither has contact limits of their own" in page
    assert 'id="merge-limit-' not in page


def test_the_api_preview_shows_them_and_the_merge_keeps_them(maria: User) -> None:
    ann, anne = _ann_and_anne(maria)
    token = token_for(maria)
    before = db_state()
    response = call("get", f"/api/v1/people/{ann.pk}/merge?other_id={anne.pk}", token)
    assert response.status_code == 200
    assert db_state() == before  # a preview changes nothing
    preview = response.json()
    assert (preview["survivor_id"], preview["other_id"]) == (ann.pk, anne.pk)
    assert preview["touch_limits"] == {
        "survivor": {
            "short_max": 3,
            "short_days": 7,
            "long_max": 4,
            "long_days": 90,
            "min_gap_hours": 24,
            "own": ["short_max", "short_days", "min_gap_hours"],
            "note": "Prefers email",
        },
        "other": {
            "short_max": 1,
            "short_days": 14,
            "long_max": 2,
            "long_days": 60,
            "min_gap_hours": 12,
            "own": ["short_max", "long_max", "long_days", "min_gap_hours"],
            "note": QUARTER,
        },
        "kept": {
            "short_max": 1,
            "short_days": 14,
            "long_max": 2,
            "long_days": 90,
            "min_gap_hours": 24,
            "own": ["short_max", "short_days", "long_max", "long_days", "min_gap_hours"],
            "note": f"Prefers email; {QUARTER}",
        },
    }
    given = next(f for f in preview["fields"] if f["name"] == "given_name")
    assert given == {
        "name": "given_name",
        "label": "given name",
        "survivor": "Ann",
        "other": "Anne",
        "conflict": True,
    }
    assert preview["moves"]["emails"] == 1
    merged = call("post", f"/api/v1/people/{ann.pk}/merge", token, {"other_id": anne.pk})
    assert merged.status_code == 200
    kept = preview["touch_limits"]["kept"]
    assert person_limits(ann) == Limits(**{k: kept[k] for k in Limits.__dataclass_fields__})
    assert PersonTouchPolicy.objects.get(person=ann).note == kept["note"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_and_owners_may_preview_a_merge(
    persona: str, tokens: dict[str, str | None], maria: User
) -> None:
    ann, anne = _ann_and_anne(maria)
    want = {"bob": 403, "maria": 200, "alice": 200}.get(persona, 401)
    before = db_state()
    response = call("get", f"/api/v1/people/{ann.pk}/merge?other_id={anne.pk}", tokens[persona])
    assert response.status_code == want
    if want != 200:
        assert set(response.json()["error"]) == {"message", "fields"}
    assert db_state() == before


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/api/v1/people/{ann}/merge?other_id=999999", 422, "other_id"),
        ("/api/v1/people/{ann}/merge?other_id={ann}", 422, "other_id"),
        ("/api/v1/people/999999/merge?other_id={anne}", 404, None),
        ("/api/v1/people/{ann}/merge", 422, None),
    ],
)
def test_a_preview_of_nobody_or_of_themself_is_refused(
    maria: User, path: str, status: int, field: Any
) -> None:
    ann, anne = _ann_and_anne(maria)
    response = call("get", path.format(ann=ann.pk, anne=anne.pk), token_for(maria))
    assert response.status_code == status
    if field:
        assert field in response.json()["error"]["fields"]
