"""The shared interest vocabulary: create, rename and delete, each with its role and audit entry."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.people.models import Interest
from goodwill.people.services import interest_create, interest_delete, interest_update
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[tuple[str, str, dict[str, list[str | None]]]]:
    entries = AuditEntry.objects.filter(action=action).order_by("id")
    return [(e.actor_label, e.target_label, e.changes) for e in entries]


def test_staff_add_an_interest_with_a_tidy_name_and_an_audit_entry(bob: User) -> None:
    interest = interest_create(actor=bob, name="  Storm-chasing ")

    assert (interest.name, interest.key, interest.people_count) == (
        "Storm chasing",
        "storm chasing",
        0,
    )
    assert _audit("interest.create") == [
        ("bob@example.com", "Storm chasing", {"name": [None, "Storm chasing"]})
    ]


def test_another_spelling_returns_the_existing_interest_without_an_audit_entry(
    bob: User,
) -> None:
    first = interest_create(actor=None, name="Storm chasing")

    again = interest_create(actor=bob, name="STORM_CHASING")

    assert again == first
    assert again.name == "Storm chasing"
    assert Interest.objects.count() == 1
    assert _audit("interest.create") == [
        ("command line", "Storm chasing", {"name": [None, "Storm chasing"]})
    ]


def test_an_empty_interest_is_invalid_naming_name(bob: User) -> None:
    with pytest.raises(Invalid) as exc:
        interest_create(actor=bob, name=" -- ")

    assert exc.value.fields == {"name": ["Enter an interest."]}
    assert Interest.objects.count() == 0


def test_a_deactivated_user_cannot_add_an_interest(charlie: User) -> None:
    with pytest.raises(Forbidden):
        interest_create(actor=charlie, name="Tea")

    assert Interest.objects.count() == 0


def test_a_manager_renames_an_interest_and_its_key_follows(maria: User) -> None:
    interest = interest_create(actor=None, name="Storm chasing")
    give_interests(make_person(), "storm chasing")

    renamed = interest_update(actor=maria, interest=interest, name="Tornado-chasing")

    interest.refresh_from_db()
    assert (interest.name, interest.key, interest.people_count) == (
        "Tornado chasing",
        "tornado chasing",
        1,
    )
    assert renamed == interest
    assert _audit("interest.update") == [
        (
            "maria@example.com",
            "Tornado chasing",
            {
                "name": ["Storm chasing", "Tornado chasing"],
                "key": ["storm chasing", "tornado chasing"],
            },
        )
    ]


def test_a_new_spelling_of_the_same_name_changes_only_the_display_name(maria: User) -> None:
    interest = interest_create(actor=None, name="storm chasing")

    interest_update(actor=maria, interest=interest, name="Storm Chasing")

    interest.refresh_from_db()
    assert (interest.name, interest.key) == ("Storm Chasing", "storm chasing")
    assert _audit("interest.update") == [
        ("maria@example.com", "Storm Chasing", {"name": ["storm chasing", "Storm Chasing"]})
    ]


def test_renaming_to_the_same_name_changes_nothing_and_is_not_audited(maria: User) -> None:
    interest = interest_create(actor=None, name="Tea")

    interest_update(actor=maria, interest=interest, name=" Tea ")

    assert _audit("interest.update") == []


def test_renaming_to_another_interests_name_is_a_conflict_naming_name(maria: User) -> None:
    interest = interest_create(actor=None, name="Storm chasing")
    interest_create(actor=None, name="Birding")

    with pytest.raises(Conflict) as exc:
        interest_update(actor=maria, interest=interest, name="BIRDING")

    assert exc.value.fields == {"name": ["Another interest is already called Birding."]}
    interest.refresh_from_db()
    assert (interest.name, interest.key) == ("Storm chasing", "storm chasing")
    assert _audit("interest.update") == []


def test_staff_cannot_rename_an_interest(bob: User) -> None:
    interest = interest_create(actor=None, name="Tea")

    with pytest.raises(Forbidden):
        interest_update(actor=bob, interest=interest, name="Coffee")

    interest.refresh_from_db()
    assert interest.name == "Tea"
    assert _audit("interest.update") == []


def test_renaming_to_nothing_is_invalid_naming_name(maria: User) -> None:
    interest = interest_create(actor=None, name="Tea")

    with pytest.raises(Invalid) as exc:
        interest_update(actor=maria, interest=interest, name="  ")

    assert exc.value.fields == {"name": ["Enter an interest."]}
    interest.refresh_from_db()
    assert interest.name == "Tea"


def test_a_manager_deletes_an_interest_nobody_holds(maria: User) -> None:
    interest = interest_create(actor=None, name="Quilting")

    interest_delete(actor=maria, interest=interest)

    assert Interest.objects.count() == 0
    assert _audit("interest.delete") == [
        ("maria@example.com", "Quilting", {"name": ["Quilting", None]})
    ]


def test_an_interest_still_held_cannot_be_deleted_and_says_by_how_many(maria: User) -> None:
    interest = interest_create(actor=None, name="Tea")
    give_interests(make_person(), "tea")
    give_interests(make_person(given_name="Ben"), "tea", attitude="dislikes")

    with pytest.raises(Conflict) as exc:
        interest_delete(actor=maria, interest=interest)

    assert exc.value.message == "2 people still like or dislike this interest."
    assert Interest.objects.filter(pk=interest.pk).exists()
    assert _audit("interest.delete") == []


def test_one_holder_is_counted_in_the_singular(maria: User) -> None:
    interest = interest_create(actor=None, name="Tea")
    give_interests(make_person(), "tea")

    with pytest.raises(Conflict) as exc:
        interest_delete(actor=maria, interest=interest)

    assert exc.value.message == "1 person still likes or dislikes this interest."


def test_staff_cannot_delete_an_interest(bob: User) -> None:
    interest = interest_create(actor=None, name="Quilting")

    with pytest.raises(Forbidden):
        interest_delete(actor=bob, interest=interest)

    assert Interest.objects.filter(pk=interest.pk).exists()
    assert _audit("interest.delete") == []
