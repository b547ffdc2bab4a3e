"""Erasure as the owner meets it: a person with a login (what to do, said before and after
typing the name), a double-clicked Erase, the name box's own message, and the API's refusal of
fields it does not know."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.accounts.services import user_update
from goodwill.core.errors import Conflict, NotFound
from goodwill.core.tests.matrix import db_state
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.tests.access_world import NAME, AccessWorld, make_access_world
from goodwill.people.models import Person
from goodwill.people.services import person_link_user
from goodwill.people.tests.api_helpers import call, token_for

pytestmark = pytest.mark.django_db
UNLINK_FIRST = (
    "This person has a login (bob@example.com). Unlink it first: on their page, under “Login”, "
    "press “Unlink” (or choose “No login” and save); then erase them."
)


@pytest.fixture
def world(maria: User, bob: User) -> AccessWorld:
    return make_access_world(maria, bob)


@pytest.fixture
def owner(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def _erase_url(person: Person) -> str:
    return reverse("exchange:person_erase", args=[person.pk])


def _html(content: bytes) -> str:
    return content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# --- a person with a login -------------------------------------------------------------------


def test_erasing_someone_with_a_login_says_to_unlink_it(
    world: AccessWorld, alice: User, bob: User
) -> None:
    person_link_user(actor=alice, person=world.zelda, user=bob)
    before = db_state()
    with pytest.raises(Conflict) as exc:
        person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    assert exc.value.message == UNLINK_FIRST
    assert db_state() == before


def test_deactivating_the_login_is_not_enough_but_unlinking_it_is(
    world: AccessWorld, alice: User, bob: User
) -> None:
    person_link_user(actor=alice, person=world.zelda, user=bob)
    user_update(actor=alice, user=bob, is_active=False)
    with pytest.raises(Conflict) as exc:
        person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    assert "deactivate" not in exc.value.message
    person_link_user(actor=alice, person=world.zelda, user=None)
    zelda = Person.objects.get(pk=world.zelda.pk)
    person_erase(actor=alice, person=zelda, confirm_name=NAME)
    assert not Person.objects.filter(pk=world.zelda.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()


def test_the_erase_page_says_up_front_that_the_login_must_be_unlinked(
    world: AccessWorld, alice: User, bob: User, owner: Client
) -> None:
    person_link_user(actor=alice, person=world.zelda, user=bob)
    response = owner.get(_erase_url(world.zelda))
    html = _html(response.content)
    assert response.status_code == 200
    assert f'<div class="message error" id="erase-refusal" role="alert"><p>{UNLINK_FIRST}</p>' in (
        html
    )
    person_page = reverse("people:person_detail", args=[world.zelda.pk])
    assert f'<a href="{person_page}#login">Go to their login</a>' in html


def test_the_erase_page_of_someone_without_a_login_has_no_such_warning(
    world: AccessWorld, owner: Client
) -> None:
    response = owner.get(_erase_url(world.zelda))
    assert response.status_code == 200
    assert b'id="erase-refusal"' not in response.content


def test_posting_anyway_shows_the_form_with_what_to_do(
    world: AccessWorld, alice: User, bob: User, owner: Client
) -> None:
    person_link_user(actor=alice, person=world.zelda, user=bob)
    before = db_state()
    response = owner.post(_erase_url(world.zelda), {"confirm_name": NAME})
    html = _html(response.content)
    assert response.status_code == 409
    assert 'name="confirm_name"' in html
    assert f"<p>{UNLINK_FIRST}</p>" in html
    assert db_state() == before


def test_the_api_says_to_unlink_the_login(world: AccessWorld, alice: User, bob: User) -> None:
    person_link_user(actor=alice, person=world.zelda, user=bob)
    response = call(
        "delete", f"/api/v1/people/{world.zelda.pk}/data", token_for(alice), {"confirm_name": NAME}
    )
    assert response.status_code == 409
    assert response.json() == {"error": {"message": UNLINK_FIRST, "fields": {}}}
    assert Person.objects.filter(pk=world.zelda.pk).exists()


# --- double click, and the name box's message ------------------------------------------------


def test_a_second_erase_post_lands_on_the_people_list_saying_they_were_erased(
    world: AccessWorld, owner: Client
) -> None:
    first = owner.post(_erase_url(world.zelda), {"confirm_name": NAME})
    assert (first.status_code, first["Location"]) == (302, reverse("people:person_list"))
    owner.get(first["Location"])  # the first answer's message is read
    second = owner.post(_erase_url(world.zelda), {"confirm_name": NAME}, follow=True)
    assert second.redirect_chain == [(reverse("people:person_list"), 302)]
    assert [str(m) for m in second.context["messages"]] == ["The person was erased."]


def test_an_erase_post_for_someone_gone_otherwise_says_they_are_gone(
    db: None, owner: Client
) -> None:
    response = owner.post("/people/999999/erase/", {"confirm_name": "Nobody"}, follow=True)
    assert response.redirect_chain == [(reverse("people:person_list"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["That person is no longer here."]


def test_the_page_of_someone_gone_is_still_not_found(db: None, owner: Client) -> None:
    assert owner.get("/people/999999/erase/").status_code == 404


def test_erasing_twice_with_the_same_person_in_hand_is_not_found(
    world: AccessWorld, alice: User
) -> None:
    """The second of two posts read the person before the first erased them."""
    zelda = world.zelda
    person_erase(actor=alice, person=zelda, confirm_name=NAME)
    with pytest.raises(NotFound):
        person_erase(actor=alice, person=zelda, confirm_name=NAME)


def test_a_wrong_name_is_said_under_the_box_without_the_field_key(
    world: AccessWorld, owner: Client
) -> None:
    response = owner.post(_erase_url(world.zelda), {"confirm_name": "Zelda"})
    html = _html(response.content)
    assert response.status_code == 422
    error = '<p class="error" id="confirm-error">Type the person\'s full name to confirm.</p>'
    assert error in html
    assert "confirm_name:" not in html


# --- API input -------------------------------------------------------------------------------


def test_the_api_refuses_an_unknown_field_and_erases_nothing(
    world: AccessWorld, alice: User
) -> None:
    response = call(
        "delete",
        f"/api/v1/people/{world.zelda.pk}/data",
        token_for(alice),
        {"confirm_name": NAME, "extra": 1},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"extra": ["Unknown field."]}
    assert Person.objects.filter(pk=world.zelda.pk).exists()
