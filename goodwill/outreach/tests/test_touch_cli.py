"""``goodwill touch``: log a call, show the balance and read or change the policy from the
command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.outreach.models_touch import Touch, TouchPolicy
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_logs_an_asking_call_and_the_balance_shows_it(bob: User) -> None:
    anne = make_person(given_name="Anne")
    logged = json.loads(
        run("touch", "log", str(anne.pk), "Asked for a review", "--channel", "phone", "--asking",
            "--as", "bob@example.com", "--json")
    )  # fmt: skip
    balance = json.loads(run("touch", "balance", str(anne.pk), "--json"))
    text = run("touch", "balance", str(anne.pk))

    assert (logged["intent"], logged["channel"], logged["counts"]) == ("asking", "phone", True)
    assert (balance["giving"], balance["asking"], balance["transactional"]) == (0, 1, 0)
    assert balance["marketing"] == {
        "allowed": False,
        "reason": "1 marketing touch in the last 14 days (limit 1)",
    }
    assert balance["next_ask"]["allowed"] is False
    assert "Last 365 days: 0 giving, 1 asking, 0 transactional." in text


def test_it_shows_and_changes_the_policy() -> None:
    shown = json.loads(run("touch", "policy", "--json"))
    changed = json.loads(
        run("touch", "policy", "--short-max", "2", "--quiet-start", "22:15", "--stages",
            "regular,advocate", "--giving-before-asking", "no", "--json")
    )  # fmt: skip

    assert (shown["short_max"], shown["quiet_start"], shown["stay_in_touch_stages"]) == (
        1,
        "21:00",
        ["regular"],
    )
    assert (changed["short_max"], changed["quiet_start"], changed["giving_before_asking"]) == (
        2,
        "22:15",
        False,
    )
    assert TouchPolicy.objects.get(pk=1).stay_in_touch_stages == ["regular", "advocate"]


def test_staff_cannot_change_the_policy_and_it_exits_4(bob: User) -> None:
    with pytest.raises(CommandError) as caught:
        run("touch", "policy", "--short-max", "3", "--as", "bob@example.com")
    assert caught.value.returncode == 4
    assert TouchPolicy.objects.count() == 0


def test_a_bad_value_exits_2_naming_the_field() -> None:
    with pytest.raises(CommandError) as caught:
        run("touch", "policy", "--long-days", "400")
    assert caught.value.returncode == 2
    assert str(caught.value) == "long_days: A whole number from 1 to 365."
    assert TouchPolicy.objects.count() == 0


def test_a_bad_channel_exits_2_and_logs_nothing() -> None:
    anne = make_person(given_name="Anne")
    with pytest.raises(CommandError) as caught:
        run("touch", "log", str(anne.pk), "Sent a fax", "--channel", "fax", "--giving")
    assert caught.value.returncode == 2
    assert str(caught.value).startswith("channel: Unknown channel")
    assert Touch.objects.count() == 0
