"""The bulk path for occasions (imports, the benchmark): checked per row, written per batch."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.occasions.bulk import OccasionRow, occasion_bulk_create
from goodwill.occasions.models import Occasion
from goodwill.occasions.tests.occasion_factories import make_couple
from goodwill.people.tests.api_helpers import db_state
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_rows_are_stored_in_batches_with_one_audit_entry_each(maria: User) -> None:
    people = [make_person(given_name=f"P{i}") for i in range(5)]
    rows = [OccasionRow(kind="birthday", month=2, day=29, person_id=p.pk) for p in people]

    assert occasion_bulk_create(actor=maria, rows=rows, batch_size=2) == 5

    assert list(Occasion.objects.values_list("md", "source", "created_by").distinct()) == [
        (229, "imported", maria.pk)
    ]
    assert AuditEntry.objects.filter(action="occasion.bulk_create").count() == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "birthday", "month": 2, "day": 30}, "row 1: day: February has at most 29 days."),
        ({"kind": "birthday", "month": 13, "day": 1}, "row 1: month: Give a month from 1 to 12."),
        ({"kind": "custom", "month": 1, "day": 1}, "row 1: label: Say what the date is."),
        (
            {"kind": "birthday", "month": 1, "day": 1, "lead_days": 400},
            "row 1: lead_days: Give a lead time from 0 to 365 days.",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_of_its_batch_is_stored(
    maria: User, row: dict[str, object], message: str
) -> None:
    person = make_person(given_name="Anne")
    good = OccasionRow(kind="anniversary", month=5, day=5, person_id=person.pk)
    before = db_state()
    with pytest.raises(Invalid) as caught:
        occasion_bulk_create(actor=maria, rows=[good, OccasionRow(person_id=person.pk, **row)])
    assert caught.value.message == message
    assert db_state() == before


def test_an_occasion_together_needs_a_couple(maria: User) -> None:
    _anne, _ben, friends = make_couple(kind="friend")
    row = OccasionRow(kind="wedding_anniversary", month=6, day=1, relationship_id=friends.pk)
    before = db_state()
    with pytest.raises(Invalid) as caught:
        occasion_bulk_create(actor=maria, rows=[row])
    assert list(caught.value.fields) == ["relationship_id"]
    assert db_state() == before


def test_a_second_birthday_refuses_its_batch_and_keeps_the_earlier_ones(maria: User) -> None:
    anne, ben = make_person(given_name="Anne"), make_person(given_name="Ben")
    rows = [
        OccasionRow(kind="birthday", month=1, day=1, person_id=anne.pk),
        OccasionRow(kind="anniversary", month=1, day=2, person_id=ben.pk),
        OccasionRow(kind="birthday", month=1, day=3, person_id=ben.pk),
        OccasionRow(kind="birthday", month=1, day=4, person_id=ben.pk),
    ]
    with pytest.raises(Invalid) as caught:
        occasion_bulk_create(actor=maria, rows=rows, batch_size=2)
    assert caught.value.message == "row 3: kind: This person already has a birthday."
    assert list(Occasion.objects.order_by("day").values_list("day", flat=True)) == [1, 2]


def test_a_person_that_is_not_there_refuses_the_batch(maria: User) -> None:
    row = OccasionRow(kind="birthday", month=1, day=1, person_id=999999)
    with pytest.raises(Invalid) as caught:
        occasion_bulk_create(actor=maria, rows=[row])
    assert caught.value.message == "row 0: person_id: No such person."
    assert Occasion.objects.count() == 0


def test_staff_cannot_bulk_create(bob: User) -> None:
    person = make_person(given_name="Anne")
    with pytest.raises(Forbidden):
        occasion_bulk_create(
            actor=bob, rows=[OccasionRow(kind="birthday", month=1, day=1, person_id=person.pk)]
        )
    assert Occasion.objects.count() == 0
