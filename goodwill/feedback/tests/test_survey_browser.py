"""End to end in Debian's chromium with JavaScript off: a customer opens their survey link on a
phone, answers, and is thanked; the answer is stored once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from goodwill.accounts.services import business_update
from goodwill.core.tests.browser import ARTIFACTS
from goodwill.feedback.models import Feedback, Survey
from goodwill.feedback.services.surveys import survey_create
from goodwill.people.tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def no_js_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A phone-sized page with JavaScript disabled; a screenshot under test-artifacts/ on
    failure."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_a_customer_answers_the_survey_on_a_phone_without_javascript(
    no_js_page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    cache.clear()
    business_update(actor=None, name="The Green Grocer")
    anne = make_person(given_name="Anne", family_name="Whitman")
    _survey, raw = survey_create(actor=None, person=anne)
    page = no_js_page

    page.goto(f"{live_server.url}/s/{raw}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Anne, how was it?")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("radio", name="9", exact=True).check()
    page.get_by_label("Anything you would like to tell us? (optional)").fill("Lovely tomatoes")
    page.get_by_role("button", name="Send my answer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Anne!")
    feedback = Feedback.objects.get()
    assert (feedback.score, feedback.thumbs_up, feedback.text) == (9, True, "Lovely tomatoes")
    assert Survey.objects.get().answer == feedback

    page.goto(f"{live_server.url}/s/{raw}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thanks, we already have your answer."
    )
    assert Feedback.objects.count() == 1
