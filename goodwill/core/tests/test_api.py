"""The shared API plumbing: errors as JSON, the OpenAPI schema and docs, idempotency storage,
in-memory cursor pages. (Per-operation behaviour is tested in each app's test_api.py.)"""

from __future__ import annotations

import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory

from goodwill.accounts.models import User
from goodwill.core.api import IDEMPOTENCY_HEADER as KEY
from goodwill.core.api import paginate_list, request_hash, validation_fields
from goodwill.core.errors import Invalid
from goodwill.core.models import IdempotentResponse
from goodwill.core.services import idempotent_response_get, idempotent_response_record
from goodwill.people.tests.api_helpers import call, token_for

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
    # + person_merge, person_access/person_erase, 4 import_*; 5 purchase/journey, 2 loyalty,
    # 6 feedback, 4 followup, feedback_export; topic_list/create, consent_list/create
    # + 7 tags: tag_list/get/rename/delete, person_tag_list/add/remove
    # + person_merge_preview
    assert len(operations) == 111  # + 6 offer_* (outreach/tests/test_offer_api.py)
    # + 7 campaign_*/redemption_create (outreach/tests/test_campaign_api.py)
    # + 6 touch budget: touch_policy_get/update, balance_get, touch_log, person_touch_policy_set,
    # stay_in_touch_list (outreach/tests/test_touch_api.py)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", op["operationId"]) for op in operations)
    assert {op["operationId"].rsplit("_", 1)[0] for op in operations} == {
        "person",
        "person_link",  # person_link_user: the action is "link_user"
        "person_merge",  # person_merge_preview: the action is "merge_preview"
        "membership",
        "organisation",
        "household",
        "relationship",
        "interest",
        "person_interest",
        "tag",
        "person_tag",
        "interaction",
        "occasion",
        "occasion_touch",
        "agenda",
        "import",
        "purchase",
        "journey",
        "loyalty_number",
        "feedback",
        "feedback_heard",
        "followup",
        "topic",
        "consent",
        "touch_policy",
        "balance",
        "touch",
        "person_touch_policy",
        "stay_in_touch",
        "offer",
        "email",  # email_send: one-to-one email (outreach/tests/test_direct_email.py)
        "campaign",
        "redemption",
    }
    # Each tag's operations are checked against its app's route x role matrix (test_api.py).
    assert {tag for op in operations for tag in op["tags"]} == {
        "people",
        "organisations",
        "households",
        "relationships",
        "interests",
        "person interests",
        "tags",  # people/tests/test_tags_api.py
        "interactions",
        "occasions",
        "agenda",
        "exports",
        "privacy",  # person_access, person_erase (exchange/tests/test_access.py, test_erase.py)
        "merges",  # person_merge (exchange/tests/test_merge_api.py)
        "imports",  # import_create/get/list/report (exchange/tests/test_import_api.py)
        "purchases",  # commerce/tests/test_api.py
        "loyalty",  # commerce/tests/test_loyalty.py
        "feedback",  # feedback/tests/test_api.py
        "followups",  # feedback/tests/test_followups_api.py
        "consent",  # outreach/tests/test_consent_api.py
        "touches",  # outreach/tests/test_touch_api.py
        "offers",  # outreach/tests/test_offer_api.py
        "email",  # outreach/tests/test_direct_email.py
        "campaigns",  # outreach/tests/test_campaign_api.py
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
        user_id=user_id,
        key="k",
        method="POST",
        path="/api/v1/people",
        request_hash="ab" * 32,
        status=201,
        body="{}",
    )
    assert idempotent_response_get(user_id=user_id, key="k") == stored
    assert stored.request_hash == "ab" * 32
    assert idempotent_response_get(user_id=user_id, key="other") is None
    with pytest.raises(IntegrityError), transaction.atomic():
        idempotent_response_record(
            user_id=user_id, key="k", method="POST", path="/api/v1/x", status=201, body="{}"
        )
    assert IdempotentResponse.objects.count() == 1


def test_the_request_hash_is_the_sha256_of_the_body_with_json_in_canonical_form() -> None:
    def post(body: str) -> str:
        return request_hash(RequestFactory().post("/", data=body, content_type="text/plain"))

    assert post('{"b": [1, 2], "a": "é"}') == post('{"a":"\\u00e9","b":[1,2]}')
    assert post('{"a": 1}') != post('{"a": 2}')
    assert post("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert post("{not json") != post("{not  json")


def test_an_idempotent_response_stored_without_a_request_hash_replays_for_any_body(
    bob: User,
) -> None:
    idempotent_response_record(
        user_id=bob.pk, key="old", method="POST", path="/api/v1/people", status=201, body="{}"
    )
    again = call("post", "/api/v1/people", token_for(bob), {"given_name": "Di"}, **{KEY: "old"})
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == {}


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
