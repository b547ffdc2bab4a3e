"""``goodwill consent``: show, give and withdraw from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.outreach.models_consent import Consent
from goodwill.outreach.services.consent import topic_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_gives_withdraws_and_shows_consent(bob: User) -> None:
    anne = make_person(emails=["anne@example.com"])
    topic_create(actor=None, name="Newsletter")

    given = json.loads(
        run("consent", "give", str(anne.pk), "--address", "anne@example.com", "--topic",
            "NEWSLETTER", "--evidence", "At the till", "--as", "bob@example.com", "--json")
    )  # fmt: skip
    run("consent", "withdraw", str(anne.pk), "--address", "anne@example.com", "--as",
        "bob@example.com")  # fmt: skip
    shown = json.loads(run("consent", "show", str(anne.pk), "--json"))

    assert (given["topic"], given["basis"], given["source"]) == ("newsletter", "express", "staff")
    assert [(s["topic"], s["valid"]) for s in shown["statuses"]] == [
        (None, False),
        ("newsletter", False),
    ]
    assert [h["basis"] for h in shown["history"]] == ["withdrawn", "express"]


def test_another_persons_address_exits_2_and_records_nothing(bob: User) -> None:
    anne = make_person(emails=["anne@example.com"])

    with pytest.raises(CommandError) as caught:
        run("consent", "give", str(anne.pk), "--address", "zed@example.com")

    assert caught.value.returncode == 2
    assert str(caught.value) == "address: That address is not one of this person's."
    assert Consent.objects.count() == 0
