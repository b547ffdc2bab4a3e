"""Web pages of people: every route × role, query budgets, escaping and bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get, business_update
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.people.models import (
    Household,
    Membership,
    Organisation,
    Person,
    PersonInterest,
    PersonTag,
    Relationship,
    Tag,
)
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_archive,
    organisation_create,
    person_archive,
    person_create,
    person_interest_add,
    person_link_user,
    person_tag_add,
    person_tags_add,
    relationship_create,
)
from goodwill.timeline.services import interaction_log

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    """The business profile exists before any snapshot (pages create it on first use)."""
    business_get()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    """Ann (with an interest, an organisation and a household), Jack her spouse, archived Zed.

    Also an archived organisation, Bygone Ltd.
    """
    ann = person_create(
        actor=None, given_name="Ann", family_name="Harris", emails=["ann@example.com"]
    ).person
    jack = person_create(actor=None, given_name="Jack", family_name="Harris").person
    zed = person_create(actor=None, given_name="Zed", family_name="Old").person
    person_archive(actor=None, person=zed)
    rel = relationship_create(actor=None, person=jack, other=ann, kind="spouse")
    pi = person_interest_add(actor=None, person=ann, name="Storm chasing", source="told_us")
    org = organisation_create(actor=None, name="Acme")
    membership = membership_set(actor=None, person=ann, organisation=org, job_title="Chef")
    old_org = organisation_archive(
        actor=None, organisation=organisation_create(actor=None, name="Bygone Ltd")
    )
    home = household_create(actor=None, name="The Harrises", member_ids=[ann.pk])
    vip = person_tag_add(actor=None, person=ann, name="VIP").tag
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "ann": ann,
        "jack": jack,
        "zed": zed,
        "rel": rel,
        "pi": pi,
        "org": org,
        "old_org": old_org,
        "membership": membership,
        "home": home,
        "vip": vip,
    }


def _url(name: str, *keys: str) -> Any:
    return lambda w: reverse(f"people:{name}", args=[w[k].pk for k in keys])


def _person_payload(**overrides: Any) -> dict[str, Any]:
    return {"given_name": "Nora", "family_name": "Quinn", "emails": "nora@example.com"} | overrides


def _pk(model: Any, key: str) -> Any:
    """The world's ``key`` object read afresh, or None once it is gone."""
    return lambda w: model.objects.filter(pk=w[key].pk).first()


def _field(model: Any, key: str, name: str) -> Any:
    return lambda w, _u: getattr(_pk(model, key)(w), name)


def _gone(model: Any, key: str) -> Any:
    return effect(lambda w, _u: _pk(model, key)(w), None)


