"""The people API: people, organisations, households, relationships and interests over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.people.models import Interest, Person, PersonInterest, Relationship
from goodwill.people.services import (
    household_create,
    interest_create,
    membership_set,
    organisation_archive,
    organisation_create,
    person_archive,
    person_interest_add,
    person_link_user,
    person_tags_add,
    relationship_create,
)
from goodwill.people.tests.api_helpers import (
    call,
    db_state,
    fill,
    operation_ids,
    role_matrix_test,
)
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    """A small business: Ann (in an organisation and a household, married to Ben), Dee, an
    archived person and organisation, Ann's interest in storm chasing, and quilting, an interest
    nobody holds."""
    ann = make_person(emails=["ann@example.com"], roles=["guest"])
    ben = make_person(given_name="Ben", family_name="Harris")
    dee = make_person(given_name="Dee", family_name="Lee")
    old = make_person(given_name="Tom", family_name="Old")
    person_archive(actor=None, person=old)
    org = organisation_create(actor=None, name="Fundy Farms")
    membership_set(actor=None, person=ann, organisation=org, job_title="Owner")
    old_org = organisation_create(actor=None, name="Old Mill")
    organisation_archive(actor=None, organisation=old_org)
    household = household_create(actor=None, name="Harris household", member_ids=[ann.pk])
    rel = relationship_create(actor=None, person=ben, other=ann, kind="spouse")
    pi = person_interest_add(actor=None, person=ann, name="Storm chasing", source="told_us")
    quilting = interest_create(actor=None, name="Quilting")
    return {
        "ann": ann.pk,
        "ben": ben.pk,
        "dee": dee.pk,
        "old": old.pk,
        "org": org.pk,
        "old_org": old_org.pk,
        "household": household.pk,
        "rel": rel.pk,
        "interest": pi.interest_id,
        "pi": pi.pk,
        "quilting": quilting.pk,
    }


ALL = (200, 200, 200)
CREATED = (201, 201, 201)
MANAGER = (403, 200, 200)
MANAGER_GONE = (403, 204, 204)
OWNER = (403, 403, 200)
# (operation, method, path, body, expected status for (bob staff, maria manager, alice owner))
MATRIX: list[tuple[str, str, str, Any, tuple[int, int, int]]] = [
    ("person_list", "get", "/api/v1/people", None, ALL),
    ("person_list?q", "get", "/api/v1/people?q=ann", None, ALL),
    ("person_create", "post", "/api/v1/people", {"given_name": "Cy"}, CREATED),
    ("person_get", "get", "/api/v1/people/{ann}", None, ALL),
    ("person_update", "patch", "/api/v1/people/{ann}", {"preferred_name": "Annie"}, ALL),
    ("person_archive", "post", "/api/v1/people/{ann}/archive", None, MANAGER),
    ("person_restore", "post", "/api/v1/people/{old}/restore", None, MANAGER),
    ("person_delete", "delete", "/api/v1/people/{ben}", None, (403, 403, 204)),
    ("person_link_user", "put", "/api/v1/people/{dee}/user", {"user_id": None}, OWNER),
    ("membership_set", "put", "/api/v1/people/{ben}/organisations/{org}", {}, ALL),
    (
        "membership_remove",
        "delete",
        "/api/v1/people/{ann}/organisations/{org}",
        None,
        MANAGER_GONE,
    ),
    ("organisation_list", "get", "/api/v1/organisations", None, ALL),
    ("organisation_create", "post", "/api/v1/organisations", {"name": "Cove Co"}, CREATED),
    ("organisation_get", "get", "/api/v1/organisations/{org}", None, ALL),
    ("organisation_update", "patch", "/api/v1/organisations/{org}", {"notes": "Eggs"}, ALL),
    ("organisation_archive", "post", "/api/v1/organisations/{org}/archive", None, MANAGER),
    ("organisation_restore", "post", "/api/v1/organisations/{old_org}/restore", None, MANAGER),
    ("organisation_delete", "delete", "/api/v1/organisations/{org}", None, (403, 403, 204)),
    ("household_list", "get", "/api/v1/households", None, ALL),
    ("household_create", "post", "/api/v1/households", {"name": "Lee household"}, CREATED),
    ("household_get", "get", "/api/v1/households/{household}", None, ALL),
    ("household_update", "patch", "/api/v1/households/{household}", {"notes": "Dog"}, ALL),
    ("household_delete", "delete", "/api/v1/households/{household}", None, MANAGER_GONE),
    ("relationship_list", "get", "/api/v1/relationships", None, ALL),
    ("relationship_list?person_id", "get", "/api/v1/relationships?person_id={ann}", None, ALL),
    (
        "relationship_create",
        "post",
        "/api/v1/relationships",
        {"person_id": "{ben}", "other_id": "{dee}", "kind": "friend"},
        CREATED,
    ),
    ("relationship_get", "get", "/api/v1/relationships/{rel}", None, ALL),
    ("relationship_update", "patch", "/api/v1/relationships/{rel}", {"notes": "Wed 1999"}, ALL),
    ("relationship_delete", "delete", "/api/v1/relationships/{rel}", None, MANAGER_GONE),
    ("interest_list", "get", "/api/v1/interests", None, ALL),
    ("interest_create", "post", "/api/v1/interests", {"name": "Sea kayaking"}, CREATED),
    ("interest_create?existing", "post", "/api/v1/interests", {"name": "quilting"}, CREATED),
    ("interest_get", "get", "/api/v1/interests/{interest}", None, ALL),
    ("interest_update", "patch", "/api/v1/interests/{interest}", {"name": "Twisters"}, MANAGER),
    ("interest_delete", "delete", "/api/v1/interests/{quilting}", None, MANAGER_GONE),
    ("person_interest_list", "get", "/api/v1/person-interests?person_id={ann}", None, ALL),
    (
        "person_interest_create",
        "post",
        "/api/v1/person-interests",
        {"person_id": "{ben}", "interest": "Birding", "source": "told_us"},
        CREATED,
    ),
    ("person_interest_get", "get", "/api/v1/person-interests/{pi}", None, ALL),
    ("person_interest_update", "patch", "/api/v1/person-interests/{pi}", {"note": "Kansas"}, ALL),
    (
        "person_interest_delete",
        "delete",
        "/api/v1/person-interests/{pi}",
        None,
        MANAGER_GONE,
    ),
]


test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_people_operation_is_in_the_matrix() -> None:
    tags = ["people", "organisations", "households", "relationships", "interests"]
    tags.append("person interests")
    assert operation_ids(*tags) == {m[0].split("?")[0] for m in MATRIX}


def test_staff_cannot_remove_a_relationship_and_nothing_changes(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    response = call("delete", f"/api/v1/relationships/{world['rel']}", tokens["bob"])
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Your role does not allow this.", "fields": {}}}
    assert db_state() == before
    assert Relationship.objects.filter(pk=world["rel"]).exists()


def test_it_creates_a_person_and_returns_possible_duplicates(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {
        "given_name": "Annie",
        "family_name": "Harris",
        "emails": ["ANN@example.com", "annie@example.org"],
        "phones": ["+1 902 555 0101"],
        "roles": ["guest", "lead"],
        "country": "ca",
    }
    response = call("post", "/api/v1/people", tokens["bob"], body)
    assert response.status_code == 201
    data = response.json()
    person = Person.objects.get(pk=data["id"])
    assert data["emails"] == ["ann@example.com", "annie@example.org"]
    assert data["phones"] == ["+19025550101"]
    assert data["roles"] == ["guest", "lead"]
    assert data["country"] == "CA"
    assert data["archived"] is False
    assert data["organisations"] == []
    assert data["duplicates"] == [
        {"id": world["ann"], "name": "Ann Harris", "email": "ann@example.com", "phone": ""}
    ]
    assert person.full_name == "Annie Harris"


def test_it_shows_a_person_with_organisations_and_household(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    data = call("get", f"/api/v1/people/{world['ann']}", tokens["bob"]).json()
    assert data["organisations"] == [
        {
            "id": world["org"],
            "name": "Fundy Farms",
            "job_title": "Owner",
            "source": "told_us",
            "source_detail": "",
        }
    ]
    assert data["household_id"] == world["household"]
    assert data["emails"] == ["ann@example.com"]
    assert sorted(data) == sorted(
        ["id", "given_name", "family_name", "preferred_name", "emails", "phones", "roles"]
        + ["street", "locality", "region", "postal_code", "country", "language", "time_zone"]
        + ["notes", "household_id", "organisations", "archived", "created_at", "updated_at"]
        + ["source", "source_detail", "created_by_id", "contacts", "tags"]
    )


def test_a_person_keeps_how_we_know_them_and_who_added_them(
    tokens: dict[str, str | None], bob: User, maria: User
) -> None:
    told = call("post", "/api/v1/people", tokens["bob"], {"given_name": "Cy"}).json()
    form = call(
        "post", "/api/v1/people", tokens["bob"], {"given_name": "Di", "source": "form"}
    ).json()
    assert (told["source"], told["created_by_id"]) == ("told_us", bob.pk)
    assert (form["source"], form["created_by_id"]) == ("form", bob.pk)
    changed = call(
        "patch", f"/api/v1/people/{form['id']}", tokens["maria"], {"source": "staff_observed"}
    ).json()
    assert (changed["source"], changed["created_by_id"]) == ("staff_observed", bob.pk)
    assert Person.objects.get(pk=form["id"]).source == "staff_observed"


def test_an_unknown_source_is_422_naming_source(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    created = call("post", "/api/v1/people", tokens["bob"], {"given_name": "Cy", "source": "x"})
    updated = call("patch", f"/api/v1/people/{world['ann']}", tokens["bob"], {"source": "x"})
    assert (created.status_code, updated.status_code) == (422, 422)
    assert created.json()["error"]["fields"] == {"source": ["Unknown source x."]}
    assert updated.json()["error"]["fields"] == {"source": ["Unknown source x."]}
    assert db_state() == before


def test_an_archived_person_is_not_found_for_staff_but_shown_to_managers(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    staff = call("get", f"/api/v1/people/{world['old']}", tokens["bob"])
    manager = call("get", f"/api/v1/people/{world['old']}", tokens["maria"])
    assert staff.status_code == 404
    assert staff.json() == {"error": {"message": "No such person.", "fields": {}}}
    assert manager.status_code == 200
    assert manager.json()["archived"] is True


def test_managers_search_archived_people_with_archived_true(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    def found(token: str | None, query: str) -> list[int]:
        response = call("get", f"/api/v1/people?{query}", token)
        assert response.status_code == 200
        return [p["id"] for p in response.json()["items"]]

    assert found(tokens["maria"], "q=old") == []
    assert found(tokens["maria"], "q=old&archived=true") == [world["old"]]
    assert found(tokens["bob"], "q=old&archived=true") == []  # staff: the usual search


def test_it_answers_404_for_a_person_that_does_not_exist(tokens: dict[str, str | None]) -> None:
    response = call("patch", "/api/v1/people/999999", tokens["alice"], {"notes": "x"})
    assert response.status_code == 404


def test_staff_cannot_archive_and_nothing_changes(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    response = call("post", f"/api/v1/people/{world['ann']}/archive", tokens["bob"])
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Your role does not allow this.", "fields": {}}}
    assert db_state() == before
    assert Person.objects.get(pk=world["ann"]).archived_at is None


def test_a_person_with_a_login_cannot_be_deleted(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    person_link_user(actor=None, person=Person.objects.get(pk=world["ben"]), user=bob)
    before = db_state()
    response = call("delete", f"/api/v1/people/{world['ben']}", tokens["alice"])
    assert response.status_code == 409
    assert db_state() == before


def test_an_owner_links_a_login_to_a_person_and_unlinks_it(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    url = f"/api/v1/people/{world['dee']}/user"
    linked = call("put", url, tokens["alice"], {"user_id": bob.pk})
    assert linked.status_code == 200
    assert linked.json()["id"] == world["dee"]
    assert linked.json()["user_id"] == bob.pk
    assert linked.json()["roles"] == ["staff"]
    assert Person.objects.get(pk=world["dee"]).user == bob
    unlinked = call("put", url, tokens["alice"], {"user_id": None})
    assert unlinked.status_code == 200
    assert unlinked.json()["user_id"] is None
    assert Person.objects.get(pk=world["dee"]).user is None


def test_a_manager_cannot_link_a_login_and_nothing_changes(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    before = db_state()
    url = f"/api/v1/people/{world['dee']}/user"
    response = call("put", url, tokens["maria"], {"user_id": bob.pk})
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "Your role does not allow this.", "fields": {}}}
    assert db_state() == before
    assert Person.objects.get(pk=world["dee"]).user is None


def test_linking_an_unknown_login_is_a_422_naming_user_id(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    url = f"/api/v1/people/{world['dee']}/user"
    response = call("put", url, tokens["alice"], {"user_id": 999999})
    assert response.status_code == 422
    assert response.json() == {
        "error": {"message": "user_id: No such user.", "fields": {"user_id": ["No such user."]}}
    }
    assert db_state() == before


def test_linking_a_login_needs_user_id_in_the_body(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call("put", f"/api/v1/people/{world['dee']}/user", tokens["alice"], {})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"user_id": ["This field is required."]}


def test_linking_a_login_already_linked_elsewhere_is_a_409(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    person_link_user(actor=None, person=Person.objects.get(pk=world["ben"]), user=bob)
    before = db_state()
    url = f"/api/v1/people/{world['dee']}/user"
    response = call("put", url, tokens["alice"], {"user_id": bob.pk})
    assert response.status_code == 409
    assert response.json() == {
        "error": {"message": "This user is already linked to another person.", "fields": {}}
    }
    assert db_state() == before


def test_it_rejects_an_unknown_field_naming_it(tokens: dict[str, str | None]) -> None:
    before = db_state()
    response = call("post", "/api/v1/people", tokens["bob"], {"given_name": "Cy", "nickname": "C"})
    assert response.status_code == 422
    assert response.json() == {
        "error": {"message": "nickname: Unknown field.", "fields": {"nickname": ["Unknown field."]}}
    }
    assert db_state() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/people", {"given_name": "Cy", "emails": ["cy@"]}, "emails"),
        ("/api/v1/people", {"given_name": "Cy", "phones": ["call me maybe"]}, "phones"),
        ("/api/v1/people", {"given_name": "Cy", "roles": ["overlord"]}, "roles"),
        ("/api/v1/people", {"given_name": " "}, "given_name"),
        ("/api/v1/people", {"given_name": "Cy", "emails": "cy@example.com"}, "emails"),
        ("/api/v1/people", {"given_name": "Cy", "household_id": "x"}, "household_id"),
        (
            "/api/v1/relationships",
            {"person_id": "{ann}", "other_id": "{ann}", "kind": "friend"},
            "other_id",
        ),
        ("/api/v1/relationships", {"person_id": "{ann}", "kind": "friend"}, "other_id"),
        (
            "/api/v1/person-interests",
            {"person_id": "{ann}", "interest": "Tea", "source": "scraped"},
            "source",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    tokens: dict[str, str | None], world: dict[str, int], path: str, body: Any, field: str
) -> None:
    before = db_state()
    response = call("post", path, tokens["bob"], fill(body, world))
    assert response.status_code == 422, response.content
    assert list(response.json()["error"]["fields"]) == [field]
    assert response.json()["error"]["message"].startswith(f"{field}: ")
    assert db_state() == before


def test_a_query_parameter_out_of_range_is_422_naming_it(tokens: dict[str, str | None]) -> None:
    response = call("get", "/api/v1/people?limit=0", tokens["bob"])
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["limit"]


def test_a_body_that_is_not_json_is_400(tokens: dict[str, str | None]) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens['bob']}")
    response = client.post("/api/v1/people", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "Cannot parse request body", "fields": {}}}


def test_idempotency_key_replays_the_first_response_and_creates_one_row(
    tokens: dict[str, str | None],
) -> None:
    body = {"given_name": "Cy", "family_name": "Young"}
    first = call("post", "/api/v1/people", tokens["bob"], body, **{"Idempotency-Key": "k-1"})
    again = call("post", "/api/v1/people", tokens["bob"], body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(given_name="Cy").count() == 1


def test_the_same_idempotency_key_from_another_user_is_another_request(
    tokens: dict[str, str | None],
) -> None:
    body = {"given_name": "Cy"}
    call("post", "/api/v1/people", tokens["bob"], body, **{"Idempotency-Key": "same"})
    other = call("post", "/api/v1/people", tokens["maria"], body, **{"Idempotency-Key": "same"})
    assert other.status_code == 201
    assert Person.objects.filter(given_name="Cy").count() == 2


def test_an_idempotency_key_reused_for_another_request_is_409(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    call(
        "post", "/api/v1/people", tokens["maria"], {"given_name": "Cy"}, **{"Idempotency-Key": "x"}
    )
    before = db_state()
    path = f"/api/v1/people/{world['ann']}/archive"
    response = call("post", path, tokens["maria"], **{"Idempotency-Key": "x"})
    assert response.status_code == 409
    assert list(response.json()["error"]["fields"]) == ["Idempotency-Key"]
    assert db_state() == before


def test_a_refused_request_is_not_remembered_for_its_idempotency_key(
    tokens: dict[str, str | None],
) -> None:
    bad = call(
        "post", "/api/v1/people", tokens["bob"], {"given_name": " "}, **{"Idempotency-Key": "r"}
    )
    good = call(
        "post", "/api/v1/people", tokens["bob"], {"given_name": "Cy"}, **{"Idempotency-Key": "r"}
    )
    assert bad.status_code == 422
    assert good.status_code == 201
    assert Person.objects.filter(given_name="Cy").count() == 1


def test_cursor_pagination_walks_every_person_once(tokens: dict[str, str | None]) -> None:
    names = ["Ann", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus"]
    for name in names:
        make_person(given_name=name, family_name="Harris")
    seen: list[str] = []
    cursor = ""
    for _page in range(10):
        data = call("get", f"/api/v1/people?limit=3&cursor={cursor}", tokens["bob"]).json()
        seen += [p["given_name"] for p in data["items"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert seen == names


def test_search_pages_rank_name_prefixes_before_family_names_without_repeats(
    tokens: dict[str, str | None],
) -> None:
    for given in ["Harriet", "Hal", "Annie"]:
        make_person(given_name=given, family_name="Harris")
    make_person(given_name="Harris", family_name="Jones")
    first = call("get", "/api/v1/people?q=har&limit=2", tokens["bob"]).json()
    path = f"/api/v1/people?q=har&limit=2&cursor={first['next_cursor']}"
    second = call("get", path, tokens["bob"]).json()
    names = [f"{p['given_name']} {p['family_name']}" for p in first["items"] + second["items"]]
    assert names == ["Harriet Harris", "Harris Jones", "Annie Harris", "Hal Harris"]
    assert second["next_cursor"] is None


def test_the_people_list_filters_by_role_interest_and_organisation(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    def ids(query: str) -> list[int]:
        data = call("get", f"/api/v1/people?{query}", tokens["bob"]).json()
        return [p["id"] for p in data["items"]]

    assert ids("role=guest") == [world["ann"]]
    assert ids("interest=storm-chasing") == [world["ann"]]
    assert ids(f"organisation_id={world['org']}") == [world["ann"]]
    assert ids(f"household_id={world['household']}") == [world["ann"]]
    assert ids("role=supplier") == []


def test_the_people_list_costs_the_same_queries_for_many_people(
    tokens: dict[str, str | None], world: dict[str, int], django_assert_max_num_queries: Any
) -> None:
    call("get", "/api/v1/people", tokens["bob"])  # notes the token's first use
    for i in range(30):
        person = make_person(
            given_name=f"Guest{i}", emails=[f"g{i}@example.com"], phones=[f"+1902555{i:04d}"]
        )
        give_interests(person, "tea")
        person_tags_add(actor=None, person=person, names=["VIP", f"Table {i}"])
    # The token, the people, and their emails, phones, roles, organisations and tags.
    with django_assert_max_num_queries(7):
        response = call("get", "/api/v1/people?limit=50", tokens["bob"])
    assert len(response.json()["items"]) == 33
    guest0 = next(p for p in response.json()["items"] if p["given_name"] == "Guest0")
    assert [t["name"] for t in guest0["tags"]] == ["Table 0", "VIP"]


def test_it_relates_two_people_in_both_directions(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    body = {"person_id": world["dee"], "other_id": world["ben"], "kind": "child", "since": None}
    response = call("post", "/api/v1/relationships", tokens["bob"], body)
    assert response.status_code == 201
    data = response.json()
    assert (data["person_id"], data["other_id"], data["kind"]) == (
        world["ben"],
        world["dee"],
        "parent",
    )
    listed = call("get", f"/api/v1/relationships?person_id={world['dee']}", tokens["bob"]).json()
    assert [r["id"] for r in listed["items"]] == [data["id"]]
    assert Relationship.objects.count() == 2


def test_a_person_interest_keeps_its_source_and_who_noted_it(
    tokens: dict[str, str | None], world: dict[str, int], bob: User
) -> None:
    body = {"person_id": world["ben"], "interest": "Storm-Chasing", "source": "staff_observed"}
    data = call("post", "/api/v1/person-interests", tokens["bob"], body).json()
    assert data["interest_id"] == world["interest"]
    assert (data["interest"], data["source"], data["noted_by_id"]) == (
        "Storm chasing",
        "staff_observed",
        bob.pk,
    )
    interest = call("get", f"/api/v1/interests/{world['interest']}", tokens["bob"]).json()
    assert interest["people_count"] == 2


def test_creating_an_interest_in_another_spelling_returns_the_existing_one_with_201(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call("post", "/api/v1/interests", tokens["bob"], {"name": "STORM-chasing"})
    assert response.status_code == 201
    assert response.json() == {
        "id": world["interest"],
        "name": "Storm chasing",
        "key": "storm chasing",
        "people_count": 1,
    }
    assert Interest.objects.count() == 2
    assert AuditEntry.objects.filter(action="interest.create", actor__isnull=False).count() == 0


def test_creating_a_new_interest_is_audited_as_the_caller(
    tokens: dict[str, str | None], bob: User
) -> None:
    response = call("post", "/api/v1/interests", tokens["bob"], {"name": " Sea-kayaking "})
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["key"]) == ("Sea kayaking", "sea kayaking")
    entry = AuditEntry.objects.get(action="interest.create")
    assert (entry.actor, entry.target_id, entry.changes) == (
        bob,
        response.json()["id"],
        {"name": [None, "Sea kayaking"]},
    )


def test_an_empty_interest_name_is_422_naming_name(tokens: dict[str, str | None]) -> None:
    before = db_state()
    response = call("post", "/api/v1/interests", tokens["bob"], {"name": " - "})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name": ["Enter an interest."]}
    assert db_state() == before


def test_a_manager_renames_an_interest_and_its_key_follows(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    path = f"/api/v1/interests/{world['interest']}"
    response = call("patch", path, tokens["maria"], {"name": "Tornado-chasing"})
    assert response.status_code == 200
    assert response.json() == {
        "id": world["interest"],
        "name": "Tornado chasing",
        "key": "tornado chasing",
        "people_count": 1,
    }
    assert PersonInterest.objects.get(pk=world["pi"]).interest.name == "Tornado chasing"


def test_renaming_an_interest_to_another_ones_name_is_409_naming_name(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    before = db_state()
    path = f"/api/v1/interests/{world['interest']}"
    response = call("patch", path, tokens["maria"], {"name": "QUILTING"})
    assert response.status_code == 409
    message = "Another interest is already called Quilting."
    assert response.json() == {"error": {"message": message, "fields": {"name": [message]}}}
    assert db_state() == before


def test_an_interest_someone_holds_cannot_be_deleted(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    give_interests(Person.objects.get(pk=world["ben"]), "storm chasing", attitude="dislikes")
    before = db_state()
    response = call("delete", f"/api/v1/interests/{world['interest']}", tokens["maria"])
    assert response.status_code == 409
    assert response.json() == {
        "error": {"message": "2 people still like or dislike this interest.", "fields": {}}
    }
    assert db_state() == before


def test_a_manager_deletes_an_interest_nobody_holds(
    tokens: dict[str, str | None], world: dict[str, int]
) -> None:
    response = call("delete", f"/api/v1/interests/{world['quilting']}", tokens["maria"])
    assert response.status_code == 204
    assert list(Interest.objects.values_list("name", flat=True)) == ["Storm chasing"]


def test_an_idempotency_key_reused_with_another_body_is_409(
    tokens: dict[str, str | None],
) -> None:
    first = call(
        "post", "/api/v1/people", tokens["bob"], {"given_name": "Cy"}, **{"Idempotency-Key": "b"}
    )
    before = db_state()
    again = call(
        "post", "/api/v1/people", tokens["bob"], {"given_name": "Di"}, **{"Idempotency-Key": "b"}
    )
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json() == {
        "error": {
            "message": "This Idempotency-Key was already used with another request body.",
            "fields": {"Idempotency-Key": ["Use a new key for a new request."]},
        }
    }
    assert db_state() == before


def test_an_idempotent_repeat_may_order_its_json_keys_differently(
    tokens: dict[str, str | None],
) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {tokens['bob']}", HTTP_IDEMPOTENCY_KEY="o")
    first = client.post(
        "/api/v1/people",
        data='{"given_name": "Cy", "family_name": "Young"}',
        content_type="application/json",
    )
    again = client.post(
        "/api/v1/people",
        data='{"family_name":"Young","given_name":"Cy"}',
        content_type="application/json",
    )
    assert first.status_code == 201
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(given_name="Cy").count() == 1
