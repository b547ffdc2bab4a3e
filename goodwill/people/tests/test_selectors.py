from __future__ import annotations

import pytest

from goodwill.accounts.models import User
from goodwill.core.errors import Forbidden, Invalid, NotFound
from goodwill.people.selectors import (
    person_connections,
    person_get_for_user,
    person_list,
    person_search,
    person_search_archived,
)
from goodwill.people.services import membership_set, organisation_create, person_archive
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


def _names(people: list) -> list[str]:
    return [p.full_name for p in people]


def test_exact_then_prefix_then_substring(bob: User) -> None:
    make_person(bob, given_name="Marianne", family_name="Lee")  # substring "ann" in a name
    make_person(bob, given_name="Ann", family_name="Zed")  # exact given name
    make_person(bob, given_name="Annabel", family_name="Young")  # prefix of the name
    make_person(bob, given_name="Zoe", family_name="Annand")  # prefix of the family name
    result = person_search(user=bob, q="Ann")
    assert _names(result.items) == ["Ann Zed", "Annabel Young", "Zoe Annand", "Marianne Lee"]
    assert result.next_cursor is None


def test_it_finds_people_by_email_phone_digits_and_organisation(bob: User) -> None:
    ann = make_person(bob, emails=["ann@harrishall.ca"], phones=["+1 902 555 0101"])
    org = organisation_create(actor=bob, name="Valley Greens")
    membership_set(actor=bob, person=ann, organisation=org)
    make_person(bob, given_name="Ben", family_name="Other")
    assert _names(person_search(user=bob, q="ann@harrishall.ca").items) == ["Ann Harris"]
    assert _names(person_search(user=bob, q="harrishall").items) == ["Ann Harris"]
    assert _names(person_search(user=bob, q="555-0101").items) == ["Ann Harris"]
    assert _names(person_search(user=bob, q="greens").items) == ["Ann Harris"]


def test_search_ignores_case_and_accents(bob: User) -> None:
    make_person(bob, given_name="Zoë", family_name="Côté")
    assert _names(person_search(user=bob, q="COTE").items) == ["Zoë Côté"]
    assert _names(person_search(user=bob, q="zoe c").items) == ["Zoë Côté"]


