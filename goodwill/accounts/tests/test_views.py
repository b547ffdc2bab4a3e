"""Log in/out and settings pages: every route × role, tokens and passwords shown once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import ApiToken, User
from goodwill.accounts.services import business_get, token_authenticate, token_create
from goodwill.core.testing import PASSWORD
from goodwill.core.tests.matrix import ROLES, Route, check_route, client_for, db_state, effect


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    """The business profile exists before any snapshot (pages create it on first use)."""
    business_get()


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    token, _raw = token_create(actor=None, user=bob, name="bob's laptop")
    return {"alice": alice, "maria": maria, "bob": bob, "charlie": charlie, "token": token}


def _url(name: str, *keys: str) -> Any:
    return lambda w: reverse(f"accounts:{name}", args=[w[k].pk for k in keys])


BUSINESS = {
    "name": "Harris Hall B&B",
    "address": "1 Main St",
    "time_zone": "America/Halifax",
    "phone_region": "ca",
    "currency": "cad",
}
OWNER_ONLY_PAGE = (403, 403, 200)
ROUTES = [
    Route("settings", "get", _url("settings"), (200, 200, 200)),
    Route("business_edit", "get", _url("business_edit"), OWNER_ONLY_PAGE),
    Route(
        "business_edit",
        "post",
        _url("business_edit"),
        (403, 403, 302),
        lambda w: BUSINESS,
        audit="business.update",
        check=effect(lambda w, _u: business_get().time_zone, "America/Halifax"),
    ),
    Route("user_list", "get", _url("user_list"), OWNER_ONLY_PAGE),
    Route("user_create", "get", _url("user_create"), (405, 405, 405)),
    Route(
        "user_create",
        "post",
        _url("user_create"),
        (403, 403, 201),
        lambda w: {"email": "dave@example.com", "role": "staff"},
        audit="user.create",
        check=effect(
            lambda w, _u: list(User.objects.filter(email="dave@example.com").values_list("role")),
            [("staff",)],
        ),
    ),
    Route("user_update", "get", _url("user_update", "bob"), (405, 405, 405)),
    Route(
        "user_update",
        "post",
        _url("user_update", "bob"),
        (403, 403, 302),
        lambda w: {"role": "manager", "is_active": "on"},
        audit="user.update",
        check=effect(lambda w, _u: User.objects.get(pk=w["bob"].pk).role, "manager"),
    ),
    Route("token_list", "get", _url("token_list"), (200, 200, 200)),
    Route("token_create", "get", _url("token_create"), (405, 405, 405)),
    Route(
        "token_create",
        "post",
        _url("token_create"),
        (201, 201, 201),
        lambda w: {"name": "POS"},
        audit="token.create",
        check=effect(
            lambda w, user: ApiToken.objects.filter(name="POS", user=user, revoked_at=None).count(),
            1,
        ),
    ),
    Route("token_revoke", "get", _url("token_revoke", "token"), (405, 405, 405)),
    Route(
        "token_revoke",
        "post",
        _url("token_revoke", "token"),
        (302, 404, 302),
        audit="token.revoke",
        check=effect(
            lambda w, _u: ApiToken.objects.get(pk=w["token"].pk).revoked_at is not None, True
        ),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


@pytest.mark.parametrize("role", ROLES)
def test_login_page_is_open_and_sends_logged_in_users_on(role: str, world: dict[str, Any]) -> None:
    client = client_for(role, world)
    before = db_state()
    response = client.get(reverse("accounts:login"))
    if role in ("anonymous", "charlie"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("occasions:today")
    assert db_state() == before


@pytest.mark.parametrize("role", ROLES)
def test_logout_is_post_only(role: str, world: dict[str, Any]) -> None:
    client = client_for(role, world)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("people:person_list")).status_code == 302


def test_every_accounts_url_is_tested() -> None:
    from goodwill.accounts.urls import urlpatterns

    tested = {r.name for r in ROUTES} | {"login", "logout"}
    assert {p.name for p in urlpatterns} == tested


def test_it_logs_in_with_email_and_password(bob: User) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "BOB@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("occasions:today")
    assert client.get(reverse("people:person_list")).status_code == 200


def test_a_deactivated_user_cannot_log_in(charlie: User) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "charlie@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert client.get(reverse("people:person_list")).status_code == 302


def test_a_wrong_password_is_refused(bob: User) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "bob@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_owner_edits_the_business_profile(alice_client: Client) -> None:
    response = alice_client.post(reverse("accounts:business_edit"), BUSINESS)
    business = business_get()
    assert response.status_code == 302
    assert (business.name, business.time_zone, business.phone_region, business.currency) == (
        "Harris Hall B&B",
        "America/Halifax",
        "CA",
        "CAD",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus"), ("phone_region", "ZZ"), ("currency", "E1")],
)
def test_bad_business_values_are_shown_on_their_field(
    alice_client: Client, field: str, value: str
) -> None:
    before = db_state()
    response = alice_client.post(reverse("accounts:business_edit"), BUSINESS | {field: value})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert db_state() == before


def _assert_not_cached(response: Any) -> None:
    """A page showing a secret must not be stored by the browser or a proxy."""
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "private", "max-age=0"} <= directives
    assert "Expires" in response


def test_owner_creates_a_user_and_sees_the_password_once(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("accounts:user_create"), {"email": "Dave@Example.com", "role": "manager"}
    )
    dave = User.objects.get(email="dave@example.com")
    password = response.context["password"]
    assert response.status_code == 201
    assert dave.role == "manager"
    assert dave.check_password(password)
    assert password in response.content.decode()
    assert password not in alice_client.get(reverse("accounts:user_list")).content.decode()
    _assert_not_cached(response)


def test_a_bad_or_taken_email_is_shown_on_the_email_field(alice_client: Client) -> None:
    before = db_state()
    bad = alice_client.post(reverse("accounts:user_create"), {"email": "nope", "role": "staff"})
    taken = alice_client.post(
        reverse("accounts:user_create"), {"email": "alice@example.com", "role": "staff"}
    )
    assert bad.status_code == 422
    assert list(bad.context["form"].errors) == ["email"]
    assert taken.status_code == 409
    assert list(taken.context["form"].errors) == ["email"]
    assert db_state() == before


def test_owner_changes_a_role_and_deactivates(alice_client: Client, bob: User) -> None:
    url = reverse("accounts:user_update", args=[bob.pk])
    alice_client.post(url, {"role": "manager", "is_active": "on"})
    bob.refresh_from_db()
    assert (bob.role, bob.is_active) == ("manager", True)
    alice_client.post(url, {"role": "manager"})
    bob.refresh_from_db()
    assert bob.is_active is False


def test_the_last_owner_cannot_demote_themselves(alice_client: Client, alice: User) -> None:
    before = db_state()
    response = alice_client.post(
        reverse("accounts:user_update", args=[alice.pk]), {"role": "staff", "is_active": "on"}
    )
    assert response.status_code == 409
    assert b"at least one active owner" in response.content
    assert db_state() == before


def test_a_new_token_is_shown_once_and_works(bob_client: Client, bob: User) -> None:
    response = bob_client.post(reverse("accounts:token_create"), {"name": "POS"})
    raw = response.context["raw"]
    assert response.status_code == 201
    assert raw in response.content.decode()
    assert token_authenticate(raw=raw) == bob
    assert raw not in bob_client.get(reverse("accounts:token_list")).content.decode()
    _assert_not_cached(response)


def test_an_empty_token_name_is_refused(bob_client: Client) -> None:
    before = db_state()
    response = bob_client.post(reverse("accounts:token_create"), {"name": ""})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["name"]
    assert db_state() == before


def test_staff_see_their_own_tokens_and_owners_see_all(
    bob_client: Client, alice_client: Client, bob: User, maria: User
) -> None:
    token_create(actor=None, user=bob, name="bob-token")
    token_create(actor=None, user=maria, name="maria-token")
    bob_page = bob_client.get(reverse("accounts:token_list")).content.decode()
    alice_page = alice_client.get(reverse("accounts:token_list")).content.decode()
    assert "bob-token" in bob_page
    assert "maria-token" not in bob_page
    assert "bob-token" in alice_page
    assert "maria-token" in alice_page


def test_a_revoked_token_stops_working(bob_client: Client, bob: User) -> None:
    token, raw = token_create(actor=None, user=bob, name="old")
    response = bob_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert token_authenticate(raw=raw) is None


def test_home_redirects_to_the_today_page(bob_client: Client) -> None:
    response = bob_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("occasions:today")
