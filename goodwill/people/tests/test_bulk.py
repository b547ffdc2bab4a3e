"""The bulk path keeps the invariants of the one-by-one services."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.people.models import (
    Interest,
    Membership,
    Organisation,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
)
from goodwill.people.selectors import person_search
from goodwill.people.services import (
    membership_set,
    organisation_create,
    person_create,
    person_delete,
    person_interest_add,
)
from goodwill.people.services.bulk import PersonRow, person_bulk_create

DERIVED = ["sort_key", "family_key", "search_doc", "primary_email", "primary_phone"]


def _row(**overrides: Any) -> PersonRow:
    fields: dict[str, Any] = {
        "given_name": "Zoë",
        "family_name": "Whitman-Leblanc",
        "preferred_name": "Zo",
        "emails": [" Zoe.W@Example.COM ", "zoe@work.example.org"],
        "phones": ["(902) 555-0142", "+44 20 7946 0958"],
        "roles": ["guest", "supplier"],
        "organisations": ["Fundy Shore Seafood"],
        "job_title": "Buyer",
        "interests": ["Storm-Chasing", "weather"],
    }
    fields.update(overrides)
    return PersonRow(**fields)


def _derived(person: Person) -> dict[str, str]:
    person.refresh_from_db()
    return {name: getattr(person, name) for name in DERIVED}


def test_a_bulk_created_person_is_found_by_search(alice: User) -> None:
    assert person_bulk_create(actor=None, rows=[_row()]) == 1

    for q in ("zoe", "whitman", "leblanc", "zoe.w@example.com", "9025550142", "fundy"):
        found = person_search(user=alice, q=q).items
        assert [p.full_name for p in found] == ["Zoë Whitman-Leblanc"], q


def test_a_bulk_created_person_equals_a_service_created_one_in_derived_keys(alice: User) -> None:
    row = _row()
    person_bulk_create(actor=alice, rows=[row])
    bulk = Person.objects.get()
    made = person_create(
        actor=alice,
        given_name=row.given_name,
        family_name=row.family_name,
        preferred_name=row.preferred_name,
        emails=row.emails,
        phones=row.phones,
        roles=row.roles,
    ).person
    membership_set(
        actor=alice, person=made, organisation=Organisation.objects.get(), job_title="Buyer"
    )
    for name in row.interests:
        person_interest_add(actor=alice, person=made, name=name, source="imported")

    assert _derived(bulk) == _derived(made)
    assert _derived(bulk) == {
        "sort_key": "zoe whitman-leblanc",
        "family_key": "whitman-leblanc",
        "search_doc": "zoe whitman-leblanc | zo | zoe.w@example.com | zoe@work.example.org"
        " | 19025550142 | 442079460958 | fundy shore seafood",
        "primary_email": "zoe.w@example.com",
        "primary_phone": "+19025550142",
    }
    for model, fields in [
        (PersonEmail, ["email", "is_primary"]),
        (PersonPhone, ["e164", "is_primary"]),
        (PersonRole, ["role"]),
        (Membership, ["organisation_id", "job_title"]),
        (PersonInterest, ["interest_id", "attitude", "source", "noted_by_id"]),
    ]:
        rows = {
            pid: list(model.objects.filter(person_id=pid).order_by("id").values_list(*fields))
            for pid in (bulk.pk, made.pk)
        }
        assert rows[bulk.pk] == rows[made.pk], model


def test_it_counts_interest_holders_and_reuses_organisations_by_name(alice: User) -> None:
    org = organisation_create(actor=alice, name="Fundy Shore Seafood")
    rows = [
        _row(emails=[f"p{i}@example.com"], phones=[], organisations=["fundy  shore SEAFOOD"])
        for i in range(5)
    ]

    assert person_bulk_create(actor=None, rows=rows, batch_size=2) == 5

    assert dict(Interest.objects.values_list("key", "people_count")) == {
        "storm chasing": 5,
        "weather": 5,
    }
    assert list(Organisation.objects.values_list("pk", flat=True)) == [org.pk]
    assert Membership.objects.filter(organisation=org).count() == 5


def test_it_records_one_audit_entry_per_batch(alice: User) -> None:
    rows = [_row(emails=[f"p{i}@example.com"], phones=[]) for i in range(5)]

    person_bulk_create(actor=alice, rows=rows, batch_size=2)

    entries = AuditEntry.objects.filter(action="person.bulk_create").order_by("id")
    assert [e.changes["people"] for e in entries] == [[None, 2], [None, 2], [None, 1]]
    assert {e.actor_label for e in entries} == {"alice@example.com"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"emails": ["not-an-email"]}, "emails"),
        ({"phones": ["12"]}, "phones"),
        ({"roles": ["pirate"]}, "roles"),
        ({"given_name": " ", "family_name": ""}, "given_name"),
        ({"country": "Canada"}, "country"),
        ({"interests": ["--"]}, "interests"),
        ({"source": "rumour"}, "source"),
    ],
)
def test_an_invalid_row_names_the_row_and_field_and_writes_nothing(
    alice: User, overrides: dict[str, Any], field: str
) -> None:
    rows = [_row(), _row(**overrides)]

    with pytest.raises(Invalid) as exc:
        person_bulk_create(actor=alice, rows=rows)

    assert list(exc.value.fields) == [field]
    assert exc.value.message.startswith(f"row 1: {field}: ")
    assert Person.objects.count() == 0
    assert Interest.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_staff_cannot_bulk_create(bob: User) -> None:
    with pytest.raises(Forbidden):
        person_bulk_create(actor=bob, rows=[_row()])

    assert Person.objects.count() == 0
    assert AuditEntry.objects.filter(action="person.bulk_create").count() == 0


def test_bulk_created_people_are_imported_by_the_actor_unless_told_otherwise(
    alice: User,
) -> None:
    person_bulk_create(actor=alice, rows=[_row(), _row(given_name="Ann", source="form")])

    rows = Person.objects.order_by("id").values_list("given_name", "source", "created_by")
    assert list(rows) == [("Zoë", "imported", alice.pk), ("Ann", "form", alice.pk)]


def test_it_stores_the_labels_given_for_normalised_emails_and_phones(alice: User) -> None:
    row = _row(
        email_labels={"zoe.w@example.com": "Work", "nobody@example.com": "Home"},
        phone_labels={"+442079460958": "Mobile"},
    )

    person_bulk_create(actor=alice, rows=[row])

    emails = PersonEmail.objects.order_by("id").values_list("email", "label", "is_primary")
    phones = PersonPhone.objects.order_by("id").values_list("e164", "label", "is_primary")
    assert list(emails) == [
        ("zoe.w@example.com", "Work", True),
        ("zoe@work.example.org", "", False),
    ]
    assert list(phones) == [("+19025550142", "", True), ("+442079460958", "Mobile", False)]


def test_bulk_created_people_get_fresh_ids_after_deletions(alice: User) -> None:
    person_bulk_create(actor=alice, rows=[_row(), _row(given_name="Ann")])
    last = Person.objects.order_by("-id").first()
    assert last is not None
    last_id = last.pk
    person_delete(actor=alice, person=last)

    ids: list[int] = []
    person_bulk_create(actor=alice, rows=[_row(given_name="Bo")], created_ids=ids)

    assert ids == [last_id + 1]
    assert Person.objects.get(pk=ids[0]).given_name == "Bo"


def test_an_interest_spelt_several_ways_in_a_batch_keeps_the_first_spelling(alice: User) -> None:
    rows = [
        _row(emails=[f"p{i}@example.com"], phones=[], interests=[name])
        for i, name in enumerate(["Sea kayaking", "SEA KAYAKING", "sea kayaking"])
    ]
    person_bulk_create(actor=None, rows=rows, batch_size=3)
    assert list(Interest.objects.values_list("name", "people_count")) == [("Sea kayaking", 3)]
