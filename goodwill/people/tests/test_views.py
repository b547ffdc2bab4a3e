"""Web pages of people: every route × role, query budgets, escaping and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state
from goodwill.people.models import Person, PersonInterest, Relationship
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_archive,
    organisation_create,
    person_archive,
    person_create,
    person_interest_add,
    person_link_user,
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
    }


def _url(name: str, *keys: str) -> Any:
    return lambda w: reverse(f"people:{name}", args=[w[k].pk for k in keys])


def _person_payload(**overrides: Any) -> dict[str, Any]:
    return {"given_name": "Nora", "family_name": "Quinn", "emails": "nora@example.com"} | overrides


ALL_OK = (200, 200, 200)
ALL_REDIRECT = (302, 302, 302)
POST_ONLY = (405, 405, 405)
ROUTES = [
    Route("person_list", "get", _url("person_list"), ALL_OK),
    Route("person_create", "get", _url("person_create"), ALL_OK),
    Route(
        "person_create", "post", _url("person_create"), ALL_REDIRECT, lambda w: _person_payload()
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
    ),
    Route("person_archive", "get", _url("person_archive", "ann"), POST_ONLY),
    Route("person_archive", "post", _url("person_archive", "ann"), (403, 302, 302)),
    Route("person_restore", "get", _url("person_restore", "zed"), POST_ONLY),
    Route("person_restore", "post", _url("person_restore", "zed"), (404, 302, 302)),
    Route("person_delete", "get", _url("person_delete", "jack"), (403, 403, 200)),
    Route("person_delete", "post", _url("person_delete", "jack"), (403, 403, 302)),
    Route("person_link_user", "get", _url("person_link_user", "jack"), (403, 403, 200)),
    Route(
        "person_link_user",
        "post",
        _url("person_link_user", "jack"),
        (403, 403, 302),
        lambda w: {"user": w["bob"].pk},
    ),
    Route("person_interest_add", "get", _url("person_interest_add", "ann"), ALL_OK),
    Route(
        "person_interest_add",
        "post",
        _url("person_interest_add", "ann"),
        ALL_REDIRECT,
        lambda w: {"name": "Birding", "attitude": "likes", "source": "staff_observed"},
    ),
    Route("person_interest_remove", "get", _url("person_interest_remove", "ann", "pi"), POST_ONLY),
    Route(
        "person_interest_remove", "post", _url("person_interest_remove", "ann", "pi"), ALL_REDIRECT
    ),
    Route("relationship_add", "get", _url("relationship_add", "ann"), ALL_OK),
    Route(
        "relationship_add",
        "post",
        _url("relationship_add", "ann"),
        ALL_REDIRECT,
        lambda w: {"other_id": w["jack"].pk, "kind": "friend"},
    ),
    Route("relationship_edit", "get", _url("relationship_edit", "ann", "rel"), ALL_OK),
    Route(
        "relationship_edit",
        "post",
        _url("relationship_edit", "ann", "rel"),
        ALL_REDIRECT,
        lambda w: {"since": "2012-06-30", "notes": "Married at the mill"},
    ),
    Route("relationship_remove", "get", _url("relationship_remove", "ann", "rel"), POST_ONLY),
    Route("relationship_remove", "post", _url("relationship_remove", "ann", "rel"), ALL_REDIRECT),
    Route("membership_add", "get", _url("membership_add", "jack"), ALL_OK),
    Route(
        "membership_add",
        "post",
        _url("membership_add", "jack"),
        ALL_REDIRECT,
        lambda w: {"organisation_id": w["org"].pk, "job_title": "Waiter"},
    ),
    Route("membership_remove", "get", _url("membership_remove", "ann", "membership"), POST_ONLY),
    Route(
        "membership_remove", "post", _url("membership_remove", "ann", "membership"), ALL_REDIRECT
    ),
    Route("organisation_list", "get", _url("organisation_list"), ALL_OK),
    Route("organisation_create", "get", _url("organisation_create"), ALL_OK),
    Route(
        "organisation_create",
        "post",
        _url("organisation_create"),
        ALL_REDIRECT,
        lambda w: {"name": "Fundy Farms", "website": "https://fundy.example"},
    ),
    Route("organisation_detail", "get", _url("organisation_detail", "org"), ALL_OK),
    Route("organisation_edit", "get", _url("organisation_edit", "org"), ALL_OK),
    Route(
        "organisation_edit",
        "post",
        _url("organisation_edit", "org"),
        ALL_REDIRECT,
        lambda w: {"name": "Acme Ltd"},
    ),
    Route(
        "organisation_detail archived",
        "get",
        _url("organisation_detail", "old_org"),
        (404, 200, 200),
    ),
    Route("organisation_archive", "get", _url("organisation_archive", "org"), POST_ONLY),
    Route("organisation_archive", "post", _url("organisation_archive", "org"), (403, 302, 302)),
    Route("organisation_restore", "get", _url("organisation_restore", "old_org"), POST_ONLY),
    Route("organisation_restore", "post", _url("organisation_restore", "old_org"), (404, 302, 302)),
    Route("organisation_delete", "get", _url("organisation_delete", "org"), (403, 403, 200)),
    Route("organisation_delete", "post", _url("organisation_delete", "org"), (403, 403, 302)),
    Route("household_list", "get", _url("household_list"), ALL_OK),
    Route("household_create", "get", _url("household_create"), ALL_OK),
    Route(
        "household_create",
        "post",
        _url("household_create"),
        ALL_REDIRECT,
        lambda w: {"name": "The Quinns", "country": "ca"},
    ),
    Route("household_detail", "get", _url("household_detail", "home"), ALL_OK),
    Route("household_edit", "get", _url("household_edit", "home"), ALL_OK),
    Route(
        "household_edit",
        "post",
        _url("household_edit", "home"),
        ALL_REDIRECT,
        lambda w: {"name": "Harris Hall"},
    ),
    Route("household_delete", "get", _url("household_delete", "home"), (403, 200, 200)),
    Route("household_delete", "post", _url("household_delete", "home"), (403, 302, 302)),
    Route("household_member_add", "get", _url("household_member_add", "home"), ALL_OK),
    Route(
        "household_member_add",
        "post",
        _url("household_member_add", "home"),
        ALL_REDIRECT,
        lambda w: {"person_id": w["jack"].pk},
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
        ALL_REDIRECT,
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
    with django_assert_max_num_queries(7):
        response = bob_client.get(reverse("people:person_list"))
    assert len(response.context["page"].items) == 30


@pytest.mark.parametrize("q", ["morrison", "orriso"])
def test_search_results_query_budget(
    bob_client: Client, django_assert_max_num_queries: Any, q: str
) -> None:
    _many_people(30)
    # Session, user and business (3), one query per search tier (exact name, exact family name,
    # name prefix, family prefix, substring: 5), the page's people and its roles and organisations
    # (3). The count is fixed: it does not grow with the number of people or of matches.
    with django_assert_max_num_queries(11):
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
    for i in range(30):
        interaction_log(actor=alice, person=ann, kind="visit", summary=f"Visit {i}")
    assert home.pk
    return ann


def test_person_page_query_budget(alice: User, django_assert_max_num_queries: Any) -> None:
    ann = _busy_person(alice)
    client = Client()
    client.force_login(alice)
    # 18 for the page itself, 1 for the owner's login choices, plus at most 8 for connections
    # (its most specific interests).
    with django_assert_max_num_queries(27):
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
    assert b"person.create" in maria_client.get(url).content
    assert b"person.create" not in bob_client.get(url).content
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


def test_adding_a_person_who_may_be_a_duplicate_says_who(bob_client: Client) -> None:
    ann = person_create(
        actor=None, given_name="Ann", family_name="Harris", emails=["ann@example.com"]
    ).person
    response = bob_client.post(
        reverse("people:person_create"),
        _person_payload(given_name="Annie", family_name="H", emails="ANN@example.com"),
    )
    assert response.status_code == 201
    assert response.context["duplicates"] == [ann]
    html = response.content.decode()
    assert "This may be" in html
    assert f'href="{reverse("people:person_detail", args=[ann.pk])}"' in html
    assert Person.objects.count() == 2


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
    assert (rel.from_person, rel.to_person, rel.kind) == (jack, ann, "spouse")
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
