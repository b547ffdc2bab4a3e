"""``goodwill agenda``: the agenda of a day at the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.occasions.services.memory import occasion_mark_done
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.tests.occasion_factories import birthday, make_couple
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _agenda(*args: str) -> str:
    out = StringIO()
    call_command("agenda", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_line_per_entry_soonest_first() -> None:
    anne = make_person(given_name="Anne", family_name="Whitman")
    occasion = birthday(anne, 11, 25, 1986)
    occasion_mark_done(actor=None, occasion=occasion, year=2026)
    _c, _d, couple = make_couple("Cleo", "Dan", "Reyes")
    occasion_create(actor=None, kind="wedding_anniversary", relationship=couple, month=11, day=23)

    output = _agenda("--date", "2026-11-23")

    assert output == (
        "2026-11-23  today  Wedding anniversary — Cleo Reyes, Dan Reyes\n"
        "2026-11-25  in 2 days  Birthday — Anne Whitman (turns 40)  [done]\n"
    )


def test_days_widens_the_window_and_json_lists_the_entries() -> None:
    anne = make_person(given_name="Anne", family_name="Whitman", preferred_name="Annie")
    occasion = birthday(anne, 12, 13)

    data = json.loads(_agenda("--date", "2026-11-23", "--days", "30", "--json"))

    assert data == {
        "date": "2026-11-23",
        "entries": [
            {
                "occasion_id": occasion.pk,
                "kind": "birthday",
                "title": "Birthday",
                "date": "2026-12-13",
                "days_until": 20,
                "turning": None,
                "turning_label": "",
                "people": [{"id": anne.pk, "name": "Anne Whitman", "call_name": "Annie"}],
                "call_names": "Annie",
                "done": False,
                "last_year": None,
            }
        ],
    }


def test_an_empty_agenda_says_so() -> None:
    assert _agenda("--date", "2026-11-23") == "Nothing on the agenda of 2026-11-23.\n"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--date", "2026-02-30"], "--date"),
        (["--date", "soon"], "--date"),
        (["--days", "-1"], "--days"),
        (["--days", "366"], "--days"),
        (["--days", "many"], "--days"),
    ],
)
def test_bad_options_are_named_and_exit_2(args: list[str], option: str) -> None:
    with pytest.raises(CommandError) as caught:
        _agenda(*args)
    assert str(caught.value).startswith(f"{option}: ")
    assert caught.value.returncode == 2


def test_a_deactivated_user_is_refused(charlie: User) -> None:
    with pytest.raises(CommandError) as caught:
        _agenda("--as", "charlie@example.com")
    assert caught.value.returncode == 4
