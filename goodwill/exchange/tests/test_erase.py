"""Erasure: the person and everything about them leave every table; only hashes of their
addresses stay; owners only, with their full name typed; over the service, API, web and CLI."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Conflict, Forbidden, Invalid
from goodwill.core.tests.matrix import ROLES, client_for, db_state
from goodwill.exchange.importer import import_run
from goodwill.exchange.models import Suppression, SuppressionKey
from goodwill.exchange.services.erase import person_erase
from goodwill.exchange.suppression import email_hash, is_suppressed, suppressed_emails
from goodwill.exchange.tests.access_world import (
    EMAILS,
    NAME,
    SECRETS,
    AccessWorld,
    make_access_world,
)
from goodwill.occasions.models import Occasion
from goodwill.outreach.models import OutboxMessage
from goodwill.people.models import Interest, Person
from goodwill.people.services import person_link_user
from goodwill.people.tests.api_helpers import (
    PERSONAS,
    check_operation,
)

pytestmark = pytest.mark.django_db
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture
def world(maria: User, bob: User) -> AccessWorld:
    return make_access_world(maria, bob)


def mentions(needles: list[str]) -> list[tuple[str, str, Any]]:
    """Every (model, column, value) of any table whose text or JSON holds one of ``needles``."""
    found = []
    lowered = [n.lower() for n in needles]
    for model in apps.get_models():
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, TEXT_FIELDS) and not f.primary_key
        ]
        if not columns:
            continue
        for row in model.objects.values(*columns).iterator():
            for column, value in row.items():
                text = json.dumps(value) if not isinstance(value, str) else value
                if any(n in text.lower() for n in lowered):
                    found.append((model._meta.label, column, value))
    return found


def test_the_world_mentions_the_person_in_many_tables(world: AccessWorld) -> None:
    tables = {model for model, _column, _value in mentions(SECRETS + EMAILS)}
    assert {
        "people.Person",
        "people.PersonEmail",
        "people.PersonPhone",
        "occasions.OccasionYear",
        "occasions.OccasionTouch",
        "timeline.Interaction",
        "outreach.OutboxMessage",
        "accounts.AuditEntry",
    } <= tables


def test_erasure_leaves_no_row_mentioning_the_person_in_any_table(
    world: AccessWorld, alice: User
) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    assert mentions(SECRETS + EMAILS) == []
    assert not Person.objects.filter(pk=world.zelda.pk).exists()
    assert not Occasion.objects.filter(pk__in=[world.birthday.pk, world.wedding.pk]).exists()
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["Hello Ben"]
    assert not AuditEntry.objects.filter(person_id=world.zelda.pk).exists()


def test_erasure_keeps_other_people_and_the_household(world: AccessWorld, alice: User) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    ben = Person.objects.get(pk=world.ben.pk)
    assert (ben.full_name, ben.primary_email, ben.household_id) == (
        "Ben Harris",
        "ben@example.com",
        world.household.pk,
    )
    assert list(world.household.members.values_list("pk", flat=True)) == [ben.pk]
    assert AuditEntry.objects.filter(person_id=ben.pk, action="person.create").count() == 1


def test_an_emptied_household_is_kept(world: AccessWorld, alice: User) -> None:
    ben = world.ben
    Person.objects.filter(pk=ben.pk).update(household=None)  # test set-up only
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    world.household.refresh_from_db()
    assert world.household.members.count() == 0


def test_erasure_recounts_the_interests(world: AccessWorld, alice: User) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    assert dict(Interest.objects.values_list("name", "people_count")) == {
        "Kite surfing": 0,
        "Lupins": 0,
    }


def test_only_a_keyed_hash_of_each_address_is_kept(world: AccessWorld, alice: User) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    hashes = set(Suppression.objects.values_list("email_hash", flat=True))
    assert hashes == {email_hash(e) for e in EMAILS}
    assert all(len(h) == 64 and "@" not in h for h in hashes)
    assert not hashes & set(EMAILS)
    assert is_suppressed("Zelda@Erase.example")
    assert is_suppressed(" zq.work@erase.example ")
    assert not is_suppressed("ben@example.com")
    assert not is_suppressed("")
    assert suppressed_emails(["ben@example.com", "zelda@erase.example", ""]) == {
        "zelda@erase.example"
    }


def test_an_import_never_brings_an_erased_person_back(
    world: AccessWorld, alice: User, tmp_path: Any
) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Last Name,E-mail 1 - Value\n"
        f"Zelda,Again,{EMAILS[0].upper()}\n"
        "Yusuf,New,yusuf@example.com\n",
        encoding="utf-8",
    )
    batch = import_run(actor=alice, path=path)
    assert (batch.created, batch.skipped) == (1, 1)
    assert not Person.objects.filter(given_name="Zelda").exists()


def test_nothing_is_suppressed_before_anyone_is_erased(world: AccessWorld) -> None:
    assert suppressed_emails(EMAILS) == set()
    assert not is_suppressed(EMAILS[0])


def test_the_hash_is_keyed_by_the_database_not_by_the_secret_key(settings: Any) -> None:
    first = email_hash("zelda@erase.example")
    settings.SECRET_KEY = "another secret key, long enough to be one"
    assert email_hash("zelda@erase.example") == first
    SuppressionKey.objects.filter(pk=1).update(key="ab" * 32)
    assert email_hash("zelda@erase.example") != first


def test_the_erasure_is_audited_without_the_erased_data(world: AccessWorld, alice: User) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    entry = AuditEntry.objects.get(action="person.erase")
    assert (entry.actor, entry.person_id, entry.target_type, entry.target_label) == (
        alice,
        None,
        "people.person",
        "",
    )
    removed = entry.changes["removed"]
    assert entry.changes["suppressed_addresses"] == 2
    assert {k: removed[k] for k in removed if k != "accounts.auditentry"} == {
        "people.person": 1,
        "people.personemail": 2,
        "people.personphone": 1,
        "people.personrole": 2,
        "people.membership": 1,
        "people.personinterest": 2,
        "people.relationship": 1,
        "occasions.occasion": 2,
        "occasions.occasionyear": 1,
        "occasions.occasiontouch": 1,
        "timeline.interaction": 2,
        "outreach.outboxmessage": 2,
    }
    assert removed["accounts.auditentry"] > 10
    text = json.dumps(entry.changes) + entry.target_label + entry.actor_label
    assert not any(s.lower() in text.lower() for s in SECRETS + EMAILS)


@pytest.mark.parametrize("who", ["bob", "maria"])
def test_staff_and_managers_may_not_erase(
    world: AccessWorld, who: str, request: pytest.FixtureRequest
) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        person_erase(actor=request.getfixturevalue(who), person=world.zelda, confirm_name=NAME)
    assert db_state() == before


@pytest.mark.parametrize("typed", ["", "Zelda", "Zelda Quixfeathers", "Ben Harris"])
def test_a_wrong_name_is_refused(world: AccessWorld, alice: User, typed: str) -> None:
    before = db_state()
    with pytest.raises(Invalid) as exc:
        person_erase(actor=alice, person=world.zelda, confirm_name=typed)
    assert list(exc.value.fields) == ["confirm_name"]
    assert db_state() == before


def test_the_name_is_compared_ignoring_case_and_spaces(world: AccessWorld, alice: User) -> None:
    person_erase(actor=alice, person=world.zelda, confirm_name="  zelda   QUIXFEATHER ")
    assert not Person.objects.filter(pk=world.zelda.pk).exists()


def test_a_person_with_a_login_is_not_erased(world: AccessWorld, alice: User, bob: User) -> None:
    person_link_user(actor=alice, person=world.zelda, user=bob)
    before = db_state()
    with pytest.raises(Conflict):
        person_erase(actor=alice, person=world.zelda, confirm_name=NAME)
    assert db_state() == before


# --- API -------------------------------------------------------------------------------------


ERASE_MATRIX = [
    ({"confirm_name": NAME}, (403, 403, 204)),
    ({"confirm_name": "Ben Harris"}, (403, 403, 422)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("body", "expected"), ERASE_MATRIX)
def test_the_api_erases_for_owners_only(
    tokens: dict[str, str | None],
    world: AccessWorld,
    persona: str,
    body: dict[str, str],
    expected: tuple[int, int, int],
) -> None:
    check_operation(
        token=tokens[persona],
        world={"zelda": world.zelda.pk},
        persona=persona,
        method="delete",
        path="/api/v1/people/{zelda}/data",
        body=body,
        expected=expected,
    )
    erased = not Person.objects.filter(pk=world.zelda.pk).exists()
    assert erased == (persona == "alice" and expected[2] == 204)


# --- web -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_confirm_page_is_for_owners(world: AccessWorld, role: str, request: Any) -> None:
    users = {r: request.getfixturevalue(r) for r in ROLES if r != "anonymous"}
    client = client_for(role, users)
    before = db_state()
    response = client.get(reverse("exchange:person_erase", args=[world.zelda.pk]))
    expected = {"anonymous": 302, "charlie": 302, "bob": 403, "maria": 403, "alice": 200}[role]
    assert response.status_code == expected
    assert db_state() == before
    if role == "alice":
        assert b'name="confirm_name"' in response.content


@pytest.mark.parametrize("role", ROLES)
def test_the_erase_post_is_for_owners(world: AccessWorld, role: str, request: Any) -> None:
    users = {r: request.getfixturevalue(r) for r in ROLES if r != "anonymous"}
    url = reverse("exchange:person_erase", args=[world.zelda.pk])
    client = client_for(role, users)
    before = db_state()
    response = client.post(url, {"confirm_name": NAME})
    expected = {"anonymous": 302, "charlie": 302, "bob": 403, "maria": 403, "alice": 302}[role]
    assert response.status_code == expected
    if role == "alice":
        assert response["Location"] == reverse("people:person_list")
        assert mentions(SECRETS + EMAILS) == []
        assert AuditEntry.objects.filter(action="person.erase", actor=users["alice"]).count() == 1
    else:
        assert db_state() == before


def test_the_erase_post_names_a_wrong_name(world: AccessWorld, alice: User) -> None:
    client = client_for("alice", {"alice": alice})
    before = db_state()
    url = reverse("exchange:person_erase", args=[world.zelda.pk])
    response = client.post(url, {"confirm_name": "Zelda"})
    assert response.status_code == 422
    assert b"Type the person&#x27;s full name to confirm." in response.content
    assert db_state() == before


def test_the_person_page_links_to_erasure_for_owners_only(
    world: AccessWorld, alice: User, maria: User
) -> None:
    erase_url = reverse("exchange:person_erase", args=[world.zelda.pk]).encode()
    page = reverse("people:person_detail", args=[world.zelda.pk])
    assert erase_url in client_for("alice", {"alice": alice}).get(page).content
    assert erase_url not in client_for("maria", {"maria": maria}).get(page).content


# --- command line ----------------------------------------------------------------------------


def test_the_command_erases(world: AccessWorld) -> None:
    err = io.StringIO()
    call_command("erase", str(world.zelda.pk), "--confirm-name", NAME, stderr=err)
    assert err.getvalue() == f"Erased person {world.zelda.pk}.\n"
    assert mentions(SECRETS + EMAILS) == []
    assert AuditEntry.objects.get(action="person.erase").actor_label == "command line"


def test_the_command_refuses_a_wrong_name(world: AccessWorld) -> None:
    before = db_state()
    with pytest.raises(CommandError) as exc:
        call_command("erase", str(world.zelda.pk), "--confirm-name", "Zed")
    assert exc.value.returncode == 2
    assert db_state() == before


def test_the_command_as_a_manager_is_refused(world: AccessWorld, maria: User) -> None:
    before = db_state()
    with pytest.raises(CommandError) as exc:
        call_command("erase", str(world.zelda.pk), "--confirm-name", NAME, "--as", maria.email)
    assert exc.value.returncode == 4
    assert db_state() == before


def test_an_unknown_person_is_not_found(db: None) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("erase", "999999", "--confirm-name", NAME)
    assert exc.value.returncode == 3
