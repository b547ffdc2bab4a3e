from __future__ import annotations

import datetime as dt

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_update
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.people.models import Interest, Person, PersonInterest, Relationship
from goodwill.people.services import (
    household_add_member,
    household_create,
    membership_set,
    organisation_create,
    organisation_update,
    person_archive,
    person_create,
    person_delete,
    person_interest_add,
    person_interest_remove,
    person_restore,
    person_update,
    relationship_create,
)
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Person.objects.count(), AuditEntry.objects.count(), Interest.objects.count()


def test_it_normalises_emails_and_stores_phones_in_e164(alice: User) -> None:
    business_update(actor=alice, phone_region="CA")
    person = make_person(
        alice, emails=[" Ann.Harris@Example.COM "], phones=["(902) 555-0101", "+44 20 7946 0958"]
    )
    assert list(person.emails.values_list("email", "is_primary")) == [
        ("ann.harris@example.com", True)
    ]
    assert list(person.phones.values_list("e164", "is_primary")) == [
        ("+19025550101", True),
        ("+442079460958", False),
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"emails": ["ann@"]}, "emails"),
        ({"phones": ["call me maybe"]}, "phones"),
        ({"roles": ["overlord"]}, "roles"),
        ({"given_name": " ", "family_name": ""}, "given_name"),
        ({"country": "Canada"}, "country"),
        ({"time_zone": "Atlantis/Deep"}, "time_zone"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    bob: User, fields: dict[str, object], field: str
) -> None:
    before = _counts()
    with pytest.raises(Invalid) as exc:
        person_create(actor=bob, **{"given_name": "Ann", **fields})
    assert list(exc.value.fields) == [field]
    assert _counts() == before


def test_possible_duplicates_are_flagged_not_blocked(bob: User) -> None:
    ann = make_person(bob, emails=["ann@example.com"], phones=["+19025550101"])
    by_email = person_create(actor=bob, given_name="Annie", emails=["ANN@example.com"])
    by_phone = person_create(
        actor=bob, given_name="A.", family_name="H", phones=["+1 902 555 0101"]
    )
    by_name = person_create(actor=bob, given_name="ann", family_name="HARRIS")
    other = person_create(actor=bob, given_name="Ben", family_name="Harris")
    assert by_email.duplicates == [ann]
    assert by_phone.duplicates == [ann]
    assert by_name.duplicates == [ann]
    assert other.duplicates == []
    assert Person.objects.count() == 5


def test_update_replaces_emails_and_keeps_the_first_primary(bob: User) -> None:
    person = make_person(bob, emails=["a@example.com", "b@example.com"])
    person_update(
        actor=bob, person=person, emails=["b@example.com", "c@example.com"], preferred_name="Annie"
    )
    person.refresh_from_db()
    assert list(person.emails.values_list("email", "is_primary")) == [
        ("b@example.com", True),
        ("c@example.com", False),
    ]
    assert person.primary_email == "b@example.com"
    assert person.call_name == "Annie"
    entry = AuditEntry.objects.filter(action="person.update").get()
    assert entry.changes["preferred_name"] == ["", "Annie"]
    assert entry.changes["emails"] == [
        ["a@example.com", "b@example.com"],
        ["b@example.com", "c@example.com"],
    ]


def test_staff_cannot_archive_and_managers_can_restore(bob: User, maria: User) -> None:
    person = make_person(bob)
    with pytest.raises(Forbidden):
        person_archive(actor=bob, person=person)
    assert Person.objects.get(pk=person.pk).archived_at is None
    person_archive(actor=maria, person=person)
    assert Person.objects.get(pk=person.pk).archived_at is not None
    person_restore(actor=maria, person=person)
    assert Person.objects.get(pk=person.pk).archived_at is None


def test_only_owners_hard_delete(maria: User, alice: User) -> None:
    person = make_person(maria)
    give_interests(person, "birding")
    with pytest.raises(Forbidden):
        person_delete(actor=maria, person=person)
    assert Person.objects.filter(pk=person.pk).exists()
    person_delete(actor=alice, person=person)
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Interest.objects.get(key="birding").people_count == 0


def test_deactivated_users_can_change_nothing(charlie: User) -> None:
    with pytest.raises(Forbidden):
        person_create(actor=charlie, given_name="Ann")
    assert Person.objects.count() == 0


