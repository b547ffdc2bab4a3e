"""``goodwill log``: a touch from the command line, through interaction_log."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.people.services import person_archive
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction


def _log(*args: str) -> str:
    out = StringIO()
    call_command("log", *args, stdout=out)
    return out.getvalue()


def test_it_logs_an_interaction_as_the_command_line(db: None) -> None:
    person = make_person()

    output = _log(str(person.pk), "--kind", "call", "--summary", " Booked October ")

    interaction = Interaction.objects.get()
    assert output == f"Logged call {interaction.pk} for Ann Harris: Booked October\n"
    assert (interaction.kind, interaction.summary, interaction.direction, interaction.intent) == (
        "call",
        "Booked October",
        "in_person",
        "neutral",
    )
    assert interaction.staff_id is None


def test_it_logs_as_a_user_and_prints_json(bob: User) -> None:
    person = make_person()

    output = _log(
        str(person.pk),
        "--kind",
        "greeting",
        "--summary",
        "Birthday card",
        "--body",
        "Roses",
        "--direction",
        "outbound",
        "--intent",
        "giving",
        "--as",
        "bob@example.com",
        "--json",
    )

    interaction = Interaction.objects.get()
    assert json.loads(output) == {
        "id": interaction.pk,
        "person_id": person.pk,
        "kind": "greeting",
        "direction": "outbound",
        "intent": "giving",
        "summary": "Birthday card",
        "body": "Roses",
        "occurred_at": interaction.occurred_at.isoformat(),
        "staff": "bob@example.com",
    }


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--kind", "fax", "--summary", "x"], "kind: Unknown kind fax.", 2),
        (["--kind", "call", "--summary", "  "], "summary: Say in a few words what happened.", 2),
        (
            ["--kind", "call", "--summary", "x", "--direction", "up"],
            "direction: Unknown direction up.",
            2,
        ),
        (
            ["--kind", "call", "--summary", "x", "--intent", "sell"],
            "intent: Unknown intent sell.",
            2,
        ),
        (
            ["--kind", "call", "--summary", "x", "--as", "nobody@example.com"],
            "No user with email nobody@example.com.",
            3,
        ),
        (
            ["--kind", "call", "--summary", "x", "--as", "charlie@example.com"],
            "Your role does not allow this.",
            4,
        ),
        (
            ["--kind", "call", "--summary", "x", "--staff", "nobody@example.com"],
            "staff: No active user with email nobody@example.com.",
            2,
        ),
        (
            ["--kind", "call", "--summary", "x", "--staff", "charlie@example.com"],
            "staff: No active user with email charlie@example.com.",
            2,
        ),
    ],
)
def test_bad_input_names_the_field_exits_with_its_code_and_writes_nothing(
    charlie: User, args: list[str], message: str, code: int
) -> None:
    person = make_person()

    with pytest.raises(CommandError) as exc:
        _log(str(person.pk), *args)

    assert (str(exc.value), exc.value.returncode) == (message, code)
    assert Interaction.objects.count() == 0


def test_it_logs_for_another_staff_member(bob: User, maria: User) -> None:
    person = make_person()

    _log(
        str(person.pk),
        *["--kind", "visit", "--summary", "Tea", "--as", "bob@example.com"],
        *["--staff", "Maria@Example.com"],
    )

    interaction = Interaction.objects.get()
    assert (interaction.staff, interaction.created_by) == (maria, bob)


def test_the_command_line_may_name_the_staff_member(maria: User) -> None:
    person = make_person()

    _log(str(person.pk), "--kind", "visit", "--summary", "Tea", "--staff", "maria@example.com")

    interaction = Interaction.objects.get()
    assert (interaction.staff, interaction.created_by) == (maria, None)


def test_an_unknown_person_exits_3(db: None) -> None:
    with pytest.raises(CommandError) as exc:
        _log("424242", "--kind", "call", "--summary", "x")

    assert (str(exc.value), exc.value.returncode) == ("No such person.", 3)


def test_staff_cannot_log_on_an_archived_person(bob: User) -> None:
    person = person_archive(actor=None, person=make_person())

    with pytest.raises(CommandError) as exc:
        _log(str(person.pk), "--kind", "call", "--summary", "x", "--as", "bob@example.com")

    assert exc.value.returncode == 3
    assert Interaction.objects.count() == 0
