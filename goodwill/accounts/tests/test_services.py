from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from goodwill.accounts.models import ApiToken, AuditEntry, User
from goodwill.accounts.selectors import audit_list_for_person
from goodwill.accounts.services import (
    business_get,
    business_update,
    owner_create,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
    user_update,
)
from goodwill.core.errors import Conflict, Forbidden, Invalid, NotFound
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_createowner_generates_a_password_that_logs_in() -> None:
    user, password = owner_create(email="Owner@Example.com")
    assert user.email == "owner@example.com"
    assert user.role == User.Role.OWNER
    assert len(password) >= 12
    assert authenticate(username="owner@example.com", password=password) == user


def test_it_rejects_a_short_password_on_the_password_field() -> None:
    with pytest.raises(Invalid) as exc:
        user_create(actor=None, email="x@example.com", role="staff", password="short")
    assert "password" in exc.value.fields
    assert User.objects.count() == 0


def test_it_rejects_a_common_password() -> None:
    with pytest.raises(Invalid) as exc:
        user_create(actor=None, email="x@example.com", role="staff", password="qwertyuiop123")
    assert list(exc.value.fields) == ["password"]


def test_it_rejects_an_unknown_role() -> None:
    with pytest.raises(Invalid) as exc:
        user_create(actor=None, email="x@example.com", role="admin", password="a-long-password-1")
    assert list(exc.value.fields) == ["role"]


def test_staff_cannot_create_users(bob: User) -> None:
    with pytest.raises(Forbidden):
        user_create(actor=bob, email="new@example.com", role="owner", password="a-long-password-1")
    assert not User.objects.filter(email="new@example.com").exists()


def test_duplicate_email_is_a_conflict(alice: User) -> None:
    with pytest.raises(Conflict):
        user_create(
            actor=alice, email="ALICE@example.com", role="staff", password="x-long-password-1"
        )


def test_the_last_owner_cannot_be_demoted(alice: User) -> None:
    with pytest.raises(Conflict):
        user_update(actor=alice, user=alice, role=User.Role.STAFF)
    alice.refresh_from_db()
    assert alice.role == User.Role.OWNER


def test_deactivated_users_cannot_log_in(alice: User, bob: User) -> None:
    user_update(actor=alice, user=bob, is_active=False)
    assert authenticate(username="bob@example.com", password="a-long-test-password-42") is None


def test_tokens_are_stored_hashed_and_authenticate_their_user(bob: User) -> None:
    token, raw = token_create(actor=bob, user=bob, name="till")
    assert raw.startswith("gw_")
    assert raw not in token.token_hash
    assert token_authenticate(raw=raw) == bob
    assert token_authenticate(raw=raw + "x") is None


def test_revoked_tokens_stop_working(bob: User) -> None:
    token, raw = token_create(actor=bob, user=bob, name="till")
    token_revoke(actor=bob, token_id=token.pk)
    assert token_authenticate(raw=raw) is None


def test_a_deactivated_users_token_stops_working(alice: User, bob: User) -> None:
    _token, raw = token_create(actor=bob, user=bob, name="till")
    user_update(actor=alice, user=bob, is_active=False)
    assert token_authenticate(raw=raw) is None


def test_staff_cannot_revoke_someone_elses_token(alice: User, bob: User) -> None:
    token, raw = token_create(actor=alice, user=alice, name="owner's")
    with pytest.raises(NotFound):
        token_revoke(actor=bob, token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert token_authenticate(raw=raw) == alice


def test_business_update_checks_each_field(alice: User) -> None:
    with pytest.raises(Invalid) as exc:
        business_update(actor=alice, time_zone="Mars/Olympus")
    assert list(exc.value.fields) == ["time_zone"]
    business_update(
        actor=alice,
        name="Harris Hall B&B",
        time_zone="America/Halifax",
        phone_region="ca",
        currency="cad",
    )
    business = business_get()
    assert (business.name, business.time_zone, business.phone_region, business.currency) == (
        "Harris Hall B&B",
        "America/Halifax",
        "CA",
        "CAD",
    )


def test_staff_cannot_change_business_settings(bob: User) -> None:
    with pytest.raises(Forbidden):
        business_update(actor=bob, name="Mine now")
    assert business_get().name == "My business"


def test_every_write_is_audited_with_before_and_after(alice: User) -> None:
    business_update(actor=alice, name="Harris Hall")
    entry = AuditEntry.objects.filter(action="business.update").get()
    assert entry.actor == alice
    assert entry.changes == {"name": ["My business", "Harris Hall"]}


def test_only_managers_and_owners_see_a_persons_history(
    alice: User, maria: User, bob: User
) -> None:
    person = make_person(bob, given_name="Ann")
    assert [e.action for e in audit_list_for_person(user=maria, person_id=person.pk)] == [
        "person.create"
    ]
    assert audit_list_for_person(user=bob, person_id=person.pk) == []