def test_a_person_cannot_relate_to_themselves(bob: User) -> None:
    ann = make_person(bob)
    with pytest.raises(Invalid) as exc:
        relationship_create(actor=bob, person=ann, other=ann, kind="friend")
    assert list(exc.value.fields) == ["other_id"]
    assert Relationship.objects.count() == 0


def test_relationships_read_from_both_sides(bob: User) -> None:
    ann = make_person(bob, given_name="Ann")
    jack = make_person(bob, given_name="Jack")
    ben = make_person(bob, given_name="Ben")
    spouse = relationship_create(
        actor=bob, person=jack, other=ann, kind="spouse", since=dt.date(2012, 6, 30)
    )
    child = relationship_create(actor=bob, person=ben, other=ann, kind="child")
    assert spouse.label_for(ann.pk) == "spouse / partner"
    assert spouse.label_for(jack.pk) == "spouse / partner"
    assert (child.from_person, child.to_person, child.kind) == (ann, ben, Relationship.Kind.PARENT)
    assert child.label_for(ann.pk) == "child"  # Ben is Ann's child
    assert child.label_for(ben.pk) == "parent"  # Ann is Ben's parent
    with pytest.raises(Conflict):
        relationship_create(actor=bob, person=jack, other=ann, kind="spouse")


def test_interest_spellings_are_one_interest(bob: User) -> None:
    ann, jack = make_person(bob, given_name="Ann"), make_person(bob, given_name="Jack")
    person_interest_add(
        actor=bob,
        person=ann,
        name="Storm Chasing",
        source="told_us",
        note="chases storms in Kansas every May",
    )
    person_interest_add(actor=bob, person=jack, name="storm-chasing ", source="staff_observed")
    interest = Interest.objects.get()
    assert (interest.key, interest.name, interest.people_count) == (
        "storm chasing",
        "Storm Chasing",
        2,
    )
    pi = PersonInterest.objects.get(person=ann)
    assert (pi.source, pi.noted_by, pi.note) == (
        "told_us",
        bob,
        "chases storms in Kansas every May",
    )


def test_dislikes_do_not_count_towards_popularity(bob: User, maria: User) -> None:
    ann = make_person(bob)
    pi = person_interest_add(
        actor=bob, person=ann, name="Cilantro", attitude="dislikes", source="told_us"
    )
    assert Interest.objects.get().people_count == 0
    person_interest_remove(actor=maria, person_interest=pi)
    assert PersonInterest.objects.count() == 0


def test_interest_source_must_be_known(bob: User) -> None:
    ann = make_person(bob)
    with pytest.raises(Invalid) as exc:
        person_interest_add(actor=bob, person=ann, name="birding", source="facebook")
    assert list(exc.value.fields) == ["source"]
    assert PersonInterest.objects.count() == 0


def test_memberships_and_org_renames_reach_search(bob: User) -> None:
    ann = make_person(bob)
    org = organisation_create(actor=bob, name="Annapolis Valley Farms")
    membership_set(actor=bob, person=ann, organisation=org, job_title="Buyer")
    assert "annapolis valley farms" in Person.objects.get(pk=ann.pk).search_doc
    organisation_update(actor=bob, organisation=org, name="Valley Greens Co-op")
    doc = Person.objects.get(pk=ann.pk).search_doc
    assert "valley greens co-op" in doc
    assert "annapolis" not in doc


def test_households_share_an_address(bob: User) -> None:
    ann, jack = make_person(bob, given_name="Ann"), make_person(bob, given_name="Jack")
    home = household_create(
        actor=bob, name="The Harrises", street="1 Ferry Rd", country="ca", member_ids=[ann.pk]
    )
    household_add_member(actor=bob, household=home, person=jack)
    assert home.country == "CA"
    assert sorted(home.members.values_list("given_name", flat=True)) == ["Ann", "Jack"]


def test_a_symmetric_tie_is_stored_once_whichever_way_it_is_said(bob: User) -> None:
    ann = make_person(bob, given_name="Ann")
    jack = make_person(bob, given_name="Jack")
    relationship_create(actor=bob, person=jack, other=ann, kind="spouse")
    with pytest.raises(Conflict):
        relationship_create(actor=bob, person=ann, other=jack, kind="spouse")
    assert Relationship.objects.count() == 1


def test_a_household_refuses_unknown_or_archived_members(bob: User, maria: User) -> None:
    ann = make_person(bob, given_name="Ann")
    gone = make_person(bob, given_name="Gone")
    person_archive(actor=maria, person=gone)
    from goodwill.people.models import Household

    with pytest.raises(Invalid) as exc:
        household_create(actor=bob, name="Harrises", member_ids=[ann.pk, gone.pk, 999999])
    assert list(exc.value.fields) == ["member_ids"]
    assert Household.objects.count() == 0
    assert Person.objects.get(pk=ann.pk).household_id is None


