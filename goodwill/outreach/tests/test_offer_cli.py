"""``goodwill offer``: list, show, create and render from the command line."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.services.consent import topic_create
from goodwill.people.tests.factories import give_interests, make_person

pytestmark = pytest.mark.django_db

CREATE = ("offer", "create", "--name", "Storm season", "--topic", "offers", "--interest",
          "storm chasing", "--subject", "For you, {{ preferred_name }}")  # fmt: skip


@pytest.fixture(autouse=True)
def _world(db: None) -> None:
    give_interests(make_person(given_name="Sam"), "Storm chasing")
    topic_create(actor=None, name="Offers")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_creates_lists_shows_and_renders_an_offer(maria: User, tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("Dear {{ preferred_name }},\nYour code: {{ offer_code }}\n", encoding="utf-8")
    created = json.loads(
        run(*CREATE, "--body-file", str(body), "--code-prefix", "storm", "--valid-until",
            "2026-12-31", "--as", "maria@example.com", "--json")
    )  # fmt: skip
    assert {
        k: created[k] for k in ("name", "topic", "interests", "code_prefix", "valid_until")
    } == {
        "name": "Storm season",
        "topic": "offers",
        "interests": ["storm chasing"],
        "code_prefix": "STORM",
        "valid_until": "2026-12-31",
    }
    listed = json.loads(run("offer", "list", "--json"))
    assert [o["id"] for o in listed] == [created["id"]]
    shown = run("offer", "show", str(created["id"]))
    assert shown.startswith(f"{created['id']}\tStorm season\tOffers\tgiving\n")

    anna = make_person(given_name="Anna")
    rendered = json.loads(run("offer", "render", str(created["id"]), "--person", str(anna.pk),
                              "--json"))  # fmt: skip
    assert rendered == {
        "subject": "For you, Anna",
        "body": "Dear Anna,\nYour code: STORM-SAMPLE",
        "held_reason": "",
        "urgent": False,
    }


def test_render_says_when_a_message_would_be_held(maria: User) -> None:
    run(*CREATE, "--body", "Dear {{ given_name }},\nHello")
    offer = Offer.objects.get()
    nameless = make_person(given_name="", family_name="Lee")
    text = run("offer", "render", str(offer.pk), "--person", str(nameless.pk))
    assert text.startswith("Would be held for review: no given or preferred name\n")


def test_a_bad_template_exits_2_and_creates_nothing() -> None:
    with pytest.raises(CommandError) as caught:
        run(*CREATE, "--body", "Dear {{ person.email }},")
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(
        "body_template: line 1, column 6: only a plain name is allowed, not {{ person.email }}"
    )
    assert Offer.objects.count() == 0


def test_staff_cannot_create_and_exit_4(bob: User) -> None:
    with pytest.raises(CommandError) as caught:
        run(*CREATE, "--body", "Dear {{ given_name }},", "--as", "bob@example.com")
    assert caught.value.returncode == 4
    assert Offer.objects.count() == 0


def test_an_unknown_offer_exits_3() -> None:
    with pytest.raises(CommandError) as caught:
        run("offer", "show", "999")
    assert (caught.value.returncode, str(caught.value)) == (3, "No such offer.")
