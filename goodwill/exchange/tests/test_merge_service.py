"""person_merge: everything about the other person moves to the survivor, once, audited."""

from __future__ import annotations

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.commerce.models import Purchase
from goodwill.core.errors import Forbidden, Invalid
from goodwill.core.tests.matrix import db_state
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.merge import person_merge
from goodwill.exchange.tests.merge_world import (
    birthday_of,
    login_for,
    make_beas,
    make_merge_world,
)
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_campaigns import CampaignRecipient
from goodwill.people.models import Interest, Person, Relationship
from goodwill.people.services import person_archive, relationship_create
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


def ties(person: Person) -> set[tuple[str, str, str]]:
    rows = Relationship.objects.filter(from_person=person) | Relationship.objects.filter(
        to_person=person
    )
    return {(r.from_person.given_name, r.kind, r.to_person.given_name) for r in rows}


def test_it_moves_contacts_roles_memberships_and_keeps_the_survivors_primary(maria: User) -> None:
    w = make_merge_world()
    ann = person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert list(ann.emails.values_list("email", "is_primary")) == [
        ("ann@example.com", True),
        ("shared@example.com", False),
        ("annie@work.example", False),
    ]
    assert list(ann.phones.values_list("e164", flat=True)) == ["+19025550101", "+19025550199"]
    assert sorted(ann.roles.values_list("role", flat=True)) == ["guest", "partner"]
    assert sorted(ann.memberships.values_list("organisation__name", "job_title")) == [
        ("Acme", "Buyer"),
        ("Corner Shop", "Owner"),
    ]
    ann.refresh_from_db()
    assert ann.primary_email == "ann@example.com"
    assert ann.household is not None
    assert ann.household.name == "The Lees"
    assert "annie@work.example" in ann.search_doc
    assert "corner shop" in ann.search_doc.lower()
    assert not Person.objects.filter(pk=w.annie.pk).exists()


def test_it_keeps_one_interest_each_with_the_others_note(maria: User) -> None:
    w = make_merge_world()
    ann = person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert sorted(ann.interests.values_list("interest__name", "source", "note")) == [
        ("Jazz", "told_us", ""),
        ("Sailing", "told_us", "Dinghies"),
    ]
    assert Interest.objects.get(name="Sailing").people_count == 1
    assert Interest.objects.get(name="Jazz").people_count == 1


def test_it_repoints_relationships_both_ways_and_drops_self_and_duplicates(maria: User) -> None:
    w = make_merge_world()
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert ties(w.ann) == {
        ("Ann", "spouse", "Ben"),
        ("Ann", "parent", "Cleo"),
        ("Ann", "referred_by", "Dan"),
        ("Ann", "friend", "Dan"),
    }
    assert Relationship.objects.count() == 4


def test_a_duplicate_tie_hands_its_wedding_anniversary_to_the_one_kept(maria: User) -> None:
    w = make_merge_world()
    spouses = relationship_create(actor=None, person=w.ann, other=w.ben, kind="spouse")
    theirs = Relationship.objects.get(from_person=w.annie, to_person=w.ben)
    occasion_create(actor=None, kind="wedding_anniversary", month=9, day=3, relationship=theirs)
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert list(Relationship.objects.filter(to_person=w.ben).values_list("pk", flat=True)) == [
        spouses.pk
    ]
    wedding = Occasion.objects.get(kind="wedding_anniversary")
    assert (wedding.relationship_id, wedding.month, wedding.day) == (spouses.pk, 9, 3)


def test_two_birthdays_become_one_with_both_years_memory(maria: User) -> None:
    w = make_merge_world()
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    birthday = birthday_of(w.ann)
    assert (birthday.month, birthday.day, birthday.year) == (4, 12, 1980)
    assert Occasion.objects.filter(kind="birthday").count() == 1
    years = {y.year: y for y in birthday.years.all()}
    assert sorted(years) == [2024, 2025]
    assert years[2024].done_at is not None
    touches = OccasionTouch.objects.filter(record__occasion=birthday).order_by("summary")
    assert [(t.record.year, t.summary) for t in touches] == [(2025, "Called"), (2024, "Flowers")]
    assert list(w.ann.occasions.values_list("kind", flat=True).order_by("kind")) == [
        "anniversary",
        "birthday",
    ]


def test_interactions_messages_and_history_follow_the_survivor(maria: User) -> None:
    w = make_merge_world()
    annie_id = w.annie.pk
    history = AuditEntry.objects.filter(person_id=annie_id).count()
    assert history > 0
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert Interaction.objects.filter(person=w.ann).count() == 3
    assert OutboxMessage.objects.get().person_id == w.ann.pk
    assert AuditEntry.objects.filter(person_id=annie_id).count() == 0
    creation = AuditEntry.objects.get(action="person.create", target_id=annie_id)
    assert creation.person_id == w.ann.pk


