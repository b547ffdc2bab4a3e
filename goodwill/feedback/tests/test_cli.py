"""``goodwill heard`` and ``goodwill feedback list`` at the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.feedback.models import Feedback
from goodwill.feedback.tests.factories import SCRIPT, heard
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_heard_notes_it_as_the_given_user(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")

    output = _run(
        "heard", "Best prices in town", "--category", "price", "--positive",
        "--person", str(anne.pk), "--as", "bob@example.com",
    )  # fmt: skip

    feedback = Feedback.objects.get()
    assert output == f"Noted feedback {feedback.pk} from Anne Whitman: Price: Best prices in town\n"
    assert (feedback.sentiment, feedback.heard_by, feedback.person) == ("positive", bob, anne)
    assert Interaction.objects.get(person=anne).kind == "feedback"


def test_heard_prints_json_with_the_text_as_written(bob: User) -> None:
    data = json.loads(
        _run(
            "heard",
            SCRIPT,
            "--category",
            "staff",
            "--negative",
            "--as",
            "bob@example.com",
            "--json",
        )
    )
    feedback = Feedback.objects.get()
    assert data == {
        "id": feedback.pk,
        "source": "counter",
        "text": SCRIPT,
        "category": "staff",
        "sentiment": "negative",
        "person_id": None,
        "heard_by": "bob@example.com",
        "heard_at": feedback.heard_at.isoformat(),
        "status": "new",
        "handled_by": None,
        "handled_at": None,
        "action": "",
    }


def test_heard_needs_exactly_one_sentiment(bob: User) -> None:
    with pytest.raises(CommandError):
        _run("heard", "Hi", "--category", "price", "--positive", "--negative")
    with pytest.raises(CommandError):
        _run("heard", "Hi", "--category", "price")
    assert Feedback.objects.count() == 0


def test_heard_errors_exit_with_their_codes(bob: User, charlie: User) -> None:
    cases = [
        (["heard", " ", "--category", "price", "--neutral"], 2, "text: Write down what they said."),
        (
            ["heard", "Hi", "--category", "price", "--neutral", "--person", "999"],
            3,
            "No such person.",
        ),
        (
            ["heard", "Hi", "--category", "price", "--neutral", "--as", "nobody@example.com"],
            3,
            None,
        ),
        (
            ["heard", "Hi", "--category", "price", "--neutral", "--as", "charlie@example.com"],
            4,
            None,
        ),
    ]
    for args, code, message in cases:
        with pytest.raises(CommandError) as caught:
            _run(*args)
        assert caught.value.returncode == code, args
        if message:
            assert str(caught.value) == message
    assert Feedback.objects.count() == 0


def test_feedback_list_for_a_manager_with_a_status_filter(maria: User) -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")
    first = heard(text="Old remark")
    second = heard(person=anne, text="New\nremark", category="staff", sentiment="negative")
    Feedback.objects.filter(pk=first.pk).update(status="acknowledged")

    output = _run("feedback", "list", "--status", "new", "--as", "maria@example.com")

    when = second.heard_at.strftime("%Y-%m-%d %H:%M")  # the business zone is UTC
    assert output == f"{second.pk}\t{when}\tnew\tstaff\tnegative\tAnne Whitman\tNew remark\n"


def test_feedback_list_json_keeps_script_as_text(maria: User) -> None:
    item = heard(text=SCRIPT)
    data = json.loads(_run("feedback", "list", "--json", "--as", "maria@example.com"))
    assert [(i["id"], i["text"]) for i in data["items"]] == [(item.pk, SCRIPT)]
    assert data["next_cursor"] is None


def test_feedback_list_is_refused_to_staff(bob: User) -> None:
    heard()
    with pytest.raises(CommandError) as caught:
        _run("feedback", "list", "--as", "bob@example.com")
    assert caught.value.returncode == 4


def test_feedback_list_says_when_there_is_nothing() -> None:
    assert _run("feedback", "list") == "No feedback.\n"