def test_search_pages_through_every_tier_without_repeats(bob: User) -> None:
    for i in range(7):
        make_person(bob, given_name=f"Anna{i}", family_name="Prefix")
        make_person(bob, given_name="Joanne", family_name=f"Sub{i}")
    for i in range(5):
        make_person(bob, given_name="Zoe", family_name=f"Annand{4 - i}")
    make_person(bob, given_name="Ann", family_name="Exact")
    make_person(bob, given_name="Bea", family_name="Ann")
    seen: list[str] = []
    cursor = None
    for _page in range(10):
        page = person_search(user=bob, q="ann", cursor=cursor, limit=4)
        seen += _names(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 21
    assert len(set(seen)) == 21
    assert seen[:2] == ["Ann Exact", "Bea Ann"]
    assert seen[2:9] == [f"Anna{i} Prefix" for i in range(7)]
    assert seen[9:14] == [f"Zoe Annand{i}" for i in range(5)]
    assert sorted(seen[14:]) == [f"Joanne Sub{i}" for i in range(7)]


def test_archived_people_leave_lists_and_search(bob: User, maria: User) -> None:
    ann = make_person(bob)
    person_archive(actor=maria, person=ann)
    assert person_search(user=bob, q="harris").items == []
    assert person_list(user=bob).items == []
    with pytest.raises(NotFound):
        person_get_for_user(user=bob, person_id=ann.pk)
    assert person_get_for_user(user=maria, person_id=ann.pk) == ann
    assert person_list(user=maria, archived=True).items == [ann]


def test_managers_search_the_archived_in_name_order_a_page_at_a_time(
    bob: User, maria: User
) -> None:
    for given in ("Cleo", "Abe", "Bea", "Dee"):
        person = make_person(bob, given_name=given, family_name="Oldham")
        if given != "Dee":
            person_archive(actor=maria, person=person)
    make_person(bob, given_name="Eve", family_name="Young")
    first = person_search_archived(user=maria, q="oldham", limit=2)
    rest = person_search_archived(user=maria, q="OLDHAM", cursor=first.next_cursor, limit=2)
    assert [p.given_name for p in first.items] == ["Abe", "Bea"]
    assert ([p.given_name for p in rest.items], rest.next_cursor) == (["Cleo"], None)
    assert person_search_archived(user=maria, q="young").items == []
    with pytest.raises(Forbidden):
        person_search_archived(user=bob, q="oldham")


def test_the_list_walks_every_page_in_name_order(bob: User) -> None:
    names = [f"Guest{i:02d}" for i in range(23)]
    for name in reversed(names):
        make_person(bob, given_name=name, family_name="Same")
    seen: list[str] = []
    cursor = None
    while True:
        page = person_list(user=bob, cursor=cursor, limit=5)
        seen += [p.given_name for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == names


def test_the_list_filters_by_role_interest_and_organisation(bob: User) -> None:
    ann = make_person(bob, given_name="Ann", roles=["guest"])
    ben = make_person(bob, given_name="Ben", roles=["supplier"])
    give_interests(ann, "Birding")
    org = organisation_create(actor=bob, name="Valley Greens")
    membership_set(actor=bob, person=ben, organisation=org)
    assert person_list(user=bob, role="supplier").items == [ben]
    assert person_list(user=bob, interest="birding").items == [ann]
    assert person_list(user=bob, organisation_id=org.pk).items == [ben]


def test_a_broken_cursor_is_rejected_on_the_cursor_field(bob: User) -> None:
    with pytest.raises(Invalid) as exc:
        person_list(user=bob, cursor="not-a-cursor!")
    assert list(exc.value.fields) == ["cursor"]


def test_deactivated_users_read_nothing(charlie: User) -> None:
    with pytest.raises(Forbidden):
        person_list(user=charlie)


def test_connections_rank_specific_interests_above_generic_ones(bob: User) -> None:
    guest = make_person(bob, given_name="Gale", roles=["guest"])
    give_interests(guest, "storm chasing", "weather")
    storm_staff = make_person(bob, given_name="Stormy", roles=["staff"])
    give_interests(storm_staff, "storm chasing")
    weather_staff = make_person(bob, given_name="Sunny", roles=["staff"])
    give_interests(weather_staff, "weather")
    for i in range(6):
        crowd = make_person(bob, given_name=f"Crowd{i}", roles=["guest"])
        give_interests(crowd, "weather")
    chaser = make_person(bob, given_name="Chase", roles=["guest"])
    give_interests(chaser, "storm chasing")
    connections = person_connections(person=guest)
    assert [c.person.given_name for c in connections["staff"]] == ["Stormy", "Sunny"]
    assert connections["staff"][0].score > connections["staff"][1].score
    assert [c.person.given_name for c in connections["people"]][0] == "Chase"
    assert [s.interest.key for s in connections["people"][0].shared] == ["storm chasing"]


def test_substring_pages_are_whole_past_the_dense_window(
    bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On PostgreSQL a fragment is first looked for among the next ids in order, then through the
    # trigram index; a tiny window makes every page cross from one to the other.
    monkeypatch.setattr("goodwill.people.selectors.search.DENSE_WINDOW", 3)
    for i in range(9):
        make_person(bob, given_name="Filler", family_name=f"Nobody{i}")
        make_person(bob, given_name="Joanne", family_name=f"Sub{i}")
    seen: list[str] = []
    cursor = None
    for _page in range(10):
        page = person_search(user=bob, q="oann", cursor=cursor, limit=4)
        seen += _names(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"Joanne Sub{i}" for i in range(9)]


@pytest.mark.parametrize(
    "values",
    [["ann", "1"], [1, 2], ["ann"], "ann", [None, 1], ["ann", True]],
)
def test_a_well_formed_cursor_of_the_wrong_shape_is_rejected(bob: User, values: object) -> None:
    from goodwill.core.pagination import encode_cursor

    with pytest.raises(Invalid) as exc:
        person_list(user=bob, cursor=encode_cursor(values))  # type: ignore[arg-type]
    assert list(exc.value.fields) == ["cursor"]


@pytest.mark.parametrize(
    "values", [[9, ["ann", 1]], [2, ["ann", 1]], [0, ["ann"]], [3, ["1"]], ["0", ["ann", 1]]]
)
def test_search_rejects_cursors_that_do_not_fit_their_tier(bob: User, values: object) -> None:
    from goodwill.core.pagination import encode_cursor

    with pytest.raises(Invalid) as exc:
        person_search(user=bob, q="ann", cursor=encode_cursor(values))  # type: ignore[arg-type]
    assert list(exc.value.fields) == ["cursor"]


def test_ties_to_archived_people_are_hidden_from_staff(bob: User, maria: User) -> None:
    from goodwill.people.selectors import (
        relationship_get_for_user,
        relationship_list,
        relationship_list_for_person,
    )
    from goodwill.people.services import relationship_create

    ann, gone = make_person(bob, given_name="Ann"), make_person(bob, given_name="Gone")
    rel = relationship_create(actor=bob, person=ann, other=gone, kind="friend")
    person_archive(actor=maria, person=gone)
    assert relationship_list_for_person(person=ann) == []
    assert relationship_list(user=bob).items == []
    with pytest.raises(NotFound):
        relationship_get_for_user(user=bob, relationship_id=rel.pk)
    assert relationship_list(user=maria).items == [rel]
    assert relationship_get_for_user(user=maria, relationship_id=rel.pk) == rel
