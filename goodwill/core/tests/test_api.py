"""The shared API plumbing: errors as JSON, the OpenAPI schema and docs, idempotency storage,
in-memory cursor pages. (Per-operation behaviour is tested in each app's test_api.py.)"""

from __future__ import annotations

import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from goodwill.core.api import paginate_list, validation_fields
from goodwill.core.errors import Invalid
from goodwill.core.models import IdempotentResponse
from goodwill.core.services import idempotent_response_get, idempotent_response_record

pytestmark = pytest.mark.django_db


def test_it_answers_401_in_the_error_shape_without_a_token() -> None:
    response = Client().get("/api/v1/people")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "error": {"message": "Send a valid API token: Authorization: Bearer gw_…", "fields": {}}
    }


@pytest.mark.parametrize("header", ["Bearer gw_not-a-real-token", "Bearer", "Basic abc", "gw_x"])
def test_it_answers_401_for_a_token_it_does_not_know(header: str) -> None:
    response = Client().post("/api/v1/people", data={}, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert IdempotentResponse.objects.count() == 0


def test_the_openapi_schema_names_every_operation_entity_action() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) == 40
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", op["operationId"]) for op in operations)
    assert {op["operationId"].rsplit("_", 1)[0] for op in operations} == {
        "person",
        "person_link",  # person_link_user: the action is "link_user"
        "membership",
        "organisation",
        "household",
        "relationship",
        "interest",
        "person_interest",
        "interaction",
    }
    assert schema["components"]["securitySchemes"] == {
        "BearerTokenAuth": {"type": "http", "scheme": "bearer"}
    }
    create = schema["paths"]["/api/v1/people"]["post"]
    assert create["parameters"][0]["name"] == "Idempotency-Key"
    assert set(create["responses"]) == {"201", "400", "401", "403", "404", "409", "422"}
    assert "PersonCreateIn" in schema["components"]["schemas"]


def test_the_docs_page_loads_swagger_from_our_own_static_files() -> None:
    response = Client().get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert re.findall(r'(?:src|href)="(https?:[^"]*)"', html) == []
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None


@pytest.mark.parametrize(
    "asset", ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
)
def test_the_swagger_assets_are_served_locally(asset: str) -> None:
    response = Client().get(asset)
    assert response.status_code == 200


def test_validation_errors_name_the_input_field() -> None:
    errors = [
        {"loc": ("body", "payload", "nickname"), "type": "extra_forbidden", "msg": "Extra"},
        {"loc": ("body", "payload", "emails", 0), "type": "string_type", "msg": "Not a string"},
        {"loc": ("query", "limit"), "type": "greater_than_equal", "msg": "Too small"},
        {"loc": ("body", "payload"), "type": "missing", "msg": "Field required"},
    ]
    assert validation_fields(errors) == {
        "nickname": ["Unknown field."],
        "emails": ["Not a string"],
        "limit": ["Too small"],
        "body": ["This field is required."],
    }


def test_an_idempotent_response_is_stored_once_per_user_and_key(alice: object) -> None:
    user_id = alice.pk  # type: ignore[attr-defined]
    stored = idempotent_response_record(
        user_id=user_id, key="k", method="POST", path="/api/v1/people", status=201, body="{}"
    )
    assert idempotent_response_get(user_id=user_id, key="k") == stored
    assert idempotent_response_get(user_id=user_id, key="other") is None
    with pytest.raises(IntegrityError), transaction.atomic():
        idempotent_response_record(
            user_id=user_id, key="k", method="POST", path="/api/v1/x", status=201, body="{}"
        )
    assert IdempotentResponse.objects.count() == 1


def test_an_in_memory_list_pages_by_key_without_repeats() -> None:
    rows = [("likes", "jazz"), ("likes", "tea"), ("dislikes", "cats")]
    rows.sort()
    seen: list[tuple[str, str]] = []
    cursor = None
    for _page in range(5):
        page = paginate_list(rows, key=list, cursor=cursor, limit=2)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [("dislikes", "cats"), ("likes", "jazz"), ("likes", "tea")]


def test_an_in_memory_list_rejects_a_broken_cursor() -> None:
    with pytest.raises(Invalid) as exc:
        paginate_list([("a", "b")], key=list, cursor="bm90LWpzb24", limit=2)
    assert list(exc.value.fields) == ["cursor"]
