"""Exporting everyone, archived people too: the list's people then the archived ones, from the
web page, the API and the command line, in one process or several; the list alone (the
default) and the archived alone are unchanged."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from goodwill.accounts.models import AuditEntry, User
from goodwill.exchange.export.selectors import ExportFilters
from goodwill.exchange.tests.export_world import World, export_text, make_world
from goodwill.people.models import Person, PersonRole
from goodwill.people.tests.api_helpers import call, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _names(text: str) -> list[str]:
    return sorted(p["given_name"] for p in json.loads(text))


ACTIVE = ['=HYPERLINK("http://x")', 'Ann "Annie"', "Ben"]


def test_the_list_the_archived_and_everyone(world: World) -> None:
    assert _names(export_text("json")) == ACTIVE
    assert _names(export_text("json", ExportFilters(archived=True))) == ["Dan"]
    assert _names(export_text("json", ExportFilters(archived=None))) == sorted([*ACTIVE, "Dan"])


def test_a_filtered_export_of_everyone_adds_the_archived_that_match(world: World) -> None:
    PersonRole.objects.create(person=Person.objects.get(given_name="Dan"), role="guest")
    filters = ExportFilters(archived=None, role="guest")
    everyone = _names(export_text("json", filters))
    listed = _names(export_text("json", ExportFilters(role="guest")))
    archived = _names(export_text("json", ExportFilters(role="guest", archived=True)))
    assert archived == ["Dan"]
    assert everyone == sorted([*listed, "Dan"])


def test_the_command_line_exports_everyone_in_one_process_or_several(world: World) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = io.StringIO()
        args = ["export", "--format", "json", "--include-archived", "--jobs", jobs]
        call_command(*args, stdout=out)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert _names(outputs[0]) == sorted([*ACTIVE, "Dan"])
    entry = AuditEntry.objects.filter(action="person.export").latest("id")
    assert entry.changes["filters"] == {"archived": "included"}


def test_the_api_and_the_web_page_export_everyone(
    world: World, maria: User, maria_client: Client
) -> None:
    response = call(
        "get", "/api/v1/exports/people?format=json&include_archived=true", token_for(maria)
    )
    assert _names(b"".join(response.streaming_content).decode()) == sorted([*ACTIVE, "Dan"])
    page = maria_client.get("/exports/people.json?include_archived=on")
    assert _names(b"".join(page.streaming_content).decode()) == sorted([*ACTIVE, "Dan"])
    form = maria_client.get("/exports/").content.decode()
    assert "Everyone, archived people too" in form


def test_a_search_finds_archived_people_when_they_are_asked_for(world: World) -> None:
    """Dan Old is archived: the search of the list never finds him, the archived export does."""
    assert _names(export_text("json", ExportFilters(q="Old"))) == []
    assert _names(export_text("json", ExportFilters(q="old", archived=True))) == ["Dan"]
    assert _names(export_text("json", ExportFilters(q="Harris", archived=True))) == []
    assert _names(export_text("json", ExportFilters(q="Old", archived=None))) == ["Dan"]
    assert _names(export_text("json", ExportFilters(q="Harris", archived=None))) == [
        'Ann "Annie"',
        "Ben",
    ]


def test_a_tag_narrows_the_export_on_every_interface(
    world: World, maria: User, maria_client: Client
) -> None:
    from goodwill.people.services.tags import person_tags_add

    ben = Person.objects.get(given_name="Ben")
    person_tags_add(actor=maria, person=ben, names=["VIP"])
    assert _names(export_text("json", ExportFilters(tag="vip"))) == ["Ben"]
    response = call("get", "/api/v1/exports/people?format=json&tag=VIP", token_for(maria))
    assert _names(b"".join(response.streaming_content).decode()) == ["Ben"]
    page = maria_client.get("/exports/people.json?tag=VIP")
    assert _names(b"".join(page.streaming_content).decode()) == ["Ben"]
    out = io.StringIO()
    call_command("export", "--format", "json", "--tag", "VIP", stdout=out)
    assert _names(out.getvalue()) == ["Ben"]
    entry = AuditEntry.objects.filter(action="person.export").latest("id")
    assert entry.changes["filters"] == {"tag": "VIP"}
