"""Adding, correcting and removing occasions through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.occasions.models import Occasion, OccasionYear
from goodwill.occasions.services.memory import occasion_mark_done
from goodwill.occasions.services.occasions import (
    occasion_create,
    occasion_delete,
    occasion_update,
)
from goodwill.occasions.tests.occasion_factories import (
    birthday,
    make_couple,
    make_household,
)
from goodwill.people.tests.api_helpers import db_state
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_it_adds_a_birthday_without_a_year(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")

    occasion = occasion_create(actor=bob, kind="birthday", person=anne, month=4, day=12)

    stored = Occasion.objects.get()
    assert (stored.person, stored.month, stored.day, stored.year, stored.md) == (
        anne,
        4,
        12,
        None,
        412,
    )
    assert (stored.date_label, stored.title, str(stored)) == (
        "--04-12",
        "Birthday",
        "Birthday — --04-12",
    )
    assert (stored.source, stored.created_by, stored.noted_by) == ("told_us", bob, bob)
    entry = AuditEntry.objects.get(action="occasion.create")
    assert (entry.person_id, entry.target_id, entry.actor) == (anne.pk, occasion.pk, bob)
    assert entry.changes["month"] == [None, 4]


def test_a_wedding_anniversary_belongs_to_the_couple_and_both_audit_histories(bob: User) -> None:
    anne, ben, couple = make_couple()

    occasion = occasion_create(
        actor=bob, kind="wedding_anniversary", relationship=couple, month=6, day=20, year=2015
    )

    assert (occasion.relationship, occasion.person, occasion.title) == (
        couple,
        None,
        "Wedding anniversary",
    )
    assert occasion.date_label == "2015-06-20"
    history = AuditEntry.objects.filter(action="occasion.create")
    assert sorted(e.person_id for e in history) == sorted([anne.pk, ben.pk])


def test_a_household_anniversary_carries_its_label(bob: User) -> None:
    household = make_household(make_person(), name="The Harrises")

    occasion = occasion_create(
        actor=bob, kind="anniversary", household=household, month=9, day=1, label=" first stay "
    )

    assert (occasion.label, occasion.title) == ("first stay", "first stay")


def test_a_29_february_of_a_leap_year_is_accepted(bob: User) -> None:
    occasion = birthday(make_person(), 2, 29, 1996)
    assert (occasion.md, occasion.date_label) == (229, "1996-02-29")


def test_an_anniversary_on_a_relationship_that_is_not_a_couple_names_relationship(
    bob: User,
) -> None:
    _anne, _ben, friends = make_couple(kind="friend")
    before = db_state()

    with pytest.raises(Invalid) as caught:
        occasion_create(
            actor=bob, kind="wedding_anniversary", relationship=friends, month=6, day=20
        )

    assert list(caught.value.fields) == ["relationship"]
    assert "is not a couple" in caught.value.message
    assert db_state() == before


def _create(**overrides: Any) -> Occasion:
    fields: dict[str, Any] = {"kind": "birthday", "month": 4, "day": 12}
    fields.update(overrides)
    return occasion_create(actor=None, **fields)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"month": 13}, "month"),
        ({"month": 0}, "month"),
        ({"month": 2, "day": 30}, "day"),
        ({"month": 4, "day": 31}, "day"),
        ({"month": 2, "day": 29, "year": 2023}, "day"),
        ({"year": timezone.now().year + 2}, "year"),
        ({"year": 1700}, "year"),
        ({"lead_days": -1}, "lead_days"),
        ({"lead_days": 366}, "lead_days"),
        ({"source": "gossip"}, "source"),
        ({"kind": "name_day"}, "kind"),
        ({"kind": "custom"}, "label"),
        ({"kind": "custom", "label": "x" * 101}, "label"),
        ({"kind": "wedding_anniversary"}, "kind"),
        ({"owner": None}, "person"),
        ({"owner": "two"}, "person"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    overrides: dict[str, Any], field: str
) -> None:
    anne, _ben, couple = make_couple()
    owner = overrides.pop("owner", "person")
    if owner == "person":
        overrides["person"] = anne
    elif owner == "two":
        overrides |= {"person": anne, "relationship": couple}
    before = db_state()

    with pytest.raises(Invalid) as caught:
        _create(**overrides)

    assert list(caught.value.fields) == [field]
    assert db_state() == before


def test_a_birthday_belongs_to_one_person(bob: User) -> None:
    _anne, _ben, couple = make_couple()
    before = db_state()
    with pytest.raises(Invalid) as caught:
        _create(relationship=couple)
    assert caught.value.fields == {"kind": ["A birthday belongs to one person."]}
    assert db_state() == before


def test_a_person_has_one_birthday(bob: User) -> None:
    anne = make_person()
    birthday(anne, 4, 12)
    before = db_state()

    with pytest.raises(Conflict) as caught:
        birthday(anne, 5, 1)

    assert list(caught.value.fields) == ["kind"]
    assert db_state() == before


def test_a_couple_has_one_wedding_anniversary(bob: User) -> None:
    _anne, _ben, couple = make_couple()
    _create(kind="wedding_anniversary", relationship=couple)
    before = db_state()
    with pytest.raises(Conflict):
        _create(kind="wedding_anniversary", relationship=couple, month=7)
    assert db_state() == before


def test_several_anniversaries_of_one_person_are_fine(bob: User) -> None:
    anne = make_person()
    _create(kind="anniversary", person=anne, label="first stay")
    _create(kind="anniversary", person=anne, label="tenth stay", month=5)
    assert Occasion.objects.filter(person=anne).count() == 2


def test_a_deactivated_user_cannot_add_an_occasion(charlie: User) -> None:
    anne = make_person()
    before = db_state()
    with pytest.raises(Forbidden):
        occasion_create(actor=charlie, kind="birthday", person=anne, month=4, day=12)
    assert db_state() == before


def test_staff_correct_the_date_and_the_index_key_follows(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)

    occasion_update(actor=bob, occasion=occasion, month=12, day=24, year=1980, lead_days=14)

    stored = Occasion.objects.get()
    assert (stored.month, stored.day, stored.year, stored.md, stored.lead_days) == (
        12,
        24,
        1980,
        1224,
        14,
    )
    assert occasion.md == 1224
    entry = AuditEntry.objects.get(action="occasion.update")
    assert entry.changes == {
        "month": [4, 12],
        "day": [12, 24],
        "year": [None, 1980],
        "lead_days": [None, 14],
    }


def test_clearing_the_year_and_the_lead_time(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12, 1980, lead_days=3)
    occasion_update(actor=bob, occasion=occasion, year=None, lead_days=None)
    stored = Occasion.objects.get()
    assert (stored.year, stored.lead_days) == (None, None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"day": 31}, "day"),
        ({"lead_days": 400}, "lead_days"),
        ({"kind": "custom"}, "kind"),
        ({"person": None}, "person"),
    ],
)
def test_a_refused_correction_changes_nothing(
    bob: User, fields: dict[str, Any], field: str
) -> None:
    occasion = birthday(make_person(), 4, 12)
    before = db_state()

    with pytest.raises(Invalid) as caught:
        occasion_update(actor=bob, occasion=occasion, **fields)

    assert list(caught.value.fields) == [field]
    assert db_state() == before
    assert (occasion.day, occasion.lead_days, occasion.kind) == (12, None, "birthday")


def test_staff_cannot_delete_an_occasion(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    before = db_state()
    with pytest.raises(Forbidden):
        occasion_delete(actor=bob, occasion=occasion)
    assert db_state() == before


def test_a_manager_deletes_an_occasion_with_its_memory(maria: User) -> None:
    anne = make_person()
    occasion = birthday(anne, 4, 12)
    occasion_mark_done(actor=None, occasion=occasion, year=2025)

    occasion_delete(actor=maria, occasion=occasion)

    assert (Occasion.objects.count(), OccasionYear.objects.count()) == (0, 0)
    entry = AuditEntry.objects.get(action="occasion.delete")
    assert (entry.person_id, entry.actor) == (anne.pk, maria)
