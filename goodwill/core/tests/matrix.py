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
REFUSED = (403, 404, 405)

World = Mapping[str, Any]


@dataclass(frozen=True)
class Route:
    """One page or action: its URL and POST data built from the test's world, expected statuses.

    ``expect`` gives the status for bob (staff), maria (manager) and alice (owner); anonymous
    and deactivated users are always sent to the login page.

    An allowed POST must say what it does: ``audit`` is the action of the audit entry it writes
    with the requesting user as actor, and ``check(world, user)`` asserts its effect on the data.
    """

    name: str
    method: str
    url: Callable[[World], str]
    expect: tuple[int, int, int]
    data: Callable[[World], dict[str, Any]] | None = None
    audit: str | None = None
    check: Callable[[World, Any], None] | None = None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def effect(actual: Callable[[World, Any], Any], expected: Any) -> Callable[[World, Any], None]:
    """A ``Route.check``: ``actual(world, user)`` equals ``expected``, a value or a callable."""

    def check(world: World, user: Any) -> None:
        want = expected(world, user) if callable(expected) else expected
        assert actual(world, user) == want

    return check


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


def _audit_model() -> Any:
    return apps.get_model("accounts", "AuditEntry")


def _last_audit_id() -> int:
    last = _audit_model().objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _new_audit_actions(after_id: int, actor: Any) -> list[str]:
    rows = _audit_model().objects.filter(pk__gt=after_id, actor=actor).order_by("pk")
    return list(rows.values_list("action", flat=True))


def check_route(route: Route, role: str, world: World) -> None:
    """Request ``route`` as ``role``; assert the status, that refusals changed nothing, and that
    an allowed POST had its intended effect."""
    client = client_for(role, world)
    url = route.url(world)
    before = db_state()
    last_audit = _last_audit_id()
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
    if route.method == "get" or expected in REFUSED:
        assert db_state() == before
        return
    assert db_state() != before
    assert route.audit or route.check, f"{route} must say what an allowed POST does"
    if route.audit:
        actions = _new_audit_actions(last_audit, world[role])
        assert route.audit in actions, (route.name, role, actions)
    if route.check:
        route.check(world, world[role])
