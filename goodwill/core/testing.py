"""Test personas shared by every app's tests: alice (owner), maria (manager), bob (staff),
charlie (deactivated). Created through services, like everything else."""

from __future__ import annotations

import time
from collections.abc import Callable

from goodwill.accounts.models import User
from goodwill.accounts.services import user_create, user_update

PASSWORD = "a-long-test-password-42"  # noqa: S105 (test persona)


def make_user(email: str, role: str, *, active: bool = True) -> User:
    user, _password = user_create(actor=None, email=email, role=role, password=PASSWORD)
    if not active:
        user_update(actor=None, user=user, is_active=False)
    return user


def wait_for(condition: Callable[[], bool], what: str = "", seconds: float = 30) -> None:
    """Poll ``condition`` until it holds; fail the test after ``seconds`` (another process or
    thread is expected to make it true)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what or 'the condition'}")
        time.sleep(0.02)
