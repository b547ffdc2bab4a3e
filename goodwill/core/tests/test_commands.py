"""``goodwill demo`` and ``goodwill serve``, and how every command reports a refused input."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goodwill.accounts.models import User
from goodwill.accounts.services import owner_create
from goodwill.commerce.models import Journey
from goodwill.demo import data
from goodwill.feedback.models import Feedback, FollowUp
from goodwill.people.models import Household, Person, PersonInterest, PersonTag, Relationship, Tag
from goodwill.people.selectors import person_connections
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_loads_harris_hall_with_its_people_and_logins(db: None) -> None:
    output = _demo()

    assert output.splitlines()[:2] == [
        "Loaded Harris Hall B&B: 40 people, 56 interactions, 21 occasions, 21 purchases and stays.",
        "Log in with any of these (password: ferry-demo-password):",
    ]
    assert "  margaret@harrishall.example      owner" in output.splitlines()
    assert Person.objects.count() == 40
    # 56 from the timeline data, 21 purchases and stays, 3 remarks about known guests, 1 call.
    assert Interaction.objects.count() == 81
    owner = User.objects.get(email="margaret@harrishall.example")
    assert (owner.role, owner.check_password(data.DEMO_PASSWORD)) == ("owner", True)
    assert sorted(User.objects.values_list("role", flat=True)) == [
        "manager",
        "owner",
        "staff",
        "staff",
        "staff",
    ]
    assert Person.objects.filter(user__isnull=False).count() == 5


def test_demo_guests_are_in_every_journey_stage(db: None) -> None:
    _demo()

    stages = dict(Journey.objects.values_list("person__given_name", "stage"))

    assert {name: stages[name] for name in ("Greta", "Walter", "Fiona", "Jack", "Raj")} == {
        "Greta": "regular",
        "Walter": "lapsed",
        "Fiona": "prospect",
        "Jack": "advocate",
        "Raj": "first_time",
    }
    assert (stages["Oliver"], stages["George"]) == ("advocate", "returning")
    assert FollowUp.objects.get().person.given_name == "Emily"
    assert Feedback.objects.count() == 5


def test_demo_has_offers_with_draft_campaigns_that_preview_their_reasons(db: None) -> None:
    from goodwill.outreach.models import Campaign, OutboxMessage
    from goodwill.outreach.selectors.audience import audience

    _demo()

    storm = audience(offer=Campaign.objects.get(name="Autumn storms").offer)
    assert {r.name: r.reason for r in storm.recipients} == {
        "Aisha Rahman": "Likes storm chasing",
        "Jack Whitman": "Likes storm chasing",
        "Samuel Osei": "Likes storm chasing",
    }
    couples = audience(offer=Campaign.objects.get(name="Anniversaries this season").offer)
    jack = next(r for r in couples.recipients if r.name == "Jack Whitman")
    assert jack.reason.startswith("Wedding anniversary on ")
    assert jack.reason.endswith(", with Ann Whitman")
    assert couples.excluded["no_consent"] >= 1
    assert set(Campaign.objects.values_list("state", flat=True)) == {"draft"}
    assert not OutboxMessage.objects.filter(kind="marketing").exists()


def test_demo_staff_and_a_guest_share_a_specific_interest(db: None) -> None:
    _demo()

    holders = PersonInterest.objects.filter(interest__key="storm chasing")
    assert sorted(holders.values_list("person__given_name", flat=True)) == [
        "Aisha",
        "Jack",
        "Samuel",
    ]
    jack = Person.objects.get(given_name="Jack", family_name="Whitman")
    staff = person_connections(person=jack)["staff"]
    assert [c.person.given_name for c in staff] == ["Aisha", "Daniel", "Tom"]
    assert [s.interest.key for s in staff[0].shared] == ["storm chasing", "weather"]


def test_demo_people_carry_the_inns_tags_with_who_added_them(db: None) -> None:
    _demo()

    counts = dict(Tag.objects.values_list("name", "people_count"))
    assert counts == {
        "Anniversary regulars": 4,
        "VIP": 3,
        "Christmas card list": 3,
        "Local supplier": 3,
    }
    link = PersonTag.objects.get(tag__name="VIP", person__given_name="Raj")
    assert link.added_by is not None
    assert link.added_by.email == "aisha@harrishall.example"


def test_demo_couples_are_spouses_with_a_wedding_date_and_share_a_household(db: None) -> None:
    _demo()

    jack = Person.objects.get(given_name="Jack", family_name="Whitman")
    ann = Person.objects.get(given_name="Ann", family_name="Whitman")
    spouse = Relationship.objects.get(kind="spouse", from_person=jack, to_person=ann)
    assert str(spouse.since) == "2009-08-22"
    assert jack.household_id == ann.household_id
    assert Household.objects.get(pk=jack.household_id).name == "The Whitmans"
    assert Relationship.objects.filter(kind="referred_by").count() == 4
    assert Relationship.objects.filter(kind="parent").count() == 3


def test_demo_if_empty_loads_once_and_then_does_nothing(db: None) -> None:
    _demo("--if-empty")

    output = _demo("--if-empty")

    assert output.splitlines()[0] == "This database is in use; the demo business was not loaded."
    assert output.splitlines()[1] == "Log in with any of these (password: ferry-demo-password):"
    assert Person.objects.count() == 40
    assert Interaction.objects.count() == 81


def test_demo_if_empty_leaves_a_business_with_people_alone(db: None) -> None:
    make_person()

    assert _demo("--if-empty") == (
        "This database is in use; the demo business was not loaded.\n"
        "Log in with your own account (goodwill createowner makes one).\n"
    )
    assert Person.objects.count() == 1
    assert User.objects.count() == 0


def test_demo_if_empty_leaves_a_business_with_only_an_owner_alone(db: None) -> None:
    owner_create(email="owner@example.com", password="a-long-test-password-42")

    assert _demo("--if-empty").startswith("This database is in use;")
    assert Person.objects.count() == 0
    assert User.objects.count() == 1


def test_demo_twice_without_if_empty_is_a_conflict(db: None) -> None:
    _demo()

    with pytest.raises(CommandError) as exc:
        _demo()

    assert (str(exc.value), exc.value.returncode) == ("The demo business is already loaded.", 5)
    assert Person.objects.count() == 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "GOODWILL_DATABASE_URL"}
    return env | {"GOODWILL_DATA_DIR": str(data_dir), "GOODWILL_DEBUG": "false"}


def _goodwill(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own console script)
        [sys.executable, "-m", "goodwill", *args], env=env, capture_output=True, text=True
    )


def test_a_refused_command_exits_with_the_error_code_and_names_the_field(tmp_path: Path) -> None:
    result = _goodwill("createowner", "--email", "not-an-email", env=_env(tmp_path))

    assert result.returncode == 2
    assert result.stderr == "CommandError: email: Enter a valid email address.\n"


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = _goodwill("serve", "--port", str(_free_port()), env=_env(tmp_path))

    assert result.returncode == 1
    assert "run `goodwill migrate` first" in result.stderr


def test_serve_serves_pages_and_static_files(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _goodwill("migrate", "-v", "0", env=env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "goodwill", "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.05)
        with urllib.request.urlopen(f"{base}/static/goodwill/htmx.min.js") as answer:  # noqa: S310
            assert answer.status == 200
            assert b"htmx" in answer.read()
        with urllib.request.urlopen(f"{base}/login/") as answer:  # noqa: S310
            assert answer.status == 200
            assert answer.headers["Server"] == "goodwill"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_demo_has_a_birthday_today_and_remembers_last_year(db: None) -> None:
    from goodwill.occasions.selectors.agenda import agenda
    from goodwill.occasions.selectors.settings import business_today
    from goodwill.outreach.jobs.digest import digest_recipients

    _demo()

    page = agenda(user=None, date=business_today())
    ann = page.entries[0]
    assert (ann.days_until, ann.call_names, ann.occasion.kind) == (0, "Ann", "birthday")
    assert ann.last_year is not None
    assert [(t.kind, t.offer_used) for t in ann.last_year.touches.all()] == [
        ("greeting", None),
        ("offer", True),
    ]
    coming = {e.call_names: e.days_until for e in page.entries if e.days_until > 0}
    assert [u.email for u in digest_recipients()] == ["margaret@harrishall.example"]
    assert (coming["Dot"], coming["Jack"], coming["Kenji"]) == (2, 4, 6)  # Dot: preferred name