def test_it_writes_one_audit_entry_with_what_moved(maria: User) -> None:
    w = make_merge_world()
    annie_id = w.annie.pk
    person_merge(actor=maria, survivor=w.ann, other=w.annie, fields={"given_name": "other"})
    entry = AuditEntry.objects.get(action="person.merge")
    assert (entry.actor, entry.person_id, entry.target_id) == (maria, w.ann.pk, w.ann.pk)
    assert entry.changes["merged_id"] == [annie_id, None]
    assert entry.changes["merged_name"] == ["Annie Harris-Lee", None]
    assert entry.changes["given_name"] == ["Ann", "Annie"]
    moved = entry.changes["moved"][1]
    assert entry.changes["moved"][0] is None
    assert moved == {
        "emails": 1,
        "phones": 1,
        "roles": 1,
        "memberships": 1,
        "interests": 1,
        "tags": 0,
        "relationships": 3,
        "occasions": 1,
        "interactions": 3,
        "messages": 1,
        "audit_entries": moved["audit_entries"],
        "login": 0,
        "household": 1,
    }
    assert moved["audit_entries"] > 0


def test_fields_come_from_the_chosen_side_and_empty_ones_are_filled(maria: User) -> None:
    w = make_merge_world()
    fields = {"family_name": "other", "locality": "other", "notes": "both"}
    ann = person_merge(actor=maria, survivor=w.ann, other=w.annie, fields=fields)
    ann.refresh_from_db()
    assert (ann.given_name, ann.family_name, ann.preferred_name) == ("Ann", "Harris-Lee", "Nan")
    assert (ann.locality, ann.region, ann.language) == ("Dartmouth", "NS", "fr")
    assert ann.notes == "Likes the sea view.\n\nAllergic to nuts."
    assert (ann.sort_key, ann.family_key) == ("ann harris-lee", "harris-lee")


def test_the_others_login_moves_when_the_survivor_has_none(alice: User, bob: User) -> None:
    w = make_merge_world()
    login_for(bob, w.annie)
    # Moving a login links it to another person: an owner's to do (a manager is refused).
    ann = person_merge(actor=alice, survivor=w.ann, other=w.annie)
    ann.refresh_from_db()
    assert ann.user == bob


def test_staff_may_not_merge_and_nothing_changes(bob: User) -> None:
    w = make_merge_world()
    before = db_state()
    with pytest.raises(Forbidden):
        person_merge(actor=bob, survivor=w.ann, other=w.annie)
    assert db_state() == before


def test_a_person_cannot_be_merged_with_themself(maria: User) -> None:
    w = make_merge_world()
    before = db_state()
    with pytest.raises(Invalid) as exc:
        person_merge(actor=maria, survivor=w.ann, other=w.ann)
    assert list(exc.value.fields) == ["other_id"]
    assert db_state() == before


def test_an_archived_survivor_is_refused(maria: User) -> None:
    w = make_merge_world()
    person_archive(actor=maria, person=w.ann)
    before = db_state()
    with pytest.raises(Invalid) as exc:
        person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert list(exc.value.fields) == ["survivor_id"]
    assert db_state() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "other"}, "fields"),
        ({"given_name": "both"}, "fields"),
        ({"birthday": "both"}, "fields"),
    ],
)
def test_it_rejects_unknown_fields_and_sides(
    maria: User, fields: dict[str, str], field: str
) -> None:
    w = make_merge_world()
    before = db_state()
    with pytest.raises(Invalid) as exc:
        person_merge(actor=maria, survivor=w.ann, other=w.annie, fields=fields)
    assert list(exc.value.fields) == [field]
    assert db_state() == before


def test_the_preview_shows_conflicts_and_counts(maria: User) -> None:
    w = make_merge_world()
    preview = merge_preview(user=maria, survivor=w.ann, other=w.annie)
    assert [f.name for f in preview.conflicts] == ["given_name", "family_name", "locality", "notes"]
    # Annie's ties with Ben, Cleo and Dan (referred) move; Ann has the friendship with Dan too
    # (kept once) and the sibling tie is between the two: the merge moves 3, as it says.
    assert preview.moves["relationships"] == 3
    assert preview.moves["emails"] == 2
    # Ann's year-less birthday and Annie's 1980 one are the same day: one birthday, no choice.
    birthday = next(f for f in preview.fields if f.name == "birthday")
    assert (birthday.survivor, birthday.other, birthday.completes) == (
        "--04-12",
        "1980-04-12",
        True,
    )
    assert preview.moves["occasions"] == 1  # the anniversary; the birthday is kept once
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    moved = AuditEntry.objects.get(action="person.merge").changes["moved"][1]
    assert moved["occasions"] == preview.moves["occasions"]


def beas_birthday(person: Person) -> tuple[str, str, int | None]:
    birthday = birthday_of(person)
    return birthday.date_label, birthday.note, birthday.lead_days


