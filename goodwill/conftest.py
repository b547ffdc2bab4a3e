"""Fixtures shared by every app's tests: the personas and logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from goodwill.accounts.models import User
from goodwill.core.testing import make_user
from goodwill.people.tests.api_helpers import deactivated_token, revoked_token, token_for

pytest_plugins = ["goodwill.core.tests.browser"]


@pytest.fixture
def alice(db: None) -> User:
    """The owner."""
    return make_user("alice@example.com", User.Role.OWNER)


@pytest.fixture
def maria(db: None) -> User:
    """A manager."""
    return make_user("maria@example.com", User.Role.MANAGER)


@pytest.fixture
def bob(db: None) -> User:
    """Frontline staff."""
    return make_user("bob@example.com", User.Role.STAFF)


@pytest.fixture
def charlie(db: None) -> User:
    """A deactivated user: can do nothing."""
    return make_user("charlie@example.com", User.Role.STAFF, active=False)


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return _client_for(alice)


@pytest.fixture
def maria_client(maria: User) -> Client:
    return _client_for(maria)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return _client_for(bob)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can react to a failure."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def tokens(alice: User, maria: User, bob: User, charlie: User) -> dict[str, str | None]:
    """An API token per persona (None: anonymous; a revoked one; a deactivated user's)."""
    return {
        "anonymous": None,
        "revoked": revoked_token(bob),
        "charlie": deactivated_token(charlie),
        "bob": token_for(bob),
        "maria": token_for(maria),
        "alice": token_for(alice),
    }
