"""Who may export, over the web, the API and the command line; every export is audited."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.tests.matrix import ROLES, Route, check_route, client_for, db_state
from goodwill.exchange.tests.export_world import make_world
from goodwill.people.tests.api_helpers import (
    PERSONAS,
    call,
    check_operation,
    operation_ids,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    people = make_world()
    org_id = people.ann.memberships.get().organisation_id
    return {"alice": alice, "maria": maria, "bob": bob, "charlie": charlie, "org": org_id}


def body(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def exports_by(user: User) -> list[dict[str, Any]]:
    return list(AuditEntry.objects.filter(action="person.export", actor=user).values("changes"))


# --- API -------------------------------------------------------------------------------------


API_MATRIX = [
    ("person_export", "get", "/api/v1/exports/people?format=csv", None, (403, 200, 200)),
    ("person_export", "get", "/api/v1/exports/people?format=vcard&q=ann", None, (403, 200, 200)),
    (
        "person_export",
        "get",
        "/api/v1/exports/people?format=json&role=guest",
        None,
        (403, 200, 200),
    ),
    # A malformed request is refused before anyone's role is looked at, as everywhere in the API.
    ("person_export", "get", "/api/v1/exports/people?format=xml", None, (422, 422, 422)),
    ("feedback_export", "get", "/api/v1/exports/feedback", None, (403, 200, 200)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("operation", "method", "path", "body", "expected"), API_MATRIX)
def test_every_api_export_answers_each_role_as_expected(
    tokens: dict[str, str | None],
    world: dict[str, Any],
    persona: str,
    operation: str,
    method: str,
    path: str,
    body: Any,
    expected: tuple[int, int, int],
) -> None:
    check_operation(
        token=tokens[persona],
        world={"org": world["org"]},
        persona=persona,
        method=method,
        path=path,
        body=body,
        expected=expected,
    )


def test_every_export_operation_is_in_the_matrix() -> None:
    assert operation_ids("exports") == {m[0] for m in API_MATRIX}


def test_the_api_streams_the_file_as_an_attachment(
    tokens: dict[str, str | None], world: dict[str, Any], maria: User
) -> None:
    path = f"/api/v1/exports/people?format=csv&bom=true&organisation_id={world['org']}"
    response = call("get", path, tokens["maria"])
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="people-')
    text = body(response)
    assert text.startswith("\ufeffFirst Name,")
    assert [r["Last Name"] for r in csv.DictReader(io.StringIO(text[1:]))] == [
        "Harris, Jr.\nof Halifax"
    ]
    assert exports_by(maria) == [
        {"changes": {"format": "csv", "filters": {"organisation_id": world["org"]}}}
    ]


def test_the_api_names_a_bad_format(tokens: dict[str, str | None], world: dict[str, Any]) -> None:
    response = call("get", "/api/v1/exports/people?format=xml", tokens["alice"])
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["format"]


# --- web -------------------------------------------------------------------------------------


def _url(name: str, *args: str) -> Any:
    return lambda world: reverse(f"exchange:{name}", args=args)


PAGE = Route("export", "get", _url("export"), (403, 200, 200))


@pytest.mark.parametrize("role", ROLES)
def test_the_export_page_answers_each_role_as_expected(role: str, world: dict[str, Any]) -> None:
    check_route(PAGE, role, world)


@pytest.mark.parametrize("ext", ["csv", "vcf", "json"])
@pytest.mark.parametrize("role", ROLES)
def test_each_export_file_answers_each_role_as_expected(
    role: str, ext: str, world: dict[str, Any]
) -> None:
    route = Route("export_people", "get", _url("export_people", ext), (403, 200, 200))
    if role in ("anonymous", "charlie", "bob"):
        check_route(route, role, world)
        return
    client = client_for(role, world)
    before = db_state()
    response = client.get(route.url(world))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{ext}"')
    assert body(response)
    after = db_state()
    new = [a for a in after["accounts.AuditEntry"] if a not in before["accounts.AuditEntry"]]
    assert [(a["action"], a["actor_id"]) for a in new] == [("person.export", world[role].pk)]
    assert {k: v for k, v in after.items() if k != "accounts.AuditEntry"} == {
        k: v for k, v in before.items() if k != "accounts.AuditEntry"
    }


def test_every_export_url_is_in_the_matrix() -> None:
    from goodwill.exchange.views.export_urls import urlpatterns

    # export_feedback: test_export_feedback_roles below and test_export_feedback.py
    assert {p.name for p in urlpatterns} == {"export", "export_people", "export_feedback"}


@pytest.mark.parametrize("role", ["anonymous", "charlie", "bob"])
def test_export_feedback_roles(role: str, world: dict[str, Any]) -> None:
    check_route(
        Route("export_feedback", "get", _url("export_feedback"), (403, 200, 200)), role, world
    )


def test_the_page_carries_the_people_list_filters_to_every_format(
    maria_client: Client, world: dict[str, Any]
) -> None:
    response = maria_client.get(f"/exports/?q=harris&role=guest&organisation={world['org']}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q" value="harris"' in html
    assert '<option value="guest" selected>' in html
    assert f'name="organisation" value="{world["org"]}"' in html
    assert "Only people of Harbour Inn." in html
    for ext in ("csv", "vcf", "json"):
        assert f'formaction="/exports/people.{ext}"' in html


def test_the_web_file_uses_the_filters(maria_client: Client, world: dict[str, Any]) -> None:
    response = maria_client.get("/exports/people.csv?role=staff&bom=on")
    text = body(response)
    assert text.startswith("\ufeff")
    assert [r["First Name"] for r in csv.DictReader(io.StringIO(text[1:]))] == ['Ann "Annie"']


def test_a_bad_filter_is_a_422_page_and_nothing_is_exported(
    maria_client: Client, maria: User, world: dict[str, Any]
) -> None:
    response = maria_client.get("/exports/people.csv?role=pirate")
    assert response.status_code == 422
    assert exports_by(maria) == []


def test_the_people_list_links_managers_to_the_export_with_its_filters(
    maria_client: Client, bob_client: Client, world: dict[str, Any]
) -> None:
    html = maria_client.get("/people/?role=guest").content.decode()
    assert 'id="export-link" href="/exports/?role=guest"' in html
    assert 'id="export-link"' not in bob_client.get("/people/").content.decode()


# --- command line ----------------------------------------------------------------------------


def test_the_command_writes_a_file_and_says_how_many(world: dict[str, Any], tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "people.vcf"
    call_command("export", "--format", "vcard", "--output", str(target), stdout=out, stderr=err)
    assert target.read_text(encoding="utf-8").count("BEGIN:VCARD") == 3
    assert err.getvalue() == f"Exported 3 people to {target}\n"
    assert out.getvalue() == ""
    assert list(tmp_path.iterdir()) == [target]
    entry = AuditEntry.objects.get(action="person.export")
    assert (entry.actor_id, entry.actor_label) == (None, "command line")


def test_the_command_writes_to_stdout_with_a_search(world: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command("export", "--format", "csv", "--q", "ben", "--bom", stdout=out)
    found = list(csv.DictReader(io.StringIO(out.getvalue()[1:])))
    assert out.getvalue()[0] == "\ufeff"
    assert [r["First Name"] for r in found] == ["Ben"]


def test_the_command_refuses_staff(world: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "people.csv"
    with pytest.raises(CommandError) as exc:
        call_command(
            "export", "--format", "csv", "--output", str(target), "--as", "bob@example.com"
        )
    assert exc.value.returncode == 4
    assert not target.exists()
    assert not AuditEntry.objects.filter(action="person.export").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "nobody@example.com"], "as: No user with email nobody@example.com."),
        (["--output", "/no/such/folder/people.csv"], "output: No such folder: /no/such/folder"),
    ],
)
def test_the_command_names_the_bad_option_and_exits_2(
    world: dict[str, Any], args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("export", "--format", "csv", *args, stdout=io.StringIO())
    assert (exc.value.returncode, str(exc.value)) == (2, message)


def test_an_unknown_format_exits_2_naming_the_option(tmp_path: Path) -> None:
    env = {**os.environ, "GOODWILL_DATA_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "goodwill", "export", "--format", "xml"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "argument --format: invalid choice: 'xml'" in done.stderr


def test_the_export_link_carries_the_organisation_the_list_resolved(
    maria_client: Client, world: dict[str, Any]
) -> None:
    html = maria_client.get("/people/?organisation_name=harbour+inn").content.decode()
    assert f'id="export-link" href="/exports/?organisation={world["org"]}"' in html


@pytest.mark.parametrize("query", ["organisation_name=Nope", "organisation=999999"])
def test_no_export_link_when_the_organisation_filter_finds_nobody(
    maria_client: Client, world: dict[str, Any], query: str
) -> None:
    """The list is empty then: a link without the filter would export everyone."""
    html = maria_client.get(f"/people/?{query}").content.decode()
    assert 'id="export-link"' not in html
    assert 'id="import-link"' in html


def test_managers_export_archived_people_only_when_they_ask(
    tokens: dict[str, str | None], world: dict[str, Any]
) -> None:
    archived = call("get", "/api/v1/exports/people?format=json&archived=true", tokens["maria"])
    everyone = call("get", "/api/v1/exports/people?format=json", tokens["maria"])
    assert [p["given_name"] for p in json.loads(body(archived))] == ["Dan"]
    assert "Dan" not in [p["given_name"] for p in json.loads(body(everyone))]
