"""``household_bulk_join``, the import's one write for households: it makes the households of
UIDs not stored yet, moves only people who live in no household, and records one audit entry
that counts both; someone without access changes nothing."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden
from goodwill.people.models import Household, Person
from goodwill.people.services.households import (
    HouseholdJoin,
    household_bulk_join,
    household_create,
)
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _homes() -> list[tuple[str, str, list[str]]]:
    return sorted(
        (h.uid, h.name, sorted(h.members.values_list("given_name", flat=True)))
        for h in Household.objects.all()
    )


def test_it_makes_each_uids_household_once_and_moves_only_the_homeless(bob: User) -> None:
    ann, ben, cy = (make_person(given_name=n) for n in ("Ann", "Ben", "Cy"))
    boat = household_create(actor=None, member_ids=[cy.pk], name="Cy's boat")

    made, moved = household_bulk_join(
        actor=bob,
        joins=[
            HouseholdJoin([ann.pk], uid="h-1", values={"name": "The Harrises", "country": "ca"}),
            HouseholdJoin([ben.pk, cy.pk], uid="h-1"),
            HouseholdJoin([ann.pk], household=boat.pk),  # Ann is in h-1 already
        ],
    )

    assert (made, moved) == (1, 2)
    assert _homes() == [(boat.uid, "Cy's boat", ["Cy"]), ("h-1", "The Harrises", ["Ann", "Ben"])]
    assert Household.objects.get(uid="h-1").country == "CA"
    entry = AuditEntry.objects.get(action="household.bulk_join")
    assert (entry.actor_label, entry.target_label, entry.person_id, entry.changes) == (
        "bob@example.com",
        "The Harrises",
        None,
        {"households": [None, 1], "members": [None, 2]},
    )


def test_someone_without_access_changes_nothing(charlie: User) -> None:
    ann = make_person(given_name="Ann")

    with pytest.raises(Forbidden):
        household_bulk_join(
            actor=charlie, joins=[HouseholdJoin([ann.pk], uid="h-1", values={"name": "Home"})]
        )

    assert (Household.objects.count(), Person.objects.get().household_id) == (0, None)
    assert not AuditEntry.objects.filter(action__startswith="household.").exists()
