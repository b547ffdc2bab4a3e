"""Stay in touch, page by page: the quick walks and the full query list the same people in the
same order, whatever the walks' bounds, and every page follows on from the last."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.commerce.models import Journey
from goodwill.outreach.selectors import balance
from goodwill.outreach.services.touches import TouchRow, touches_record
from goodwill.people.models import Person
from goodwill.people.services import person_archive
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _person(name: str, stage: str = "regular") -> Person:
    person = make_person(given_name=name, family_name="Stone")
    Journey.objects.update_or_create(person=person, defaults={"stage": stage, "computed_at": NOW})
    return person


def _gave(person: Person, *days_ago: int) -> None:
    touches_record(
        rows=[
            TouchRow(
                person_id=person.pk,
                at=NOW - dt.timedelta(days=d),
                purpose="one_to_one",
                intent="giving",
            )
            for d in days_ago
        ]
    )


@pytest.fixture
def regulars() -> list[str]:
    """Four never given anything, six given something long ago (two at the same moment, one
    twice), two given something recently, an archived one and a first-timer."""
    for name in ("Ada", "Ben", "Cy", "Di"):
        _person(name)
    same = NOW - dt.timedelta(days=300)
    for name in ("Eve", "Fay"):
        touches_record(
            rows=[
                TouchRow(person_id=_person(name).pk, at=same, purpose="one_to_one", intent="giving")
            ]
        )
    _gave(_person("Gus"), 400, 250)
    _gave(_person("Hal"), 500)
    _gave(_person("Ivy"), 210)
    _gave(_person("Jo"), 190)
    _gave(_person("Kit"), 20)
    _gave(_person("Lu"), 5, 400)
    person_archive(actor=None, person=_person("Max"))
    _gave(_person("Ned", stage="first_time"), 400)
    return ["Ada", "Ben", "Cy", "Di", "Hal", "Eve", "Fay", "Gus", "Ivy", "Jo"]


def _walk(user: User, limit: int) -> list[str]:
    names: list[str] = []
    cursor = None
    while True:
        page = balance.stay_in_touch_page(user=user, cursor=cursor, limit=limit, at=NOW)
        names += [p.given_name for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return names


@pytest.mark.parametrize(("people_window", "touch_window"), [(5_000, 20_000), (1, 1), (2, 3)])
@pytest.mark.parametrize("limit", [1, 3, 50])
def test_every_page_walk_lists_the_full_querys_people_in_order(
    regulars: list[str],
    bob: User,
    monkeypatch: pytest.MonkeyPatch,
    people_window: int,
    touch_window: int,
    limit: int,
) -> None:
    monkeypatch.setattr(balance, "PEOPLE_WINDOW", people_window)
    monkeypatch.setattr(balance, "TOUCH_WINDOW", touch_window)
    full = [p.given_name for p in balance.stay_in_touch(user=bob, at=NOW)]
    assert full[:4] == ["Ada", "Ben", "Cy", "Di"]  # never given anything, first
    assert sorted(full) == sorted(regulars)
    assert full[4:] == ["Hal", "Eve", "Fay", "Gus", "Ivy", "Jo"]  # longest without first
    assert _walk(bob, limit) == full
