"""``goodwill people tag|untag|tags|list --tag``: tags from the command line, with ``--as`` for
someone's role and ``--json``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import AuditEntry, User
from goodwill.people.models import Person, PersonTag, Tag
from goodwill.people.services import person_tags_add
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _people(*args: str) -> str:
    out = StringIO()
    call_command("people", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def ann(db: None) -> Person:
    return make_person(given_name="Ann", family_name="Harris")


def test_it_tags_a_person_and_prints_their_tags(ann: Person) -> None:
    person_tags_add(actor=None, person=ann, names=["Wholesale"])

    output = _people("tag", str(ann.pk), "VIP ", "Christmas card list", "vip")

    assert output == "Tagged Ann Harris; their tags: Christmas card list, VIP, Wholesale\n"
    assert list(Tag.objects.values_list("name", "people_count")) == [
        ("Christmas card list", 1),
        ("VIP", 1),
        ("Wholesale", 1),
    ]
    assert set(AuditEntry.objects.filter(action="person_tag.add").values_list("actor_label")) == {
        ("command line",)
    }


def test_it_tags_as_a_user_and_prints_json(ann: Person, bob: User) -> None:
    output = _people("tag", str(ann.pk), "VIP", "--as", "bob@example.com", "--json")

    assert json.loads(output) == {"person_id": ann.pk, "name": "Ann Harris", "tags": ["VIP"]}
    assert PersonTag.objects.get().added_by == bob


def test_it_untags_a_person(ann: Person) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP", "Wholesale"])

    output = _people("untag", str(ann.pk), "vip", "--json")

    assert json.loads(output)["tags"] == ["Wholesale"]
    assert list(Tag.objects.values_list("name", "people_count")) == [
        ("VIP", 0),
        ("Wholesale", 1),
    ]


def test_untagging_an_unknown_tag_exits_3_and_removes_nothing(ann: Person) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP"])

    with pytest.raises(CommandError) as exc:
        _people("untag", str(ann.pk), "VIP", "Gold")

    assert (str(exc.value), exc.value.returncode) == ("No tag is called “Gold”.", 3)
    assert PersonTag.objects.count() == 1


def test_an_empty_tag_exits_2_naming_the_field(ann: Person) -> None:
    with pytest.raises(CommandError) as exc:
        _people("tag", str(ann.pk), "  ")

    assert (str(exc.value), exc.value.returncode) == ("name: Enter a tag.", 2)
    assert Tag.objects.count() == 0


def test_a_deactivated_user_cannot_tag_and_nothing_changes(ann: Person, charlie: User) -> None:
    with pytest.raises(CommandError) as exc:
        _people("tag", str(ann.pk), "VIP", "--as", "charlie@example.com")

    assert exc.value.returncode == 4
    assert (Tag.objects.count(), PersonTag.objects.count()) == (0, 0)


def test_it_lists_the_tags_with_their_counts(ann: Person) -> None:
    ben = make_person(given_name="Ben", family_name="Cole")
    person_tags_add(actor=None, person=ann, names=["VIP", "Wholesale"])
    person_tags_add(actor=None, person=ben, names=["VIP"])
    vip, wholesale = Tag.objects.get(key="vip"), Tag.objects.get(key="wholesale")

    assert _people("tags") == f"{vip.pk}\tVIP\t2\n{wholesale.pk}\tWholesale\t1\n"
    assert json.loads(_people("tags", "--json")) == [
        {"id": vip.pk, "name": "VIP", "key": "vip", "people_count": 2},
        {"id": wholesale.pk, "name": "Wholesale", "key": "wholesale", "people_count": 1},
    ]


def test_it_says_when_there_are_no_tags(db: None) -> None:
    assert _people("tags") == "No tags yet.\n"


def test_it_lists_exactly_the_people_with_a_tag(ann: Person) -> None:
    ben = make_person(given_name="Ben", family_name="Cole", emails=["ben@example.com"])
    make_person(given_name="Dee", family_name="Lee")
    person_tags_add(actor=None, person=ann, names=["VIP"])
    person_tags_add(actor=None, person=ben, names=["vip", "Wholesale"])

    assert (
        _people("list", "--tag", "Vip")
        == f"{ann.pk}\tAnn Harris\n{ben.pk}\tBen Cole\tben@example.com\n"
    )
    rows = json.loads(_people("list", "--tag", "wholesale", "--json"))
    assert [(r["name"], r["tags"]) for r in rows] == [("Ben Cole", ["VIP", "Wholesale"])]
    assert _people("list", "--tag", "Gold") == "No one found.\n"


def test_a_manager_renames_a_tag_or_merges_it_into_another(ann: Person, maria: User) -> None:
    ben = make_person(given_name="Ben", family_name="Cole")
    person_tags_add(actor=None, person=ann, names=["VIP"])
    person_tags_add(actor=None, person=ben, names=["vip guest", "Gold"])

    renamed = _people("tag-rename", "vip", "V.I.P.", "--as", maria.email)
    merged = _people("tag-rename", "VIP GUEST", "v.i.p.", "--as", maria.email, "--json")

    assert renamed == "Renamed to “V.I.P.” (1 person).\n"
    assert json.loads(merged)["merged"] is True
    assert list(Tag.objects.order_by("name").values_list("name", "people_count")) == [
        ("Gold", 1),
        ("V.I.P.", 2),
    ]


def test_a_manager_deletes_a_tag_and_staff_may_not(ann: Person, maria: User, bob: User) -> None:
    person_tags_add(actor=None, person=ann, names=["VIP"])

    with pytest.raises(CommandError):
        _people("tag-delete", "vip", "--as", bob.email)
    assert Tag.objects.count() == 1

    output = _people("tag-delete", "vip", "--as", maria.email)

    assert output == "Deleted “VIP”; 1 person had it.\n"
    assert not Tag.objects.exists()
    assert not PersonTag.objects.exists()
