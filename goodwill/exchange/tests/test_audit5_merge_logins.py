"""A merge and the two people's logins: never dropped, moved by owners only, shown first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden
from goodwill.core.tests.matrix import db_state
from goodwill.exchange.services.merge import person_merge
from goodwill.exchange.tests.merge_world import login_for, make_merge_world
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import call, token_for
from goodwill.people.tests.api_helpers import db_state as api_db_state

pytestmark = pytest.mark.django_db


def test_a_merge_of_two_people_with_a_login_each_is_refused_naming_both(
    alice: User, bob: User, maria: User
) -> None:
    w = make_merge_world()
    login_for(maria, w.ann)
    login_for(bob, w.annie)
    before = db_state()
    with pytest.raises(Conflict) as caught:
        person_merge(actor=alice, survivor=w.ann, other=w.annie)
    assert caught.value.message == (
        f"Both have a login ({maria.email} for Ann Harris, {bob.email} for Annie Harris-Lee) "
        "and a person has only one: an owner must unlink one of them before they are merged."
    )
    assert db_state() == before
    assert Person.objects.get(pk=w.annie.pk).user == bob


def test_a_manager_may_not_move_an_owners_login(alice: User, maria: User) -> None:
    w = make_merge_world()
    login_for(alice, w.annie)
    before = db_state()
    with pytest.raises(Forbidden) as caught:
        person_merge(actor=maria, survivor=w.ann, other=w.annie)
    assert caught.value.message == (
        f"The login {alice.email} of Annie Harris-Lee would move to Ann Harris, and only an "
        "owner may link a login: an owner must do this merge, or unlink the login first."
    )
    assert db_state() == before


def test_an_owner_moves_the_login_and_the_audit_names_it(alice: User, bob: User) -> None:
    w = make_merge_world()
    login_for(bob, w.annie)
    ann = person_merge(actor=alice, survivor=w.ann, other=w.annie)
    ann.refresh_from_db()
    assert ann.user == bob
    entry = AuditEntry.objects.filter(action="person.merge").latest("pk")
    assert entry.changes["login"] == [None, bob.email]
    assert entry.changes["moved"][1]["login"] == 1


def test_the_merge_screen_says_what_happens_to_the_logins(
    maria_client: Client, alice_client: Client, bob: User, maria: User
) -> None:
    w = make_merge_world()
    login_for(bob, w.annie)
    url = reverse("exchange:person_merge", args=[w.ann.pk]) + f"?other={w.annie.pk}"
    as_owner = alice_client.get(url).content.decode()
    assert f"The login {bob.email} moves to Ann Harris." in as_owner
    as_manager = maria_client.get(url).content.decode()
    assert "only an owner may link a login" in as_manager
    login_for(maria, w.ann)
    both = alice_client.get(url).content.decode()
    assert f"Both have a login ({maria.email} for Ann Harris, {bob.email} for" in both
    assert '<button type="submit" class="danger">' not in both


def test_posting_a_refused_merge_shows_why_and_changes_nothing(
    maria_client: Client, alice: User
) -> None:
    w = make_merge_world()
    login_for(alice, w.annie)
    before = db_state()
    response = maria_client.post(
        reverse("exchange:person_merge", args=[w.ann.pk]), {"other": w.annie.pk}
    )
    assert response.status_code == 403
    assert "an owner must do this merge, or unlink the login first." in response.content.decode()
    assert db_state() == before


def test_the_api_preview_says_what_happens_to_the_logins(maria: User, bob: User) -> None:
    w = make_merge_world()
    login_for(bob, w.annie)
    response = call(
        "get", f"/api/v1/people/{w.ann.pk}/merge?other_id={w.annie.pk}", token_for(maria)
    )
    assert response.status_code == 200
    assert response.json()["login"] == {
        "survivor": None,
        "other": bob.email,
        "outcome": "refused",
        "message": f"The login {bob.email} of Annie Harris-Lee would move to Ann Harris, and only "
        "an owner may link a login: an owner must do this merge, or unlink the login first.",
    }


def test_the_api_refuses_a_merge_of_two_logins_with_409(alice: User, bob: User) -> None:
    w = make_merge_world()
    login_for(alice, w.ann)
    login_for(bob, w.annie)
    token = token_for(alice)
    before = api_db_state()
    body = {"other_id": w.annie.pk}
    response = call("post", f"/api/v1/people/{w.ann.pk}/merge", token, body)
    assert response.status_code == 409
    assert bob.email in response.json()["error"]["message"]
    assert api_db_state() == before
