"""Helpers for API tests: tokens made through the services, requests, database snapshots."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, cast

import pytest
from django.apps import apps
from django.test import Client

from goodwill.accounts.models import ApiToken, User
from goodwill.accounts.services import token_create, token_revoke, user_update

SNAPSHOT_APPS = (
    "accounts",
    "core",
    "people",
    "timeline",
    "occasions",
    "commerce",
    "feedback",
    "outreach",
)
PERSONAS = ["anonymous", "revoked", "charlie", "bob", "maria", "alice"]


def token_for(user: User) -> str:
    _token, raw = token_create(actor=None, user=user, name="tests")
    return raw


def revoked_token(user: User) -> str:
    token, raw = token_create(actor=None, user=user, name="revoked")
    token_revoke(actor=None, token_id=token.pk)
    return raw


def deactivated_token(user: User) -> str:
    """A token made while ``user`` was active, kept after they were deactivated."""
    if not user.is_active:
        user_update(actor=None, user=user, is_active=True)
    raw = token_for(user)
    user_update(actor=None, user=user, is_active=False)
    return raw


def call(method: str, path: str, token: str | None = None, body: Any = None, **headers: str) -> Any:
    """Send one API request; returns the response (``.json()`` for the body)."""
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client = Client(HTTP_HOST="127.0.0.1")
    data = json.dumps(body) if body is not None else None
    kwargs: dict[str, Any] = {"content_type": "application/json"} if data is not None else {}
    if data is not None:
        kwargs["data"] = data
    return getattr(client, method.lower())(path, **kwargs, **extra)


def operation_ids(*tags: str) -> set[str]:
    """The operation ids the OpenAPI schema lists under any of ``tags``."""
    schema = Client().get("/api/v1/openapi.json").json()
    return {
        op["operationId"]
        for path in schema["paths"].values()
        for op in path.values()
        if set(op["tags"]) & set(tags)
    }


def db_state() -> dict[str, list[dict[str, Any]]]:
    """Every row the API could change (tokens' last use and logins aside), for before/after."""
    state: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if model._meta.app_label not in SNAPSHOT_APPS or model is ApiToken:
            continue
        rows = list(model._default_manager.order_by("pk").values())
        for row in rows:
            row.pop("last_login", None)
        state[model._meta.label] = rows
    return state


def fill(value: Any, ids: dict[str, int]) -> Any:
    """``value`` with every ``"{name}"`` string replaced by ``ids[name]`` (request bodies)."""
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def check_operation(
    *,
    token: str | None,
    world: dict[str, int],
    persona: str,
    method: str,
    path: str,
    body: Any,
    expected: tuple[int, int, int],
) -> None:
    """One cell of a route x role matrix: ``expected`` is the status for bob, maria and alice
    (everyone else gets 401); a refused call answers the error shape and changes nothing."""
    want = dict(zip(["bob", "maria", "alice"], expected, strict=True)).get(persona, 401)
    before = db_state()
    response = call(method, path.format(**world), token, fill(body, world))
    assert response.status_code == want, response.content
    if want >= 400:
        assert set(response.json()["error"]) == {"message", "fields"}
        assert db_state() == before


Row = tuple[str, str, str, Any, tuple[int, int, int]]


def role_matrix_test(matrix: Sequence[Row]) -> Callable[..., None]:
    """The test that runs every (operation, method, path, body, expected) row of ``matrix`` for
    every persona through ``check_operation``; assign it to a ``test_…`` name in a module whose
    ``tokens`` and ``world`` fixtures it uses."""

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize(
        ("operation", "method", "path", "body", "expected"), matrix, ids=[m[0] for m in matrix]
    )
    def test(
        tokens: dict[str, str | None],
        world: dict[str, int],
        persona: str,
        operation: str,
        method: str,
        path: str,
        body: Any,
        expected: tuple[int, int, int],
    ) -> None:
        check_operation(
            token=tokens[persona],
            world=world,
            persona=persona,
            method=method,
            path=path,
            body=body,
            expected=expected,
        )

    return cast(Callable[..., None], test)