def beas_history(person: Person) -> tuple[list[tuple[int, str]], list[str], list[str]]:
    """What was done for the person's birthday: touches by year, purchases and offers for it."""
    birthday = birthday_of(person)
    touches = OccasionTouch.objects.filter(record__occasion=birthday)
    return (
        sorted(touches.values_list("record__year", "summary")),
        list(Purchase.objects.filter(occasion=birthday).values_list("description", flat=True)),
        list(CampaignRecipient.objects.filter(occasion=birthday).values_list("code", flat=True)),
    )


HISTORY = ([(2024, "10% off"), (2025, "Roses"), (2025, "Sang")], ["Birthday cake"], ["BDAY-B"])


def test_differing_birthdays_are_a_choice_and_the_survivors_is_kept_by_default(
    maria: User,
) -> None:
    b = make_beas()
    preview = merge_preview(user=maria, survivor=b.one, other=b.two)
    birthday = next(f for f in preview.conflicts if f.name == "birthday")
    assert (birthday.label, birthday.survivor, birthday.other) == (
        "birthday",
        "1980-05-05",
        "1981-06-06",
    )
    assert preview.moves["occasions"] == 0
    person_merge(actor=maria, survivor=b.one, other=b.two)
    assert beas_birthday(b.one) == ("1980-05-05", "Chocolate cake", 3)
    assert Occasion.objects.filter(kind="birthday").count() == 1
    assert beas_history(b.one) == HISTORY
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["moved"][1]["occasions"] == 0
    assert entry.changes["birthday"] == ["1980-05-05", "1980-05-05"]
    assert entry.changes["merged_birthday"] == ["1981-06-06", None]
    assert entry.changes["merged_birthday_note"] == ["Prefers a call", None]


def test_taking_the_others_birthday_keeps_its_date_note_lead_time_and_both_histories(
    maria: User,
) -> None:
    b = make_beas()
    person_merge(actor=maria, survivor=b.one, other=b.two, fields={"birthday": "other"})
    assert beas_birthday(b.one) == ("1981-06-06", "Prefers a call", 10)
    assert Occasion.objects.filter(kind="birthday").count() == 1
    assert beas_history(b.one) == HISTORY
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["moved"][1]["occasions"] == 0
    assert entry.changes["birthday"] == ["1980-05-05", "1981-06-06"]
    assert entry.changes["merged_birthday_note"] == ["Chocolate cake", None]


def test_the_same_day_keeps_the_year_whichever_side_is_taken(maria: User) -> None:
    w = make_merge_world()
    person_merge(actor=maria, survivor=w.annie, other=w.ann, fields={"birthday": "other"})
    assert birthday_of(w.annie).date_label == "1980-04-12"
    years = sorted(birthday_of(w.annie).years.values_list("year", flat=True))
    assert years == [2024, 2025]


def test_the_others_only_birthday_moves_and_is_counted(maria: User) -> None:
    b = make_beas()
    birthday_of(b.one).delete()
    preview = merge_preview(user=maria, survivor=b.one, other=b.two)
    assert preview.moves["occasions"] == 1
    assert [f.name for f in preview.conflicts] == ["family_name"]
    person_merge(actor=maria, survivor=b.one, other=b.two)
    assert beas_birthday(b.one) == ("1981-06-06", "Prefers a call", 10)
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["moved"][1]["occasions"] == 1
    assert entry.changes["birthday"] == [None, "1981-06-06"]


def test_staff_may_not_take_the_others_birthday_and_nothing_changes(bob: User) -> None:
    b = make_beas()
    before = db_state()
    with pytest.raises(Forbidden):
        person_merge(actor=bob, survivor=b.one, other=b.two, fields={"birthday": "other"})
    assert db_state() == before


def test_a_duplicate_ties_wedding_history_moves_to_the_one_kept(maria: User) -> None:
    w = make_merge_world()
    spouses = relationship_create(actor=None, person=w.ann, other=w.ben, kind="spouse")
    theirs = Relationship.objects.get(from_person=w.annie, to_person=w.ben)
    kept = occasion_create(
        actor=None, kind="wedding_anniversary", month=9, day=3, relationship=spouses
    )
    dropped = occasion_create(
        actor=None, kind="wedding_anniversary", month=9, day=3, year=2001, relationship=theirs
    )
    occasion_touch_log(actor=None, occasion=dropped, year=2025, kind="gift", summary="Wine")
    person_merge(actor=maria, survivor=w.ann, other=w.annie)
    wedding = Occasion.objects.get(kind="wedding_anniversary")
    assert (wedding.pk, wedding.date_label) == (kept.pk, "2001-09-03")
    touches = OccasionTouch.objects.filter(record__occasion=wedding)
    assert list(touches.values_list("summary", flat=True)) == ["Wine"]