ALL_OK = (200, 200, 200)
MANAGERS_OK = (403, 200, 200)
ALL_REDIRECT = (302, 302, 302)
MANAGERS_REDIRECT = (403, 302, 302)
POST_ONLY = (405, 405, 405)
ROUTES = [
    Route("person_list", "get", _url("person_list"), ALL_OK),
    Route("person_create", "get", _url("person_create"), ALL_OK),
    Route(
        "person_create",
        "post",
        _url("person_create"),
        ALL_REDIRECT,
        lambda w: _person_payload(),
        audit="person.create",
        check=effect(
            lambda w, _u: list(
                Person.objects.filter(given_name="Nora", family_name="Quinn").values_list(
                    "primary_email", flat=True
                )
            ),
            ["nora@example.com"],
        ),
    ),
    Route("person_detail", "get", _url("person_detail", "ann"), ALL_OK),
    Route("person_detail archived", "get", _url("person_detail", "zed"), (404, 200, 200)),
    Route("person_edit", "get", _url("person_edit", "ann"), ALL_OK),
    Route(
        "person_edit",
        "post",
        _url("person_edit", "ann"),
        ALL_REDIRECT,
        lambda w: _person_payload(given_name="Annie"),
        audit="person.update",
        check=effect(_field(Person, "ann", "given_name"), "Annie"),
    ),
    Route("person_archive", "get", _url("person_archive", "ann"), POST_ONLY),
    Route(
        "person_archive",
        "post",
        _url("person_archive", "ann"),
        MANAGERS_REDIRECT,
        audit="person.archive",
        check=effect(lambda w, _u: _pk(Person, "ann")(w).archived_at is not None, True),
    ),
    Route("person_restore", "get", _url("person_restore", "zed"), POST_ONLY),
    Route(
        "person_restore",
        "post",
        _url("person_restore", "zed"),
        (404, 302, 302),
        audit="person.restore",
        check=effect(_field(Person, "zed", "archived_at"), None),
    ),
    Route("person_delete", "get", _url("person_delete", "jack"), (403, 403, 200)),
    Route(
        "person_delete",
        "post",
        _url("person_delete", "jack"),
        (403, 403, 302),
        audit="person.delete",
        check=_gone(Person, "jack"),
    ),
    Route("person_link_user", "get", _url("person_link_user", "jack"), (403, 403, 200)),
    Route(
        "person_link_user",
        "post",
        _url("person_link_user", "jack"),
        (403, 403, 302),
        lambda w: {"user": w["bob"].pk},
        audit="person.link_user",
        check=effect(_field(Person, "jack", "user"), lambda w, _u: w["bob"]),
    ),
    Route("person_tag_add", "get", _url("person_tag_add", "ann"), ALL_OK),
    Route(
        "person_tag_add",
        "post",
        _url("person_tag_add", "ann"),
        ALL_REDIRECT,
        lambda w: {"name": " wholesale "},
        audit="person_tag.add",
        check=effect(
            lambda w, _u: list(
                PersonTag.objects.filter(person=w["ann"]).values_list("tag__name", "added_by")
            ),
            lambda w, user: [("VIP", None), ("wholesale", user.pk)],
        ),
    ),
    Route("person_tag_remove", "get", _url("person_tag_remove", "ann", "vip"), POST_ONLY),
    Route(
        "person_tag_remove",
        "post",
        _url("person_tag_remove", "ann", "vip"),
        ALL_REDIRECT,
        audit="person_tag.remove",
        check=effect(lambda w, _u: list(PersonTag.objects.filter(person=w["ann"])), []),
    ),
    Route(
        "person_tag_remove not tagged",
        "post",
        _url("person_tag_remove", "jack", "vip"),
        (404, 404, 404),
    ),
    Route("tag_list", "get", _url("tag_list"), ALL_OK),
    Route("tag_edit", "get", _url("tag_edit", "vip"), MANAGERS_OK),
    Route(
        "tag_edit",
        "post",
        _url("tag_edit", "vip"),
        MANAGERS_REDIRECT,
        lambda w: {"name": "Gold guests"},
        audit="tag.rename",
        check=effect(_field(Tag, "vip", "name"), "Gold guests"),
    ),
    Route("tag_delete", "get", _url("tag_delete", "vip"), MANAGERS_OK),
    Route(
        "tag_delete",
        "post",
        _url("tag_delete", "vip"),
        MANAGERS_REDIRECT,
        audit="tag.delete",
        check=_gone(Tag, "vip"),
    ),
    Route("person_interest_add", "get", _url("person_interest_add", "ann"), ALL_OK),
    Route(
        "person_interest_add",
        "post",
        _url("person_interest_add", "ann"),
        ALL_REDIRECT,
        lambda w: {"name": "Birding", "attitude": "likes", "source": "staff_observed"},
        audit="person_interest.add",
        check=effect(
            lambda w, _u: list(
                PersonInterest.objects.filter(
                    person=w["ann"], interest__name="Birding"
                ).values_list("attitude", "source", "noted_by")
            ),
            lambda w, user: [("likes", "staff_observed", user.pk)],
        ),
    ),
    Route("person_interest_remove", "get", _url("person_interest_remove", "ann", "pi"), POST_ONLY),
    Route(
        "person_interest_remove",
        "post",
        _url("person_interest_remove", "ann", "pi"),
        MANAGERS_REDIRECT,
        audit="person_interest.remove",
        check=_gone(PersonInterest, "pi"),
    ),
    Route("relationship_add", "get", _url("relationship_add", "ann"), ALL_OK),
    Route(
        "relationship_add",
        "post",
        _url("relationship_add", "ann"),
        ALL_REDIRECT,
        lambda w: {"other_id": w["jack"].pk, "kind": "friend"},
        audit="relationship.create",
        check=effect(
            lambda w, _u: Relationship.objects.filter(
                from_person__in=[w["ann"], w["jack"]], to_person__in=[w["ann"], w["jack"]]
            ).count(),
            2,
        ),
    ),
    Route("relationship_edit", "get", _url("relationship_edit", "ann", "rel"), ALL_OK),
    Route(
        "relationship_edit",
        "post",
        _url("relationship_edit", "ann", "rel"),
        ALL_REDIRECT,
        lambda w: {"since": "2012-06-30", "notes": "Married at the mill"},
        audit="relationship.update",
        check=effect(
            lambda w, _u: (_pk(Relationship, "rel")(w).since, _pk(Relationship, "rel")(w).notes),
            (dt.date(2012, 6, 30), "Married at the mill"),
        ),
    ),
    Route("relationship_remove", "get", _url("relationship_remove", "ann", "rel"), POST_ONLY),
    Route(
        "relationship_remove",
        "post",
        _url("relationship_remove", "ann", "rel"),
        MANAGERS_REDIRECT,
        audit="relationship.delete",
        check=_gone(Relationship, "rel"),
    ),
    Route("membership_add", "get", _url("membership_add", "jack"), ALL_OK),
    Route(
        "membership_add",
        "post",
        _url("membership_add", "jack"),
        ALL_REDIRECT,
        lambda w: {"organisation_id": w["org"].pk, "job_title": "Waiter"},
        audit="membership.set",
        check=effect(
            lambda w, _u: list(
                Membership.objects.filter(person=w["jack"]).values_list("organisation", "job_title")
            ),
            lambda w, _u: [(w["org"].pk, "Waiter")],
        ),
    ),
    Route("membership_remove", "get", _url("membership_remove", "ann", "membership"), POST_ONLY),
    Route(
        "membership_remove",
        "post",
        _url("membership_remove", "ann", "membership"),
        MANAGERS_REDIRECT,
        audit="membership.remove",
        check=_gone(Membership, "membership"),
    ),
    Route("organisation_list", "get", _url("organisation_list"), ALL_OK),
    Route("organisation_create", "get", _url("organisation_create"), ALL_OK),
    Route(
        "organisation_create",
        "post",
        _url("organisation_create"),
        ALL_REDIRECT,
        lambda w: {"name": "Fundy Farms", "website": "https://fundy.example"},
        audit="organisation.create",
        check=effect(
            lambda w, _u: list(
                Organisation.objects.filter(name="Fundy Farms").values_list("website", flat=True)
            ),
            ["https://fundy.example"],
        ),
    ),
    Route("organisation_detail", "get", _url("organisation_detail", "org"), ALL_OK),
    Route("organisation_edit", "get", _url("organisation_edit", "org"), ALL_OK),
    Route(
        "organisation_edit",
        "post",
        _url("organisation_edit", "org"),
        ALL_REDIRECT,
        lambda w: {"name": "Acme Ltd"},
        audit="organisation.update",
        check=effect(_field(Organisation, "org", "name"), "Acme Ltd"),
    ),
    Route(
        "organisation_detail archived",
        "get",
        _url("organisation_detail", "old_org"),
        (404, 200, 200),
    ),
    Route("organisation_archive", "get", _url("organisation_archive", "org"), POST_ONLY),
    Route(
        "organisation_archive",
        "post",
        _url("organisation_archive", "org"),
        MANAGERS_REDIRECT,
        audit="organisation.archive",
        check=effect(lambda w, _u: _pk(Organisation, "org")(w).archived_at is not None, True),
    ),
    Route("organisation_restore", "get", _url("organisation_restore", "old_org"), POST_ONLY),
    Route(
        "organisation_restore",
        "post",
        _url("organisation_restore", "old_org"),
        (404, 302, 302),
        audit="organisation.restore",
        check=effect(_field(Organisation, "old_org", "archived_at"), None),
    ),
    Route("organisation_delete", "get", _url("organisation_delete", "org"), (403, 403, 200)),
    Route(
        "organisation_delete",
        "post",
        _url("organisation_delete", "org"),
        (403, 403, 302),
        audit="organisation.delete",
        check=_gone(Organisation, "org"),
    ),
    Route("household_list", "get", _url("household_list"), ALL_OK),
    Route("household_create", "get", _url("household_create"), ALL_OK),
    Route(
        "household_create",
        "post",
        _url("household_create"),
        ALL_REDIRECT,
        lambda w: {"name": "The Quinns", "country": "ca"},
        audit="household.create",
        check=effect(
            lambda w, _u: list(
                Household.objects.filter(name="The Quinns").values_list("country", flat=True)
            ),
            ["CA"],
        ),
    ),
    Route("household_detail", "get", _url("household_detail", "home"), ALL_OK),
    Route("household_edit", "get", _url("household_edit", "home"), ALL_OK),
    Route(
        "household_edit",
        "post",
        _url("household_edit", "home"),
        ALL_REDIRECT,
        lambda w: {"name": "Harris Hall"},
        audit="household.update",
        check=effect(_field(Household, "home", "name"), "Harris Hall"),
    ),
    Route("household_delete", "get", _url("household_delete", "home"), MANAGERS_OK),
    Route(
        "household_delete",
        "post",
        _url("household_delete", "home"),
        MANAGERS_REDIRECT,
        audit="household.delete",
        check=effect(
            lambda w, _u: (_pk(Household, "home")(w), _field(Person, "ann", "household_id")(w, _u)),
            (None, None),
        ),
    ),
    Route("household_member_add", "get", _url("household_member_add", "home"), ALL_OK),
    Route(
        "household_member_add",
        "post",
        _url("household_member_add", "home"),
        ALL_REDIRECT,
        lambda w: {"person_id": w["jack"].pk},
        audit="household.add_member",
        check=effect(_field(Person, "jack", "household_id"), lambda w, _u: w["home"].pk),
    ),
    Route(
        "household_member_remove",
        "get",
        _url("household_member_remove", "home", "ann"),
        POST_ONLY,
    ),
    Route(
        "household_member_remove",
        "post",
        _url("household_member_remove", "home", "ann"),
        MANAGERS_REDIRECT,
        audit="household.remove_member",
        check=effect(_field(Person, "ann", "household_id"), None),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_people_url_is_in_the_matrix() -> None:
    from goodwill.people.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name.split()[0] for r in ROUTES}


# Lists and search


def _many_people(n: int) -> list[Person]:
    org = organisation_create(actor=None, name="Fundy Farms")
    people = []
    for i in range(n):
        p = person_create(
            actor=None,
            given_name=f"Guest{i:02d}",
            family_name="Morrison",
            emails=[f"guest{i}@example.com"],
            roles=["guest", "lead"],
        ).person
        membership_set(actor=None, person=p, organisation=org, job_title="Buyer")
        person_tags_add(actor=None, person=p, names=["VIP", f"Table {i}"])
        people.append(p)
    return people


def test_people_list_shows_people_in_name_order_without_a_count(bob_client: Client) -> None:
    person_create(actor=None, given_name="Zoe", family_name="Adams")
    person_create(actor=None, given_name="Ann", family_name="Baker")
    response = bob_client.get(reverse("people:person_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Ann Baker") < html.index("Zoe Adams")
    assert "Next page" not in html


def test_people_list_pages_by_keyset_cursor(bob_client: Client) -> None:
    _many_people(55)
    first = bob_client.get(reverse("people:person_list"))
    page = first.context["page"]
    assert len(page.items) == 50
    assert page.next_cursor is not None
    second = bob_client.get(reverse("people:person_list"), {"cursor": page.next_cursor})
    names = [p.given_name for p in second.context["page"].items]
    assert names == [f"Guest{i:02d}" for i in range(50, 55)]
    assert second.context["page"].next_cursor is None


def test_people_list_filters_by_role_interest_and_organisation(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Baker", roles=["staff"]).person
    ben = person_create(actor=None, given_name="Ben", family_name="Cole", roles=["guest"]).person
    person_interest_add(actor=None, person=ben, name="Kayaking", source="told_us")
    org = organisation_create(actor=None, name="Acme")
    membership_set(actor=None, person=ann, organisation=org)
    url = reverse("people:person_list")
    assert [p.pk for p in bob_client.get(url, {"role": "staff"}).context["page"].items] == [ann.pk]
    by_interest = bob_client.get(url, {"interest": "kayaking"}).context["page"].items
    assert [p.pk for p in by_interest] == [ben.pk]
    by_org = bob_client.get(url, {"organisation": org.pk}).context["page"].items
    assert [p.pk for p in by_org] == [ann.pk]


def test_search_ranks_matches_and_htmx_gets_only_the_results_fragment(bob_client: Client) -> None:
    person_create(actor=None, given_name="Annabel", family_name="Lee")
    person_create(actor=None, given_name="Ann", family_name="Harris")
    url = reverse("people:person_list")
    full = bob_client.get(url, {"q": "ann"})
    assert [p.full_name for p in full.context["page"].items] == ["Ann Harris", "Annabel Lee"]
    assert b"<html" in full.content
    fragment = bob_client.get(url, {"q": "ann"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert fragment.content.decode().strip().startswith('<section id="results"')
    assert b"Ann Harris" in fragment.content


def test_people_list_query_budget(bob_client: Client, django_assert_max_num_queries: Any) -> None:
    _many_people(30)
    # Session, user and business (3), the page's people and its roles, organisations and tags
    # (4), and the tag filter's suggestions (1).
    with django_assert_max_num_queries(8):
        response = bob_client.get(reverse("people:person_list"))
    assert len(response.context["page"].items) == 30


@pytest.mark.parametrize("q", ["morrison", "orriso"])
def test_search_results_query_budget(
    bob_client: Client, django_assert_max_num_queries: Any, q: str
) -> None:
    _many_people(30)
    # Session, user and business (3), one query per search tier (exact name, exact family name,
    # name prefix, family prefix, substring: 5), the page's people and its roles, organisations
    # and tags (4), and the tag filter's suggestions (1); on PostgreSQL the substring tier reads
    # past its id window once more when the people's ids start beyond it (ids are not reused
    # between tests) (1). The count is fixed: it does not grow with the number of people or of
    # matches.
    with django_assert_max_num_queries(14):
        response = bob_client.get(reverse("people:person_list"), {"q": q})
    assert len(response.context["page"].items) == 25


def _busy_person(alice: User) -> Person:
    ann = person_create(
        actor=None,
        given_name="Ann",
        family_name="Harris",
        emails=["ann@example.com", "ann@work.example"],
        phones=["+1 902 555 0101"],
        roles=["guest"],
    ).person
    staff = person_create(actor=None, given_name="Sam", family_name="Cook", roles=["staff"]).person
    home = household_create(actor=None, name="The Harrises", member_ids=[ann.pk])
    for i in range(10):
        other = person_create(actor=None, given_name=f"Kin{i}", family_name="Harris").person
        relationship_create(actor=None, person=other, other=ann, kind="sibling")
        membership_set(
            actor=None,
            person=ann,
            organisation=organisation_create(actor=None, name=f"Org {i}"),
            job_title="Partner",
        )
        person_interest_add(actor=alice, person=ann, name=f"Interest {i}", source="told_us")
        person_interest_add(actor=alice, person=staff, name=f"Interest {i}", source="told_us")
        person_interest_add(actor=alice, person=other, name=f"Interest {i}", source="form")
        person_tag_add(actor=alice, person=ann, name=f"Tag {i}")
    for i in range(30):
        interaction_log(actor=alice, person=ann, kind="visit", summary=f"Visit {i}")
    assert home.pk
    return ann


def test_person_page_query_budget(alice: User, django_assert_max_num_queries: Any) -> None:
    ann = _busy_person(alice)
    client = Client()
    client.force_login(alice)
    # 18 for the page itself, 1 for the owner's login choices, 1 for the quick log's staff
    # choices, plus at most 8 for connections (its most specific interests), 1 for the occasions
    # section, 1 for the owners' schedule-health banner, 3 for the purchases section (its list,
    # the loyalty number and the log form's occasions; the stage and chart only when there is a
    # purchase), 3 for the consent section (its ledger, the topics and the last purchase and
    # inquiry), 1 for the feedback section, 3 for the giving-and-asking section (the touch
    # policy, the person's own limits and one count of their touches) and 2 for the tags (the
    # person's, and the add box's suggestions).
    with django_assert_max_num_queries(42):
        response = client.get(reverse("people:person_detail", args=[ann.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="tag giving">likes</span>') == 10
    assert "Load more" in html
    assert "Sam Cook" in html


def test_person_page_shows_facts_with_sources_and_both_sides_of_a_relationship(
    bob_client: Client, bob: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    jack = person_create(actor=None, given_name="Jack", family_name="Harris").person
    relationship_create(actor=None, person=jack, other=ann, kind="parent")
    person_interest_add(
        actor=bob, person=ann, name="Storm-chasing", source="staff_observed", note="Kansas in May"
    )
    ann_page = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    jack_page = bob_client.get(reverse("people:person_detail", args=[jack.pk])).content.decode()
    assert "Storm chasing" in ann_page
    assert "Source: staff observed · noted by bob@example.com" in ann_page
    assert "Kansas in May" in ann_page
    assert 'Jack Harris</a>\n      <span class="muted">parent' in ann_page
    assert 'Ann Harris</a>\n      <span class="muted">child' in jack_page


def test_history_is_shown_to_managers_only(bob_client: Client, maria_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    url = reverse("people:person_detail", args=[ann.pk])
    assert b"Person added" in maria_client.get(url).content
    assert b"Person added" not in bob_client.get(url).content
    assert b'id="history"' not in bob_client.get(url).content


# Escaping


def test_names_with_html_are_shown_as_text_on_list_page_and_search(bob_client: Client) -> None:
    person = person_create(actor=None, given_name=SCRIPT, family_name="Hacker").person
    pages = [
        bob_client.get(reverse("people:person_list")),
        bob_client.get(reverse("people:person_detail", args=[person.pk])),
        bob_client.get(reverse("people:person_list"), {"q": "hacker"}),
        bob_client.get(reverse("people:person_list"), {"q": "hacker"}, HTTP_HX_REQUEST="true"),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert SCRIPT not in html
        assert ESCAPED in html


# Bad input


def _unchanged(before: dict[str, Any]) -> None:
    assert db_state() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"emails": "not-an-email"}, "emails"),
        ({"phones": "call me maybe"}, "phones"),
        ({"given_name": "", "family_name": ""}, "given_name"),
        ({"country": "Canada"}, "country"),
    ],
)
def test_bad_person_input_is_shown_on_its_field_and_nothing_is_written(
    bob_client: Client, overrides: dict[str, str], field: str
) -> None:
    before = db_state()
    response = bob_client.post(reverse("people:person_create"), _person_payload(**overrides))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert b'aria-invalid="true"' in response.content
    _unchanged(before)


def test_bad_input_on_edit_is_shown_and_nothing_is_written(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    before = db_state()
    response = bob_client.post(
        reverse("people:person_edit", args=[ann.pk]), _person_payload(emails="ann@")
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["emails"]
    _unchanged(before)


def test_a_person_cannot_be_related_to_themselves(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    before = db_state()
    response = bob_client.post(
        reverse("people:relationship_add", args=[ann.pk]), {"other_id": ann.pk, "kind": "friend"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["other_id"] == [
        "A person cannot be related to themselves."
    ]
    assert b"A person cannot be related to themselves." in response.content
    assert Relationship.objects.count() == 0
    _unchanged(before)


def test_empty_organisation_and_household_names_are_refused(bob_client: Client) -> None:
    before = db_state()
    org = bob_client.post(reverse("people:organisation_create"), {"name": " "})
    home = bob_client.post(reverse("people:household_create"), {"name": ""})
    assert org.status_code == 422
    assert list(org.context["form"].errors) == ["name"]
    assert home.status_code == 422
    assert list(home.context["form"].errors) == ["name"]
    _unchanged(before)


# Flows


def test_adding_a_person_who_may_be_a_duplicate_warns_before_saving(bob_client: Client) -> None:
    ann = person_create(
        actor=None, given_name="Ann", family_name="Harris", emails=["ann@example.com"]
    ).person
    before = db_state()
    response = bob_client.post(
        reverse("people:person_create"),
        _person_payload(given_name="Annie", family_name="H", emails=" ANN@example.com"),
    )
    assert response.status_code == 200
    assert response.context["duplicates"] == [ann]
    html = response.content.decode()
    assert "This person may already be here." in html
    assert f'This may be <a href="{reverse("people:person_detail", args=[ann.pk])}"' in html
    assert '<button type="submit" name="confirm_duplicates" value="1"' in html
    assert 'value="Annie"' in html
    _unchanged(before)


def test_save_anyway_adds_the_possible_duplicate(bob_client: Client, bob: User) -> None:
    ann = person_create(
        actor=None, given_name="Ann", family_name="Harris", emails=["ann@example.com"]
    ).person
    response = bob_client.post(
        reverse("people:person_create"),
        _person_payload(
            given_name="Annie", family_name="H", emails="ANN@example.com", confirm_duplicates="1"
        ),
    )
    annie = Person.objects.exclude(pk=ann.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[annie.pk])
    assert (annie.given_name, annie.primary_email) == ("Annie", "ann@example.com")
    assert AuditEntry.objects.filter(action="person.create", actor=bob).count() == 1


def test_duplicates_are_found_by_normalised_phone_and_by_full_name(bob_client: Client) -> None:
    business_update(actor=None, phone_region="CA")
    ann = person_create(
        actor=None, given_name="Ann", family_name="Harris", phones=["+1 902 555 0101"]
    ).person
    jack = person_create(actor=None, given_name="Jack", family_name="Harris").person
    url = reverse("people:person_create")
    by_phone = bob_client.post(url, {"given_name": "A", "phones": "(902) 555-0101"})
    by_name = bob_client.post(url, {"given_name": "jack", "family_name": "HARRIS"})
    assert by_phone.context["duplicates"] == [ann]
    assert by_name.context["duplicates"] == [jack]
    assert Person.objects.count() == 2


def test_a_bad_contact_is_shown_on_its_field_before_looking_for_duplicates(
    bob_client: Client,
) -> None:
    person_create(actor=None, given_name="Nora", family_name="Quinn")
    before = db_state()
    response = bob_client.post(
        reverse("people:person_create"), _person_payload(phones="call me maybe")
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["phones"]
    assert response.context["duplicates"] == []
    _unchanged(before)


def test_a_person_with_no_look_alike_is_saved_at_once(bob_client: Client) -> None:
    person_create(actor=None, given_name="Ann", family_name="Harris", emails=["ann@example.com"])
    response = bob_client.post(reverse("people:person_create"), _person_payload())
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Nora").count() == 1


def test_adding_a_person_saves_every_fact(bob_client: Client, bob: User) -> None:
    response = bob_client.post(
        reverse("people:person_create"),
        _person_payload(
            emails="nora@example.com\nNora@Work.example",
            phones="+1 902 555 0199",
            roles=["guest", "supplier"],
            preferred_name="No",
            country="ca",
        ),
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert [e.email for e in person.emails.all()] == ["nora@example.com", "nora@work.example"]
    assert [p.e164 for p in person.phones.all()] == ["+19025550199"]
    assert sorted(person.roles.values_list("role", flat=True)) == ["guest", "supplier"]
    assert person.country == "CA"
    assert AuditEntry.objects.filter(action="person.create", actor=bob).count() == 1


def test_adding_an_interest_shows_it_with_its_source(bob_client: Client, bob: User) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    response = bob_client.post(
        reverse("people:person_interest_add", args=[ann.pk]),
        {"name": "Storm chasing", "attitude": "likes", "source": "told_us", "note": "Kansas"},
        follow=True,
    )
    pi = PersonInterest.objects.get()
    assert (pi.person, pi.interest.name, pi.source, pi.noted_by) == (
        ann,
        "Storm chasing",
        "told_us",
        bob,
    )
    assert b"Source: told us" in response.content


def test_an_empty_interest_is_refused_on_its_field(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    before = db_state()
    response = bob_client.post(
        reverse("people:person_interest_add", args=[ann.pk]),
        {"name": "--", "attitude": "likes", "source": "told_us"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {"name": ["Enter an interest."]}
    _unchanged(before)


def test_relationship_picker_lists_candidates_as_a_fragment_for_htmx(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    person_create(actor=None, given_name="Jack", family_name="Harris")
    url = reverse("people:relationship_add", args=[ann.pk])
    response = bob_client.get(url, {"q": "jack"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith('<fieldset id="candidates"')
    assert "Jack Harris" in html


def test_a_relationship_added_on_one_page_shows_on_both(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    jack = person_create(actor=None, given_name="Jack", family_name="Harris").person
    bob_client.post(
        reverse("people:relationship_add", args=[jack.pk]), {"other_id": ann.pk, "kind": "spouse"}
    )
    rel = Relationship.objects.get()
    assert ({rel.from_person, rel.to_person}, rel.kind) == ({jack, ann}, "spouse")
    ann_page = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content
    assert b"Jack Harris" in ann_page
    assert b"spouse / partner" in ann_page


def test_an_owner_cannot_delete_a_person_with_a_login(alice_client: Client, bob: User) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    person_link_user(actor=None, person=sam, user=bob)
    before = db_state()
    response = alice_client.post(reverse("people:person_delete", args=[sam.pk]))
    assert response.status_code == 409
    _unchanged(before)


def test_an_invalid_cursor_is_a_422_page(bob_client: Client) -> None:
    response = bob_client.get(reverse("people:person_list"), {"cursor": "nonsense"})
    assert response.status_code == 422
    assert b"This cursor is not valid." in response.content


# Logins


def test_an_owner_links_a_login_to_a_person_and_sees_it_on_the_page(
    alice_client: Client, bob: User
) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    url = reverse("people:person_link_user", args=[sam.pk])
    response = alice_client.post(url, {"user": bob.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[sam.pk]) + "#login"
    sam.refresh_from_db()
    assert sam.user == bob
    assert [r.role for r in sam.roles.all()] == ["staff"]
    assert AuditEntry.objects.filter(action="person.link_user", person_id=sam.pk).count() == 1
    page = alice_client.get(reverse("people:person_detail", args=[sam.pk])).content.decode()
    assert "Linked to bob@example.com (Staff)." in page


def test_an_owner_unlinks_a_login(alice_client: Client, bob: User) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    person_link_user(actor=None, person=sam, user=bob)
    response = alice_client.post(reverse("people:person_link_user", args=[sam.pk]), {"user": ""})
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.user is None
    page = alice_client.get(reverse("people:person_detail", args=[sam.pk])).content.decode()
    assert "No login is linked to this person." in page


def test_the_login_choices_leave_out_logins_linked_to_someone_else(
    alice_client: Client, alice: User, maria: User, bob: User
) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    person_link_user(actor=None, person=sam, user=bob)
    for person, expected in [(ann, [alice, maria]), (sam, [alice, bob, maria])]:
        response = alice_client.get(reverse("people:person_detail", args=[person.pk]))
        choices = response.context["user_form"].fields["user"].widget.choices
        assert [value for value, _label in choices] == ["", *(u.pk for u in expected)]
    assert ("", "No login") in choices
    assert (bob.pk, "bob@example.com (Staff)") in choices


def test_linking_a_login_already_linked_elsewhere_is_refused_on_the_field(
    alice_client: Client, bob: User
) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    person_link_user(actor=None, person=sam, user=bob)
    before = db_state()
    response = alice_client.post(
        reverse("people:person_link_user", args=[ann.pk]), {"user": bob.pk}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "user": ["This user is already linked to another person."]
    }
    _unchanged(before)


def test_linking_a_login_that_does_not_exist_is_refused_on_the_field(alice_client: Client) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    before = db_state()
    response = alice_client.post(reverse("people:person_link_user", args=[sam.pk]), {"user": 99999})
    assert response.status_code == 422
    assert response.context["form"].errors == {"user": ["No such user."]}
    _unchanged(before)


@pytest.mark.parametrize("persona", ["bob", "maria"])
def test_staff_and_managers_neither_see_nor_change_a_persons_login(
    persona: str, bob: User, maria: User, alice: User
) -> None:
    sam = person_create(actor=None, given_name="Sam", family_name="Cook").person
    client = Client()
    client.force_login({"bob": bob, "maria": maria}[persona])
    page = client.get(reverse("people:person_detail", args=[sam.pk]))
    assert 'id="login"' not in page.content.decode()
    assert page.context["user_form"] is None
    before = db_state()
    response = client.post(reverse("people:person_link_user", args=[sam.pk]), {"user": alice.pk})
    assert response.status_code == 403
    _unchanged(before)
    assert Person.objects.get(pk=sam.pk).user is None


# Removing facts is for managers


def _remove_urls(world: dict[str, Any]) -> list[str]:
    w = world
    return [
        reverse("people:person_interest_remove", args=[w["ann"].pk, w["pi"].pk]),
        reverse("people:relationship_remove", args=[w["ann"].pk, w["rel"].pk]),
        reverse("people:membership_remove", args=[w["ann"].pk, w["membership"].pk]),
        reverse("people:household_member_remove", args=[w["home"].pk, w["ann"].pk]),
    ]


def _pages(client: Client, world: dict[str, Any]) -> str:
    person = client.get(reverse("people:person_detail", args=[world["ann"].pk])).content
    home = client.get(reverse("people:household_detail", args=[world["home"].pk])).content
    return (person + home).decode()


def test_staff_see_no_remove_buttons_and_their_removals_change_nothing(
    bob_client: Client, world: dict[str, Any]
) -> None:
    html = _pages(bob_client, world)
    assert [url in html for url in _remove_urls(world)] == [False] * 4
    assert reverse("people:relationship_edit", args=[world["ann"].pk, world["rel"].pk]) in html
    before = db_state()
    assert [bob_client.post(url).status_code for url in _remove_urls(world)] == [403] * 4
    _unchanged(before)


@pytest.mark.parametrize("persona", ["maria", "alice"])
def test_managers_and_owners_see_the_remove_buttons(persona: str, world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world[persona])
    html = _pages(client, world)
    assert [url in html for url in _remove_urls(world)] == [True] * 4
    assert 'aria-label="Remove Storm chasing"' in html
    assert 'aria-label="Remove the relationship with Jack Harris"' in html
    assert 'aria-label="Remove from Acme"' in html
    assert 'aria-label="Remove Ann Harris from the household"' in html


# Archived people and the organisation filter


def _names(response: Any) -> list[str]:
    return [p.full_name for p in response.context["page"].items]


def test_managers_list_archived_people_to_restore_them(
    maria_client: Client, world: dict[str, Any]
) -> None:
    url = reverse("people:person_list")
    page = maria_client.get(url)
    assert 'name="archived"' in page.content.decode()
    assert "Zed Old" not in _names(page)
    archived = maria_client.get(url, {"archived": "1"})
    html = archived.content.decode()
    assert _names(archived) == ["Zed Old"]
    assert "Archived people</h2>" in html
    assert 'class="tag archived">archived</span>' in html
    assert 'name="archived" id="id_archived" value="1" checked' in html
    zed = maria_client.get(reverse("people:person_detail", args=[world["zed"].pk]))
    assert reverse("people:person_restore", args=[world["zed"].pk]) in zed.content.decode()


def test_managers_search_archived_people_and_staff_searching_them_do_not_find_them(
    maria_client: Client, bob_client: Client, world: dict[str, Any]
) -> None:
    url = reverse("people:person_list")
    assert _names(maria_client.get(url, {"q": "old"})) == []
    assert _names(maria_client.get(url, {"q": "old", "archived": "1"})) == ["Zed Old"]
    assert _names(maria_client.get(url, {"q": "harris", "archived": "1"})) == []
    assert _names(bob_client.get(url, {"q": "old", "archived": "1"})) == []


def test_staff_get_no_archived_filter_and_asking_for_it_shows_the_usual_list(
    bob_client: Client, world: dict[str, Any]
) -> None:
    url = reverse("people:person_list")
    normal = bob_client.get(url)
    sneaky = bob_client.get(url, {"archived": "1"})
    assert 'name="archived"' not in normal.content.decode()
    assert 'name="archived"' not in sneaky.content.decode()
    assert _names(normal) == _names(sneaky) == ["Ann Harris", "Jack Harris"]
    assert b"Archived people" not in sneaky.content


def test_people_are_filtered_by_an_organisations_name(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Baker").person
    ben = person_create(actor=None, given_name="Ben", family_name="Cole").person
    membership_set(
        actor=None, person=ann, organisation=organisation_create(actor=None, name="Acme")
    )
    fundy = organisation_create(actor=None, name="Fundy Farms")
    membership_set(actor=None, person=ben, organisation=fundy)
    url = reverse("people:person_list")
    response = bob_client.get(url, {"organisation_name": "fundy"})
    assert _names(response) == ["Ben Cole"]
    assert response.context["organisation"] == fundy
    assert 'value="Fundy Farms"' in response.content.decode()


def test_a_name_matching_several_organisations_offers_them_as_choices(
    bob_client: Client,
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Baker").person
    north = organisation_create(actor=None, name="North Farm")
    south = organisation_create(actor=None, name="South Farm")
    membership_set(actor=None, person=ann, organisation=south)
    url = reverse("people:person_list")
    response = bob_client.get(url, {"organisation_name": "farm", "role": "guest"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _names(response) == []
    assert response.context["organisation_choices"] == [north, south]
    assert "Which organisation?" in html
    assert f'href="{url}?role=guest&amp;organisation={south.pk}">South Farm</a>' in html
    chosen = bob_client.get(url, {"organisation": south.pk})
    assert _names(chosen) == ["Ann Baker"]


def test_an_exact_organisation_name_wins_over_longer_ones(bob_client: Client) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Baker").person
    acme = organisation_create(actor=None, name="Acme")
    organisation_create(actor=None, name="Acme Holdings")
    membership_set(actor=None, person=ann, organisation=acme)
    response = bob_client.get(reverse("people:person_list"), {"organisation_name": "ACME"})
    assert response.context["organisation"] == acme
    assert _names(response) == ["Ann Baker"]


def test_an_unknown_organisation_name_is_said_and_lists_nobody(bob_client: Client) -> None:
    person_create(actor=None, given_name="Ann", family_name="Baker")
    response = bob_client.get(reverse("people:person_list"), {"organisation_name": "Nowhere"})
    assert response.status_code == 200
    assert _names(response) == []
    assert response.context["form"].errors == {
        "organisation_name": ["No organisation has that name."]
    }
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_link_from_an_organisation_page_lists_its_people(
    bob_client: Client, world: dict[str, Any]
) -> None:
    org = world["org"]
    page = bob_client.get(reverse("people:organisation_detail", args=[org.pk])).content.decode()
    link = f"{reverse('people:person_list')}?organisation={org.pk}"
    assert f'href="{link}"' in page
    response = bob_client.get(link)
    assert _names(response) == ["Ann Harris"]
    assert 'id="id_organisation_name" maxlength="200" autocomplete="off"' in (
        response.content.decode()
    )
    assert 'value="Acme"' in response.content.decode()


def test_staff_cannot_filter_by_an_archived_organisation(
    bob_client: Client, world: dict[str, Any]
) -> None:
    response = bob_client.get(reverse("people:person_list"), {"organisation": world["old_org"].pk})
    assert _names(response) == []
    assert response.context["form"].errors == {"organisation_name": ["No such organisation."]}


# When a person was added


def test_the_person_page_says_when_they_were_added_in_the_business_time_zone(
    bob_client: Client, maria_client: Client
) -> None:
    business_update(actor=None, time_zone="America/Halifax")
    ann = person_create(actor=None, given_name="Ann", family_name="Harris").person
    Person.objects.filter(pk=ann.pk).update(created_at=dt.datetime(2025, 1, 2, 2, 0, tzinfo=dt.UTC))
    url = reverse("people:person_detail", args=[ann.pk])
    staff_page = bob_client.get(url).content.decode()
    manager_page = maria_client.get(url).content.decode()
    assert (
        '<p class="source">Source: told us · added by the command line on Jan. 1, 2025.</p>'
        in staff_page
    )
    assert "Entered by staff" not in staff_page
    assert (
        "Source: told us · added by the command line on Jan. 1, 2025; "
        'changes are in the <a href="#history">history</a>.' in manager_page
    )
    assert 'id="history"' in manager_page


def test_the_person_page_shows_how_we_know_them_and_who_added_them(
    bob_client: Client, bob: User
) -> None:
    response = bob_client.post(
        reverse("people:person_create"), _person_payload(source="staff_observed"), follow=True
    )
    person = Person.objects.get()
    assert (person.source, person.created_by) == ("staff_observed", bob)
    assert response.redirect_chain == [(reverse("people:person_detail", args=[person.pk]), 302)]
    assert "Source: staff observed · added by bob@example.com on " in response.content.decode()


def test_the_person_form_asks_how_we_know_and_keeps_it_on_edit(
    bob_client: Client, bob: User
) -> None:
    ann = person_create(actor=None, given_name="Ann", family_name="Harris", source="form").person
    url = reverse("people:person_edit", args=[ann.pk])
    form = bob_client.get(url).content.decode()
    assert '<label for="id_source">How do we know?</label>' in form
    assert '<option value="form" selected>form</option>' in form
    response = bob_client.post(url, _person_payload(source="told_us"))
    ann.refresh_from_db()
    assert response.status_code == 302
    assert (ann.source, ann.created_by) == ("told_us", None)
    assert AuditEntry.objects.get(action="person.update", actor=bob).changes["source"] == [
        "form",
        "told_us",
    ]


def test_an_unknown_source_is_refused_on_its_field(bob_client: Client) -> None:
    before = db_state()
    response = bob_client.post(reverse("people:person_create"), _person_payload(source="rumour"))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["source"]
    _unchanged(before)


# Query budgets of the other lists


def test_organisation_list_query_budget(
    bob_client: Client, django_assert_max_num_queries: Any
) -> None:
    people = [
        person_create(actor=None, given_name=f"P{i}", family_name="Cole").person for i in range(3)
    ]
    for i in range(40):
        org = organisation_create(actor=None, name=f"Org {i:02d}")
        for person in people:
            membership_set(actor=None, person=person, organisation=org)
    # Session, user and business (3), one page of organisations with their people counts (1).
    with django_assert_max_num_queries(4):
        response = bob_client.get(reverse("people:organisation_list"))
    assert len(response.context["page"].items) == 40
    assert "3 people" in response.content.decode()


def test_household_list_query_budget(
    bob_client: Client, django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        members = [
            person_create(actor=None, given_name=f"P{i}-{j}", family_name="Cole").person.pk
            for j in range(2)
        ]
        household_create(actor=None, name=f"Home {i:02d}", member_ids=members, locality="Truro")
    # Session, user and business (3), one page of households with their people counts (1).
    with django_assert_max_num_queries(4):
        response = bob_client.get(reverse("people:household_list"))
    assert len(response.context["page"].items) == 40
    assert "2 people" in response.content.decode()