def test_staff_cannot_remove_what_others_recorded(bob: User, maria: User) -> None:
    ann = make_person(bob)
    pi = person_interest_add(actor=bob, person=ann, name="birding", source="told_us")
    with pytest.raises(Forbidden):
        person_interest_remove(actor=bob, person_interest=pi)
    assert PersonInterest.objects.count() == 1
    person_interest_remove(actor=maria, person_interest=pi)
    assert PersonInterest.objects.count() == 0


def test_archiving_an_archived_organisation_changes_nothing(maria: User) -> None:
    from goodwill.people.services import organisation_archive

    org = organisation_create(actor=maria, name="Valley Greens")
    organisation_archive(actor=maria, organisation=org)
    entries = AuditEntry.objects.count()
    organisation_archive(actor=maria, organisation=org)
    assert AuditEntry.objects.count() == entries


def test_staff_move_people_into_households_but_only_managers_take_them_out(
    bob: User, maria: User
) -> None:
    ann = make_person(bob)
    home = household_create(actor=bob, name="The Harrises")
    person_update(actor=bob, person=ann, household_id=home.pk)
    assert Person.objects.get(pk=ann.pk).household_id == home.pk
    with pytest.raises(Forbidden):
        person_update(actor=bob, person=ann, household_id=None, notes="moved out")
    assert Person.objects.get(pk=ann.pk).household_id == home.pk
    assert ann.notes == ""
    person_update(actor=maria, person=ann, household_id=None)
    assert Person.objects.get(pk=ann.pk).household_id is None


# How we know a person


def test_a_new_person_is_told_us_by_default_and_remembers_who_added_them(bob: User) -> None:
    person = person_create(actor=bob, given_name="Ann").person
    person.refresh_from_db()
    assert (person.source, person.created_by) == ("told_us", bob)
    entry = AuditEntry.objects.get(action="person.create")
    assert entry.changes == {"given_name": [None, "Ann"], "source": [None, "told_us"]}


def test_a_new_person_keeps_the_source_given(bob: User) -> None:
    person = person_create(actor=bob, given_name="Ann", source="form").person
    person.refresh_from_db()
    assert (person.source, person.created_by) == ("form", bob)


def test_a_person_added_at_the_command_line_has_no_creator(alice: User) -> None:
    person = person_create(actor=None, given_name="Ann", source="imported").person
    person.refresh_from_db()
    assert (person.source, person.created_by) == ("imported", None)


def test_an_unknown_source_names_source_and_writes_nothing(bob: User) -> None:
    before = _counts()
    with pytest.raises(Invalid) as exc:
        person_create(actor=bob, given_name="Ann", source="rumour")
    assert exc.value.fields == {"source": ["Unknown source rumour."]}
    assert _counts() == before


def test_changing_the_source_is_audited(bob: User) -> None:
    person = make_person(bob)
    person_update(actor=bob, person=person, source="staff_observed")
    person.refresh_from_db()
    assert (person.source, person.created_by) == ("staff_observed", bob)
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.changes == {"source": ["told_us", "staff_observed"]}


def test_an_unknown_source_on_update_changes_nothing(bob: User) -> None:
    person = make_person(bob)
    before = _counts()
    with pytest.raises(Invalid) as exc:
        person_update(actor=bob, person=person, source="rumour", given_name="Annie")
    assert list(exc.value.fields) == ["source"]
    assert _counts() == before
    person.refresh_from_db()
    assert (person.source, person.given_name) == ("told_us", "Ann")


def test_updating_a_relationship_keeps_what_was_not_given(bob: User) -> None:
    from goodwill.people.services import relationship_update

    ann, jack = make_person(bob, given_name="Ann"), make_person(bob, given_name="Jack")
    rel = relationship_create(
        actor=bob, person=ann, other=jack, kind="spouse", since=dt.date(2012, 6, 30)
    )
    relationship_update(actor=bob, relationship=rel, notes="Married at the Hall")
    rel.refresh_from_db()
    assert (rel.since, rel.notes) == (dt.date(2012, 6, 30), "Married at the Hall")
    relationship_update(actor=bob, relationship=rel, since=None)
    rel.refresh_from_db()
    assert rel.since is None
