"""End to end in Debian's chromium: Today shows a birthday, a greeting goes out and the entry
moves to "already congratulated"; an occasion is added from the person page."""

from __future__ import annotations

from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.core.testing import PASSWORD
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.occasions.selectors.settings import business_today
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/today/")


def test_staff_greet_todays_birthday_from_the_today_page_on_a_phone(
    page: Any, live_server: Any, bob: User
) -> None:
    from playwright.sync_api import expect

    anne = make_person(bob, given_name="Anne", family_name="Moss", emails=["anne@example.com"])
    today = business_today()
    occasion_create(actor=None, kind="birthday", month=today.month, day=today.day, person=anne)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, bob.email)

    todays = page.locator("#today")
    expect(todays).to_contain_text("Anne Moss")
    expect(todays).to_contain_text("Birthday")
    todays.get_by_role("link", name="Draft a greeting for Anne").click()
    expect(page.get_by_label("Subject")).to_have_value("Happy birthday, Anne!")
    expect(page.locator("#recipients")).to_contain_text("anne@example.com")
    mailto = page.get_by_role("link", name="Open in my mail app").get_attribute("href")
    assert mailto.startswith("mailto:anne@example.com?subject=Happy%20birthday%2C%20Anne%21&body=")
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(f"{live_server.url}/today/")
    expect(page.locator(".messages")).to_contain_text("Greeting queued for Anne.")
    expect(page.locator("#done")).to_contain_text("Anne Moss")
    expect(page.locator("#today")).to_contain_text("Nothing to celebrate on this day.")
    message = OutboxMessage.objects.get()
    assert (message.recipients, message.subject, message.kind) == (
        ["anne@example.com"],
        "Happy birthday, Anne!",
        "transactional",
    )
    assert OccasionTouch.objects.get().kind == "greeting"

    page.locator("#done").get_by_role("button", name="Undo done for Anne").click()
    expect(page.locator("#today")).to_contain_text("Anne Moss")
    expect(page.locator("#agenda .messages")).to_contain_text("Anne: no longer marked done.")
    page.locator("#today").get_by_role("button", name="Mark done for Anne").click()
    expect(page.locator("#done")).to_contain_text("Anne Moss")
    assert OccasionYear.objects.get().done_by == bob


def test_staff_add_a_birthday_from_the_person_page(page: Any, live_server: Any, bob: User) -> None:
    from playwright.sync_api import expect

    ann = make_person(bob, given_name="Ann", family_name="Harris")
    _log_in(page, live_server, bob.email)
    page.goto(f"{live_server.url}/people/{ann.pk}/")
    section = page.locator("#occasions")
    expect(section).to_contain_text("No occasions noted.")
    section.get_by_text("Add an occasion").click()
    section.get_by_label("Occasion").select_option("birthday")
    section.get_by_label("Month").select_option("4")
    section.get_by_label("Day:", exact=True).fill("12")
    section.get_by_label("Year:", exact=True).fill("1985")
    section.get_by_label("Note").fill("Loves a cake with candles")
    section.get_by_role("button", name="Add occasion").click()

    page.wait_for_url(f"{live_server.url}/people/{ann.pk}/#occasions")
    expect(page.locator("#occasions")).to_contain_text("12 April 1985")
    expect(page.locator("#occasions")).to_contain_text("Loves a cake with candles")
    occasion = Occasion.objects.get()
    assert (occasion.kind, occasion.person_id, occasion.date_label) == (
        "birthday",
        ann.pk,
        "1985-04-12",
    )
