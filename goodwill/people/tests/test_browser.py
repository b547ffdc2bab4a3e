"""End-to-end flows in Debian's chromium: log in, search, open a person, log, add interests.

Also: what people type (names, notes, labels) never runs as script on any page.
"""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.core.testing import PASSWORD
from goodwill.people.models import PersonInterest
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_create,
    person_interest_add,
    relationship_create,
)
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/today/")
    page.goto(f"{live_server.url}/people/")


def test_staff_find_a_guest_and_quick_log_a_call_on_a_phone(
    page: Any, live_server: Any, bob: User
) -> None:
    from playwright.sync_api import expect

    ann = make_person(bob, given_name="Ann", family_name="Harris", emails=["ann@example.com"])
    make_person(bob, given_name="Ben", family_name="Other")
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, bob.email)
    page.get_by_role("searchbox").fill("harr")
    result = page.locator("#results").get_by_role("link", name="Ann Harris")
    expect(result).to_be_visible()
    expect(page.locator("#results").get_by_role("link", name="Ben Other")).to_have_count(0)
    result.click()
    page.wait_for_url(f"{live_server.url}/people/{ann.pk}/")
    page.get_by_label("What").select_option("call")
    page.get_by_label("Summary").fill("Asked about anniversary dates in May")
    page.get_by_role("button", name="Log it").click()
    expect(page.locator("#timeline")).to_contain_text("Asked about anniversary dates in May")
    logged = Interaction.objects.get()
    assert (logged.person_id, logged.kind, logged.staff) == (ann.pk, "call", bob)


def test_staff_add_an_interest_and_see_its_source(page: Any, live_server: Any, bob: User) -> None:
    from playwright.sync_api import expect

    ann = make_person(bob, given_name="Ann", family_name="Harris")
    _log_in(page, live_server, bob.email)
    page.goto(f"{live_server.url}/people/{ann.pk}/")
    page.get_by_text("Add an interest").click()
    interests = page.locator("#interests")
    interests.get_by_label("Interest").fill("Storm-chasing")
    interests.get_by_label("How do we know?").select_option("told_us")
    interests.get_by_label("Note").fill("Chases storms in Kansas every May")
    interests.get_by_role("button", name="Add interest").click()
    expect(page.locator("#interests")).to_contain_text("Storm chasing")
    expect(page.locator("#interests")).to_contain_text("told us")
    expect(page.locator("#interests")).to_contain_text("Chases storms in Kansas every May")
    assert PersonInterest.objects.get().interest.key == "storm chasing"


def test_script_in_names_and_notes_is_shown_as_text(page: Any, live_server: Any, bob: User) -> None:
    from playwright.sync_api import expect

    evil = "<script>window.__pwned=1</script>"
    person = make_person(
        bob, given_name=evil, family_name="Harris", notes='<img src=x onerror="window.__pwned=2">'
    )
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _log_in(page, live_server, bob.email)
    expect(page.locator("#results")).to_contain_text(evil)
    page.get_by_role("searchbox").fill("harris")
    expect(page.locator("#results")).to_contain_text(evil)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.locator("main")).to_contain_text('<img src=x onerror="window.__pwned=2">')
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


def _unharmed(page: Any, dialogs: list[str]) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


def test_a_managers_pages_show_script_in_names_notes_and_labels_as_text(
    page: Any, live_server: Any, maria: User
) -> None:
    from playwright.sync_api import expect

    evil = "<script>window.__pwned=1</script>"
    img = '<img src=x onerror="window.__pwned=2">'
    person = make_person(maria, given_name=evil, family_name="Harris")
    jack = make_person(maria, given_name="Jack", family_name="Harris")
    org = organisation_create(actor=maria, name=evil)
    membership_set(actor=maria, person=person, organisation=org, job_title="Chef")
    home = household_create(actor=maria, name=evil, member_ids=[person.pk])
    person_interest_add(actor=maria, person=person, name="Birding", source="told_us", note=img)
    relationship_create(actor=maria, person=jack, other=person, kind="custom", custom_label=img)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _log_in(page, live_server, maria.email)

    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.locator("h1")).to_contain_text(f"{evil} Harris")
    expect(page.locator("#interests")).to_contain_text(img)
    expect(page.locator("#relationships")).to_contain_text(img)
    expect(page.locator("#organisations")).to_contain_text(evil)
    expect(page.locator("#household")).to_contain_text(evil)
    history = page.locator("#history")
    expect(history).to_contain_text("Interest added")
    expect(history).to_contain_text(f"{evil} Harris")
    expect(history).to_contain_text(img)
    expect(page.locator("main img")).to_have_count(0)
    _unharmed(page, dialogs)

    page.goto(f"{live_server.url}/people/organisations/{org.pk}/")
    expect(page.locator("h1")).to_have_text(evil)
    expect(page.locator("main")).to_contain_text(f"{evil} Harris")
    _unharmed(page, dialogs)

    page.goto(f"{live_server.url}/people/households/{home.pk}/")
    expect(page.locator("h1")).to_have_text(evil)
    expect(page.locator("main")).to_contain_text(f"{evil} Harris")
    _unharmed(page, dialogs)
