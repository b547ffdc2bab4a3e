"""Route × role matrix helpers for web view tests: one client per persona, a database snapshot.

Only Django is imported here, so every app's tests may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client

ROLES = ["anonymous", "charlie", "bob", "maria", "alice"]
SKIPPED_MODELS = {"sessions.Session", "contenttypes.ContentType", "auth.Permission"}


@dataclass(frozen=True)
class Route:
    """One page or action: its URL and POST data built from the test's world, expected statuses.

    ``expect`` gives the status for bob (staff), maria (manager) and alice (owner); anonymous
    and deactivated users are always sent to the login page.
    """

    name: str
    method: str
    url: Callable[[Mapping[str, Any]], str]
    expect: tuple[int, int, int]
    data: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def db_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model (sessions aside), to compare before and after a request."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label not in SKIPPED_MODELS
    }


def client_for(role: str, users: Mapping[str, Any]) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def check_route(route: Route, role: str, world: Mapping[str, Any]) -> None:
    """Request ``route`` as ``role``; assert the status, and that refusals changed nothing."""
    client = client_for(role, world)
    url = route.url(world)
    before = db_state()
    if route.method == "post":
        response = client.post(url, route.data(world) if route.data else {})
    else:
        response = client.get(url)
    if role in ("anonymous", "charlie"):
        assert response.status_code == 302, (route.name, role, response.status_code)
        assert response["Location"].startswith("/login/?next="), response["Location"]
        assert db_state() == before
        return
    expected = route.expect[ROLES.index(role) - 2]
    assert response.status_code == expected, (route.name, role, response.status_code)
    if route.method == "get" or expected in (403, 404, 405):
        assert db_state() == before
    else:
        assert db_state() != before
