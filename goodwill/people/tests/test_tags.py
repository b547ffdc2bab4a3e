"""Tags on people: one tag for every spelling, who may tag, rename and delete, the audit log, the
bulk path of imports, and the reads (a person's tags, many people's at once, the ``?tag=``
filter)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid, NotFound
from goodwill.people.models import Person, PersonTag, Tag
from goodwill.people.selectors import (
    person_list,
    person_tag_list,
    person_tag_names,
    tag_get_by_name,
    tag_list,
)
from goodwill.people.selectors import tags as tag_selectors
from goodwill.people.services import (
    person_archive,
    person_delete,
    person_tag_add,
    person_tag_bulk_add,
    person_tag_remove,
    person_tags_add,
    tag_delete,
    tag_rename,
)
from goodwill.people.services.bulk_sql import db_value, insert_rows
from goodwill.people.services.tags import LINK_FIELDS, tag_counts_refresh
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _audit(action: str) -> list[tuple[str, str, int | None, dict[str, Any]]]:
    entries = AuditEntry.objects.filter(action=action).order_by("id")
    return [(e.actor_label, e.target_label, e.person_id, e.changes) for e in entries]


def _tags() -> list[tuple[str, str, int]]:
    return list(Tag.objects.order_by("key").values_list("name", "key", "people_count"))


def _tagged(name: str) -> list[str]:
    people = Person.objects.filter(tag_links__tag__key=name).order_by("sort_key")
    return [p.full_name for p in people]


@pytest.fixture
def ann(db: None) -> Person:
    return make_person(given_name="Ann", family_name="Harris")


@pytest.fixture
def ben(db: None) -> Person:
    return make_person(given_name="Ben", family_name="Cole")


@pytest.fixture
def dee(db: None) -> Person:
    return make_person(given_name="Dee", family_name="Lee")


# Normalisation and validation


def test_vip_and_vip_with_a_space_are_one_tag(bob: User, ann: Person, ben: Person) -> None:
    person_tag_add(actor=bob, person=ann, name="VIP")
    person_tag_add(actor=bob, person=ben, name="vip ")

    assert _tags() == [("VIP", "vip", 2)]
    assert _tagged("vip") == ["Ann Harris", "Ben Cole"]


def test_case_accents_and_spacing_are_ignored_and_the_first_spelling_kept(
    bob: User, ann: Person, ben: Person
) -> None:
    person_tag_add(actor=bob, person=ann, name="  Café   regulars ")
    person_tag_add(actor=bob, person=ben, name="CAFE REGULARS")

    assert _tags() == [("Café regulars", "cafe regulars", 2)]


def test_punctuation_still_tells_tags_apart(bob: User, ann: Person) -> None:
    person_tags_add(actor=bob, person=ann, names=["met at fair 2025", "met-at-fair-2025"])

    assert _tags() == [
        ("met at fair 2025", "met at fair 2025", 1),
        ("met-at-fair-2025", "met-at-fair-2025", 1),
    ]


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_an_empty_tag_is_invalid_naming_the_field(bob: User, ann: Person, name: str) -> None:
    with pytest.raises(Invalid) as exc:
        person_tag_add(actor=bob, person=ann, name=name)

    assert (exc.value.message, exc.value.fields) == (
        "name: Enter a tag.",
        {"name": ["Enter a tag."]},
    )
    assert (Tag.objects.count(), PersonTag.objects.count(), _audit("person_tag.add")) == (0, 0, [])


def test_a_tag_of_101_characters_is_invalid_and_100_are_fine(bob: User, ann: Person) -> None:
    with pytest.raises(Invalid) as exc:
        person_tag_add(actor=bob, person=ann, name="x" * 101)
    assert exc.value.fields == {"name": ["At most 100 characters."]}
    assert Tag.objects.count() == 0

    person_tag_add(actor=bob, person=ann, name="x" * 100)
    assert Tag.objects.get().name == "x" * 100


def test_one_bad_name_among_several_tags_nothing(bob: User, ann: Person) -> None:
    with pytest.raises(Invalid):
        person_tags_add(actor=bob, person=ann, names=["VIP", " "])

    assert (Tag.objects.count(), PersonTag.objects.count()) == (0, 0)


def test_an_unknown_source_is_invalid_naming_source(bob: User, ann: Person) -> None:
    with pytest.raises(Invalid) as exc:
        person_tag_add(actor=bob, person=ann, name="VIP", source="scraped")

    assert list(exc.value.fields) == ["source"]
    assert Tag.objects.count() == 0


# Adding and removing


def test_tagging_records_who_when_and_the_source(bob: User, ann: Person) -> None:
    link = person_tag_add(actor=bob, person=ann, name="VIP")

    stored = PersonTag.objects.get()
    assert stored == link
    assert (stored.person, stored.tag.name, stored.source, stored.source_detail) == (
        ann,
        "VIP",
        "told_us",
        "",
    )
    assert stored.added_by == bob
    assert stored.added_at is not None


def test_tagging_writes_an_audit_entry_on_the_persons_history(bob: User, ann: Person) -> None:
    person_tag_add(actor=bob, person=ann, name="VIP")

    assert _audit("person_tag.add") == [
        ("bob@example.com", "Ann Harris #VIP", ann.pk, {"tag": [None, "VIP"]})
    ]


def test_tagging_again_in_another_spelling_changes_nothing(bob: User, ann: Person) -> None:
    first = person_tag_add(actor=bob, person=ann, name="VIP")

    again = person_tag_add(actor=None, person=ann, name="vip")

    assert again == first
    assert again.added_by == bob
    assert _tags() == [("VIP", "vip", 1)]
    assert len(_audit("person_tag.add")) == 1


def test_an_imported_tag_keeps_its_batch_in_the_audit_entry(maria: User, ann: Person) -> None:
    person_tag_add(
        actor=maria, person=ann, name="VIP", source="imported", source_detail="guests.csv (12)"
    )

    assert _audit("person_tag.add")[0][3] == {
        "tag": [None, "VIP"],
        "source": [None, "imported"],
        "source_detail": [None, "guests.csv (12)"],
    }


def test_staff_take_a_tag_off_and_the_count_follows(bob: User, ann: Person, ben: Person) -> None:
    person_tag_add(actor=bob, person=ann, name="VIP")
    person_tag_add(actor=bob, person=ben, name="VIP")
    vip = Tag.objects.get()

    person_tag_remove(actor=bob, person=ann, tag=vip)

    assert _tagged("vip") == ["Ben Cole"]
    assert _tags() == [("VIP", "vip", 1)]
    assert _audit("person_tag.remove") == [
        ("bob@example.com", "Ann Harris #VIP", ann.pk, {"tag": ["VIP", None]})
    ]


def test_a_count_that_fell_behind_never_goes_below_zero_and_a_recount_mends_it(
    bob: User, ann: Person, ben: Person
) -> None:
    person_tag_add(actor=bob, person=ann, name="VIP")
    person_tag_add(actor=bob, person=ben, name="VIP")
    Tag.objects.update(people_count=0)  # as if a recount ran before both links were committed

    person_tag_remove(actor=bob, person=ann, tag=Tag.objects.get())

    assert _tags() == [("VIP", "vip", 0)]
    tag_counts_refresh([Tag.objects.get().pk])
    assert _tags() == [("VIP", "vip", 1)]


def test_removing_a_tag_they_do_not_have_is_not_found_and_changes_nothing(
    bob: User, ann: Person, ben: Person
) -> None:
    person_tag_add(actor=bob, person=ben, name="VIP")

    with pytest.raises(NotFound) as exc:
        person_tag_remove(actor=bob, person=ann, tag=Tag.objects.get())

    assert exc.value.message == "Ann Harris is not tagged “VIP”."
    assert (_tags(), _tagged("vip"), _audit("person_tag.remove")) == (
        [("VIP", "vip", 1)],
        ["Ben Cole"],
        [],
    )


def test_a_deactivated_user_can_neither_tag_nor_untag(charlie: User, ann: Person) -> None:
    person_tag_add(actor=None, person=ann, name="VIP")

    with pytest.raises(Forbidden):
        person_tag_add(actor=charlie, person=ann, name="Wholesale")
    with pytest.raises(Forbidden):
        person_tag_remove(actor=charlie, person=ann, tag=Tag.objects.get())

    assert (_tags(), _tagged("vip")) == ([("VIP", "vip", 1)], ["Ann Harris"])


# Renaming and deleting for everyone (managers)


def test_staff_cannot_rename_a_tag_and_nothing_changes(bob: User, ann: Person) -> None:
    link = person_tag_add(actor=bob, person=ann, name="VIP")

    with pytest.raises(Forbidden):
        tag_rename(actor=bob, tag=link.tag, name="Gold")

    assert (_tags(), _audit("tag.rename")) == ([("VIP", "vip", 1)], [])


def test_staff_cannot_delete_a_tag_and_nothing_changes(bob: User, ann: Person) -> None:
    link = person_tag_add(actor=bob, person=ann, name="VIP")

    with pytest.raises(Forbidden):
        tag_delete(actor=bob, tag=link.tag)

    assert (_tags(), _tagged("vip"), _audit("tag.delete")) == (
        [("VIP", "vip", 1)],
        ["Ann Harris"],
        [],
    )


def test_a_manager_renames_a_tag_for_everyone(maria: User, ann: Person, ben: Person) -> None:
    person_tag_add(actor=None, person=ann, name="VIP")
    person_tag_add(actor=None, person=ben, name="VIP")
    vip = Tag.objects.get()

    renamed = tag_rename(actor=maria, tag=vip, name=" Gold  guests ")

    assert renamed == vip
    assert _tags() == [("Gold guests", "gold guests", 2)]
    assert _tagged("gold guests") == ["Ann Harris", "Ben Cole"]
    assert _audit("tag.rename") == [
        ("maria@example.com", "Gold guests", None, {"name": ["VIP", "Gold guests"]})
    ]


def test_renaming_to_another_spelling_of_its_own_name_changes_only_the_spelling(
    maria: User, ann: Person
) -> None:
    vip = person_tag_add(actor=None, person=ann, name="vip").tag

    assert tag_rename(actor=maria, tag=vip, name="VIP") == vip
    assert _tags() == [("VIP", "vip", 1)]


def test_renaming_to_another_tags_name_merges_the_two(
    maria: User, bob: User, ann: Person, ben: Person, dee: Person
) -> None:
    person_tag_add(actor=bob, person=ann, name="VIP")
    person_tag_add(actor=bob, person=ben, name="VIP")
    gold = person_tag_add(actor=None, person=ben, name="Gold").tag
    person_tag_add(actor=None, person=dee, name="Gold", source="imported", source_detail="a.csv")
    vip, gold_id = Tag.objects.get(key="vip"), gold.pk

    kept = tag_rename(actor=maria, tag=gold, name="vip")

    assert kept == vip
    assert kept.people_count == 3
    assert _tags() == [("VIP", "vip", 3)]
    links = PersonTag.objects.order_by("person__sort_key")
    assert [(link.person.given_name, link.added_by, link.source) for link in links] == [
        ("Ann", bob, "told_us"),
        ("Ben", bob, "told_us"),  # Ben had both: his VIP stays as it was
        ("Dee", None, "imported"),  # moved with its source
    ]
    assert _audit("tag.merge") == [
        (
            "maria@example.com",
            "VIP",
            None,
            {"name": ["Gold", "VIP"], "tag_id": [gold_id, vip.pk], "people_moved": [None, 1]},
        )
    ]


def test_a_manager_deletes_a_tag_and_it_leaves_everyone(
    maria: User, ann: Person, ben: Person
) -> None:
    person_tag_add(actor=None, person=ann, name="VIP")
    person_tag_add(actor=None, person=ben, name="VIP")
    person_tag_add(actor=None, person=ben, name="Wholesale")

    removed = tag_delete(actor=maria, tag=Tag.objects.get(key="vip"))

    assert removed == 2
    assert _tags() == [("Wholesale", "wholesale", 1)]
    assert list(Person.objects.order_by("pk").values_list("given_name", flat=True)) == [
        "Ann",
        "Ben",
    ]
    assert _audit("tag.delete") == [
        ("maria@example.com", "VIP", None, {"name": ["VIP", None], "people": [2, None]})
    ]


def test_deleting_a_person_recounts_their_tags(alice: User, ann: Person, ben: Person) -> None:
    person_tag_add(actor=None, person=ann, name="VIP")
    person_tag_add(actor=None, person=ben, name="VIP")

    person_delete(actor=alice, person=ann)

    assert _tags() == [("VIP", "vip", 1)]


# The bulk path (imports)


def test_bulk_adds_only_the_missing_links_and_creates_missing_tags(
    maria: User, bob: User, ann: Person, ben: Person
) -> None:
    person_tag_add(actor=bob, person=ann, name="VIP")
    pairs = [(ann.pk, ["vip", "Wholesale"]), (ben.pk, ["Wholesale", "wholesale ", "VIP"])]

    added = person_tag_bulk_add(
        actor=maria, pairs=pairs, source="imported", source_detail="guests.csv, import 12"
    )

    assert added == 3
    assert _tags() == [("VIP", "vip", 2), ("Wholesale", "wholesale", 2)]
    rows = PersonTag.objects.order_by("person__sort_key", "tag__key").values_list(
        "person__given_name", "tag__name", "source", "source_detail", "added_by"
    )
    assert list(rows) == [
        ("Ann", "VIP", "told_us", "", bob.pk),  # kept as it was
        ("Ann", "Wholesale", "imported", "guests.csv, import 12", maria.pk),
        ("Ben", "VIP", "imported", "guests.csv, import 12", maria.pk),
        ("Ben", "Wholesale", "imported", "guests.csv, import 12", maria.pk),
    ]
    assert _audit("person_tag.bulk_add") == [
        (
            "maria@example.com",
            "VIP",
            None,
            {
                "links": [None, 3],
                "people": [None, 2],
                "tags": [None, ["VIP", "Wholesale"]],
                "source": [None, "imported"],
                "source_detail": [None, "guests.csv, import 12"],
            },
        )
    ]


def test_bulk_again_adds_nothing_and_writes_no_audit_entry(maria: User, ann: Person) -> None:
    pairs = [(ann.pk, ["VIP", "Wholesale"])]
    assert person_tag_bulk_add(actor=maria, pairs=pairs, source_detail="a.csv") == 2

    assert person_tag_bulk_add(actor=maria, pairs=pairs, source_detail="a.csv") == 0

    assert _tags() == [("VIP", "vip", 1), ("Wholesale", "wholesale", 1)]
    assert PersonTag.objects.count() == 2
    assert len(_audit("person_tag.bulk_add")) == 1


def test_bulk_queries_do_not_grow_with_the_people(maria: User) -> None:
    def queries(n: int, tag: str) -> int:
        people = [make_person(given_name=f"P{i}", family_name=tag) for i in range(n)]
        pairs = [(p.pk, [tag, "Everyone"]) for p in people]
        with CaptureQueriesContext(connection) as ctx:
            assert person_tag_bulk_add(actor=maria, pairs=pairs) == 2 * n
        return len(ctx.captured_queries)

    # Existing tags, new tags, the links people have, the insert, one count per tag, the audit
    # entry, and a savepoint around the chunk.
    assert queries(3, "Small") == queries(60, "Large")
    assert queries(3, "Again") <= 12


def test_bulk_names_the_person_of_a_bad_tag_and_writes_nothing(maria: User, ann: Person) -> None:
    with pytest.raises(Invalid) as exc:
        person_tag_bulk_add(actor=maria, pairs=[(ann.pk, ["VIP"]), (ann.pk + 1, ["  "])])

    assert exc.value.message == f"person {ann.pk + 1}: tags: Enter a tag."
    assert exc.value.fields == {"tags": ["Enter a tag."]}
    assert (Tag.objects.count(), PersonTag.objects.count()) == (0, 0)


def test_bulk_is_refused_to_a_deactivated_user(charlie: User, ann: Person) -> None:
    with pytest.raises(Forbidden):
        person_tag_bulk_add(actor=charlie, pairs=[(ann.pk, ["VIP"])])

    assert (Tag.objects.count(), PersonTag.objects.count()) == (0, 0)


def test_bulk_with_nothing_to_tag_adds_nothing(maria: User, ann: Person) -> None:
    assert person_tag_bulk_add(actor=maria, pairs=[(ann.pk, [])]) == 0
    assert person_tag_bulk_add(actor=maria, pairs=[]) == 0
    assert Tag.objects.count() == 0


# Reads


def test_a_persons_tags_come_by_name_with_their_source(bob: User, ann: Person) -> None:
    person_tags_add(actor=bob, person=ann, names=["wholesale", "Christmas card list", "VIP"])

    links = person_tag_list(person_id=ann.pk)

    assert [(link.tag.name, link.added_by) for link in links] == [
        ("Christmas card list", bob),
        ("VIP", bob),
        ("wholesale", bob),
    ]


def test_tag_names_of_many_people_come_in_one_query(
    ann: Person, ben: Person, dee: Person, django_assert_num_queries: Any
) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP", "Christmas card list"])
    person_tags_add(actor=None, person=ben, names=["wholesale"])

    with django_assert_num_queries(1):
        names = person_tag_names(person_ids=[ann.pk, ben.pk, dee.pk])

    assert names == {ann.pk: ["Christmas card list", "VIP"], ben.pk: ["wholesale"]}


def test_the_tag_list_has_counts_in_name_order_and_pages(
    bob: User, ann: Person, ben: Person
) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP", "Apple pickers", "wholesale"])
    person_tags_add(actor=None, person=ben, names=["VIP"])

    first = tag_list(user=bob, limit=2)
    second = tag_list(user=bob, limit=2, cursor=first.next_cursor)

    assert [(t.name, t.people_count) for t in first.items] == [("Apple pickers", 1), ("VIP", 2)]
    assert [(t.name, t.people_count) for t in second.items] == [("wholesale", 1)]
    assert second.next_cursor is None
    assert [t.name for t in tag_list(user=bob, q="v").items] == ["VIP"]


def test_a_tag_is_found_by_any_spelling_of_its_name(bob: User, ann: Person) -> None:
    vip = person_tag_add(actor=None, person=ann, name="VIP").tag

    assert tag_get_by_name(user=bob, name=" vip") == vip
    with pytest.raises(NotFound) as exc:
        tag_get_by_name(user=bob, name="Gold")
    assert exc.value.message == "No tag is called “Gold”."


@pytest.mark.parametrize("few_people", [10_000, 0])
def test_the_tag_filter_returns_exactly_the_tagged_people(
    bob: User, ann: Person, ben: Person, dee: Person, few_people: int, monkeypatch: Any
) -> None:
    """Both ways of reading the links: through the tag (rare) and per person (common)."""
    monkeypatch.setattr(tag_selectors, "FEW_PEOPLE", few_people)
    zed = make_person(given_name="Zed", family_name="Old")
    for person in (ann, dee, zed):
        person_tag_add(actor=None, person=person, name="VIP")
    person_tag_add(actor=None, person=ben, name="VIP list")
    person_archive(actor=None, person=zed)

    def names(**kwargs: Any) -> list[str]:
        return [p.full_name for p in person_list(user=bob, **kwargs).items]

    assert names(extra={"tag": "vip "}) == ["Ann Harris", "Dee Lee"]
    assert names(extra={"tag": "VIP"}, limit=1) == ["Ann Harris"]
    assert names(extra={"tag": "Gold"}) == []
    assert names(extra={"tag": "VIP"}, role="guest") == []
    assert names(extra={"tag": ""}) == ["Ann Harris", "Ben Cole", "Dee Lee"]


def test_the_tag_filter_pages_by_name(bob: User) -> None:
    people = [make_person(given_name=f"Guest{i}", family_name="Tagged") for i in range(5)]
    make_person(given_name="Guest9", family_name="Untagged")
    person_tag_bulk_add(actor=None, pairs=[(p.pk, ["VIP"]) for p in people])

    first = person_list(user=bob, extra={"tag": "vip"}, limit=3)
    second = person_list(user=bob, extra={"tag": "vip"}, limit=3, cursor=first.next_cursor)

    assert [p.given_name for p in first.items + second.items] == [f"Guest{i}" for i in range(5)]
    assert second.next_cursor is None


def test_a_link_added_meanwhile_is_left_out_of_the_bulk_insert(maria: User, ann: Person) -> None:
    """What the bulk path does when another import tags the same person between its read of
    the existing links and its insert (PostgreSQL; SQLite writes one transaction at a time)."""
    link = person_tag_add(actor=None, person=ann, name="VIP")
    row = (
        ann.pk,
        link.tag_id,
        "imported",
        "b.csv",
        maria.pk,
        db_value(PersonTag, "added_at", now()),
    )

    insert_rows(PersonTag, LINK_FIELDS, [row], skip_conflicts=True)

    assert list(PersonTag.objects.values_list("source", "added_by")) == [("told_us", None)]
