"""The right of access: everything about one person, and nothing about anyone else, as JSON and
as a page; managers and owners, over the web, the API and the command line; audited."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden
from goodwill.core.tests.matrix import ROLES, client_for, db_state
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.tests.access_world import EMAILS, AccessWorld, make_access_world
from goodwill.people.tests.api_helpers import (
    PERSONAS,
    call,
    check_operation,
    operation_ids,
)

pytestmark = pytest.mark.django_db
OTHER_PEOPLE = ["ben@example.com", "Hello Ben", "Dear Ben", "Dear Zed", "Dear Zelda"]


@pytest.fixture
def world(maria: User, bob: User) -> AccessWorld:
    return make_access_world(maria, bob)


def strip_times(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k not in keys} for item in items]


def test_the_export_holds_every_kind_of_fact(world: AccessWorld, maria: User, bob: User) -> None:
    data = person_access_export(actor=maria, person=world.zelda)
    assert (data["id"], data["full_name"], data["given_name"], data["family_name"]) == (
        world.zelda.pk,
        "Zelda Quixfeather",
        "Zelda",
        "Quixfeather",
    )
    assert (data["preferred_name"], data["language"], data["source"]) == ("Zed", "fr", "told_us")
    assert [e["email"] for e in data["emails"]] == EMAILS
    assert [p["e164"] for p in data["phones"]] == ["+19025550199"]
    assert data["address"] == {
        "street": "7 Lighthouse Lane",
        "locality": "Lunenburg",
        "region": "",
        "postal_code": "",
        "country": "CA",
    }
    assert data["notes"] == "Zelda is allergic to lupins"
    assert sorted(data["roles"]) == ["guest", "lead"]
    assert [(o["name"], o["job_title"]) for o in data["organisations"]] == [("Harbour Inn", "Chef")]
    # The household's shared address is theirs too (an empty one here; see
    # test_access_household.py), so it is part of the household now.
    no_address = dict.fromkeys(["street", "locality", "region", "postal_code", "country"], "")
    assert data["household"] == {
        "id": world.household.pk,
        "uid": world.household.uid,
        "name": "Lighthouse house",
        "address": no_address,
    }
    assert data["created_by"] == maria.email
    assert data["created_at"] is not None
    assert strip_times(data["interests"], "noted_at") == [
        {
            "name": "Lupins",
            "attitude": "dislikes",
            "source": "told_us",
            "note": "",
            "noted_by": maria.email,
        },
        {
            "name": "Kite surfing",
            "attitude": "likes",
            "source": "staff_observed",
            "note": "",
            "noted_by": bob.email,
        },
    ]
    assert data["relationships"] == [
        {
            "other_person_id": world.ben.pk,
            "other_person": "Ben Harris",
            "other_is_their": "spouse / partner",
            "since": None,
            "notes": "met 2010",
        }
    ]
    birthday, wedding = data["occasions"]
    assert (birthday["kind"], birthday["date"], birthday["shared"]) == (
        "birthday",
        "1980-04-12",
        False,
    )
    [year] = birthday["years"]
    assert (year["year"], year["done_by"], year["note"]) == (
        2025,
        bob.email,
        "Zelda loved the cake",
    )
    assert strip_times(year["touches"], "occurred_at") == [
        {
            "kind": "greeting",
            "summary": "Card for Zelda Quixfeather",
            "channel": "",
            "offer_used": None,
            "by": bob.email,
        }
    ]
    assert (wedding["kind"], wedding["date"], wedding["shared"]) == (
        "wedding_anniversary",
        "2015-06-20",
        True,
    )
    summaries = sorted(i["summary"] for i in data["interactions"])
    assert summaries == ["Card for Zelda Quixfeather", "Zelda asked about rooms"]
    assert {i["staff"] for i in data["interactions"]} == {bob.email}
    assert strip_times(data["messages"], "created_at") == [
        {
            "kind": "transactional",
            "subject": "Happy birthday, Zed",
            "state": "queued",
            "sent_at": None,
        },
        {"kind": "transactional", "subject": "Your stay", "state": "queued", "sent_at": None},
    ]
    actions = [a["action"] for a in data["audit"]]
    assert "person.create" in actions
    assert "person.update" in actions
    update = next(a for a in data["audit"] if a["action"] == "person.update")
    assert (update["by"], update["changes"]) == (bob.email, {"language": ["", "fr"]})
    # A message to her address recorded under no one is about her too (her erasure deletes
    # it); the copy of their wedding's entry under Ben's id is not listed twice.
    subjects = [a["changes"].get("subject") for a in data["audit"]]
    assert [None, "Your stay"] in subjects
    weddings = [
        a for a in data["audit"] if a["changes"].get("kind") == [None, "wedding_anniversary"]
    ]
    assert len(weddings) == 1


def test_the_export_holds_nothing_about_other_people(world: AccessWorld, maria: User) -> None:
    text = json.dumps(person_access_export(actor=maria, person=world.zelda))
    assert [s for s in OTHER_PEOPLE if s in text] == []
    assert "body" not in text
    assert "recipients" not in text


def test_the_export_is_audited(world: AccessWorld, maria: User) -> None:
    person_access_export(actor=maria, person=world.zelda)
    entry = AuditEntry.objects.get(action="person.access_export")
    assert (entry.actor, entry.person_id) == (maria, world.zelda.pk)


def test_staff_may_not_export_a_person(world: AccessWorld, bob: User) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        person_access_export(actor=bob, person=world.zelda)
    assert db_state() == before


# --- API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_export_answers_each_role(
    tokens: dict[str, str | None], world: AccessWorld, persona: str
) -> None:
    check_operation(
        token=tokens[persona],
        world={"zelda": world.zelda.pk},
        persona=persona,
        method="get",
        path="/api/v1/people/{zelda}/export",
        body=None,
        expected=(403, 200, 200),
    )


def test_the_api_export_is_the_json(tokens: dict[str, str | None], world: AccessWorld) -> None:
    response = call("get", f"/api/v1/people/{world.zelda.pk}/export", tokens["maria"])
    assert response.status_code == 200
    body = response.json()
    assert (body["full_name"], len(body["messages"])) == ("Zelda Quixfeather", 2)


def test_an_unknown_person_is_not_found_over_the_api(tokens: dict[str, str | None]) -> None:
    response = call("get", "/api/v1/people/999999/export", tokens["alice"])
    assert response.status_code == 404


def test_every_privacy_operation_is_tested() -> None:
    assert operation_ids("privacy") == {"person_access", "person_erase"}


# --- web -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["", "?format=json"])
@pytest.mark.parametrize("role", ROLES)
def test_the_page_and_file_are_for_managers(
    world: AccessWorld, role: str, fmt: str, request: Any
) -> None:
    users = {r: request.getfixturevalue(r) for r in ROLES if r != "anonymous"}
    client = client_for(role, users)
    before = db_state()
    response = client.get(reverse("exchange:person_access", args=[world.zelda.pk]) + fmt)
    expected = {"anonymous": 302, "charlie": 302, "bob": 403, "maria": 200, "alice": 200}[role]
    assert response.status_code == expected
    if expected != 200:
        assert db_state() == before
        return
    assert AuditEntry.objects.filter(action="person.access_export", actor=users[role]).count() == 1
    if fmt:
        assert response["Content-Disposition"] == (
            f'attachment; filename="person-{world.zelda.pk}.json"'
        )
        assert json.loads(response.content)["emails"][0]["email"] == EMAILS[0]
    else:
        page = response.content.decode()
        for text in ["zq.work@erase.example", "Kite surfing", "Zelda loved the cake", "Your stay"]:
            assert text in page
        assert "Hello Ben" not in page


def test_the_person_page_links_to_the_data_for_managers(
    world: AccessWorld, maria: User, bob: User
) -> None:
    url = reverse("exchange:person_access", args=[world.zelda.pk]).encode()
    page = reverse("people:person_detail", args=[world.zelda.pk])
    assert url in client_for("maria", {"maria": maria}).get(page).content
    assert url not in client_for("bob", {"bob": bob}).get(page).content


# --- command line ----------------------------------------------------------------------------


def test_the_command_writes_the_json(world: AccessWorld, tmp_path: Path) -> None:
    target = tmp_path / "zelda.json"
    err = io.StringIO()
    call_command("person_export", str(world.zelda.pk), "--output", str(target), stderr=err)
    assert json.loads(target.read_text(encoding="utf-8"))["emails"][1]["email"] == EMAILS[1]
    assert err.getvalue() == f"Exported person {world.zelda.pk} to {target}\n"


def test_the_command_prints_to_stdout(world: AccessWorld) -> None:
    out = io.StringIO()
    call_command("person_export", str(world.zelda.pk), stdout=out)
    assert json.loads(out.getvalue())["full_name"] == "Zelda Quixfeather"


def test_the_command_as_staff_is_refused(world: AccessWorld, bob: User) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("person_export", str(world.zelda.pk), "--as", bob.email)
    assert exc.value.returncode == 4


def test_the_command_names_a_missing_folder(world: AccessWorld, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("person_export", str(world.zelda.pk), "--output", str(tmp_path / "x" / "y"))
    assert exc.value.returncode == 2
