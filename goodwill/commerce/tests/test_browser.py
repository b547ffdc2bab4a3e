"""End to end in Debian's chromium, on a phone: a clerk logs a stay on the guest's page and
sees their stage; once it is due, "Did you ask them?" lists it and one tap records asking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from goodwill.accounts.models import User
from goodwill.commerce.models import Purchase
from goodwill.core.testing import PASSWORD
from goodwill.feedback.models import FollowUp
from goodwill.occasions.selectors.settings import business_today
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _log_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/today/")


def test_a_clerk_logs_a_stay_then_records_asking_how_it_was(
    page: Any, live_server: Any, bob: User
) -> None:
    from playwright.sync_api import expect

    anne = make_person(bob, given_name="Anne", family_name="Moss")
    today = business_today()
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, bob.email)

    page.goto(f"{live_server.url}/people/{anne.pk}/")
    section = page.locator("#purchases")
    expect(section).to_contain_text("No purchases or stays logged.")
    section.get_by_text("Log a purchase or stay").click()
    section.get_by_label("Type").select_option("stay")
    section.get_by_label("Check-in").fill((today - dt.timedelta(days=4)).isoformat())
    section.get_by_label("Check-out").fill((today - dt.timedelta(days=2)).isoformat())
    section.get_by_label("Amount").fill("240,00 €")
    section.get_by_label("Item or service").fill("Basin Room, 2 nights")
    section.get_by_role("button", name="Log it").click()

    expect(page.locator(".messages")).to_contain_text("Logged on Anne Moss's page.")
    expect(page.locator("#journey")).to_contain_text("first-time")
    expect(page.locator("#purchase-list")).to_contain_text("240.00 EUR")
    stay = Purchase.objects.get()
    assert (stay.kind, stay.check_out, stay.created_by) == (
        "stay",
        today - dt.timedelta(days=2),
        bob,
    )

    page.get_by_role("link", name="Did you ask them?").click()
    row = page.locator(f"#purchase-{stay.pk}")
    expect(row).to_contain_text("Anne Moss")
    row.get_by_role("button", name="Asked by phone").click()
    expect(page.locator(".messages")).to_contain_text("Noted: Anne Moss was asked.")
    expect(page.locator("#unasked")).to_contain_text("Everyone has been asked.")
    assert FollowUp.objects.get().method == "phone"
