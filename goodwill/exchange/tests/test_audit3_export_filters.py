"""An export's filters are checked before anything is written or audited: a value the people
list would refuse is a 422 naming it, and an organisation that does not exist is a 404, the
same on the export page, its downloads, the API and the command line."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.tests.export_world import make_world
from goodwill.people.tests.api_helpers import call, token_for

pytestmark = pytest.mark.django_db
LONG = "x" * 101
# (query string, the field it names): the same on the web download and the API
BAD_FILTERS = [
    pytest.param("stage=bogus", "stage", id="stage"),
    pytest.param("role=nonsense", "role", id="role"),
    pytest.param(f"q={LONG}", "q", id="q"),
    pytest.param(f"interest={LONG}", "interest", id="interest"),
    pytest.param(f"tag={LONG}", "tag", id="tag"),
]
KNOWN = [("role=guest", ['Ann "Annie"']), ("stage=lapsed", [])]  # and whom they export


@pytest.fixture
def world(maria: User) -> dict[str, Any]:
    w = make_world()
    return {"ann": w.ann.pk, "token": token_for(maria)}


@pytest.fixture
def manager(maria: User) -> Client:
    client = Client()
    client.force_login(maria)
    return client


def _exports() -> int:
    return AuditEntry.objects.filter(action="person.export").count()


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()  # type: ignore[no-any-return]


@pytest.mark.parametrize("format", ["csv", "vcard", "json"])
@pytest.mark.parametrize(("query", "field"), BAD_FILTERS)
def test_the_api_refuses_a_bad_filter_before_any_output_or_audit(
    world: dict[str, Any], format: str, query: str, field: str
) -> None:
    response = call("get", f"/api/v1/exports/people?format={format}&{query}", world["token"])
    assert response.status_code == 422
    assert not response.streaming
    assert list(response.json()["error"]["fields"]) == [field]
    assert _exports() == 0


@pytest.mark.parametrize("ext", ["csv", "vcf", "json"])
@pytest.mark.parametrize(("query", "field"), BAD_FILTERS)
def test_the_web_download_refuses_a_bad_filter_before_any_output_or_audit(
    world: dict[str, Any], manager: Client, ext: str, query: str, field: str
) -> None:
    response = manager.get(f"/exports/people.{ext}?{query}")
    html = response.content.decode()
    assert response.status_code == 422
    assert not response.streaming
    assert 'action="/exports/people.csv"' in html  # the export page, to correct the filter
    assert f'<ul class="errorlist" id="id_{field}_error"><li>' in html
    assert f"{field}: " not in html
    assert _exports() == 0


def test_the_api_names_the_stages_it_knows(world: dict[str, Any]) -> None:
    response = call("get", "/api/v1/exports/people?stage=bogus", world["token"])
    message = response.json()["error"]["fields"]["stage"][0]
    assert message.startswith("Unknown stage “bogus”; one of prospect, ")


@pytest.mark.parametrize(("query", "given"), KNOWN)
def test_a_known_role_or_stage_still_exports(
    world: dict[str, Any], query: str, given: list[str]
) -> None:
    response = call("get", f"/api/v1/exports/people?format=json&{query}", world["token"])
    assert response.status_code == 200
    assert [p["given_name"] for p in json.loads(_body(response))] == given
    assert _exports() == 1


@pytest.mark.parametrize("ext", ["csv", "vcf", "json"])
def test_a_download_for_an_unknown_organisation_is_not_found_like_the_page(
    world: dict[str, Any], manager: Client, ext: str
) -> None:
    assert manager.get("/exports/?organisation=999999").status_code == 404
    response = manager.get(f"/exports/people.{ext}?organisation=999999")
    assert response.status_code == 404
    assert not response.streaming
    assert "No such organisation." in response.content.decode()
    assert _exports() == 0


@pytest.mark.parametrize("format", ["csv", "vcard", "json"])
def test_the_api_export_for_an_unknown_organisation_is_not_found(
    world: dict[str, Any], format: str
) -> None:
    path = f"/api/v1/exports/people?format={format}&organisation_id=999999"
    response = call("get", path, world["token"])
    assert response.status_code == 404
    assert response.json() == {"error": {"message": "No such organisation.", "fields": {}}}
    assert _exports() == 0


def test_the_command_refuses_a_bad_stage_before_writing(world: dict[str, Any]) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("export", "--format", "csv", "--stage", "bogus", stdout=out)
    assert exc.value.returncode == 2
    assert str(exc.value).startswith("stage: Unknown stage “bogus”")
    assert out.getvalue() == ""
    assert _exports() == 0


def test_the_command_refuses_an_unknown_organisation(world: dict[str, Any]) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("export", "--format", "csv", "--organisation-id", "999999")
    assert (exc.value.returncode, str(exc.value)) == (3, "No such organisation.")
    assert _exports() == 0
