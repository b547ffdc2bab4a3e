"""One-to-one email: the checks (address, suppression, gap, budget and consent for asking), a
manager's logged override, and the page, API and command that send it."""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_bytes
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodwill.accounts.models import AuditEntry, User
from goodwill.commerce.services import purchase_log
from goodwill.core.errors import Forbidden, Invalid
from goodwill.core.tests.matrix import ROLES, Route, check_route
from goodwill.outreach import suppression
from goodwill.outreach.channels.email import build
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.models_touch import Touch
from goodwill.outreach.selectors.budget import zone_named
from goodwill.outreach.services.direct import direct_email_check, direct_email_send
from goodwill.outreach.services.touches import touch_log
from goodwill.people.models import Person
from goodwill.people.tests.api_helpers import call, operation_ids, role_matrix_test
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db

NO_CONSENT = (
    "override: Not sent: No consent or customer relationship for asking: No consent on record. "
    "A manager may send it anyway."
)


@pytest.fixture
def ann() -> Person:
    return make_person(given_name="Ann", family_name="Harris", emails=["ann@example.com"])


def _send(actor: User | None, person: Person, intent: str = "giving", **kw: Any) -> OutboxMessage:
    fields = {"subject": "Thank you for Saturday", "body": "Dear Ann, thank you!"}
    return direct_email_send(actor=actor, person=person, intent=intent, **{**fields, **kw})


def _nothing_sent() -> None:
    assert OutboxMessage.objects.count() == 0
    assert Touch.objects.count() == 0
    assert Interaction.objects.count() == 0


def test_a_giving_email_is_queued_with_a_touch_and_a_timeline_entry(ann: Person, bob: User) -> None:
    message = _send(bob, ann)
    assert (message.kind, message.state) == ("transactional", "queued")
    assert (message.recipients, message.reply_to) == (["Ann <ann@example.com>"], bob.email)
    assert (message.subject, message.body_text) == (
        "Thank you for Saturday",
        "Dear Ann, thank you!",
    )
    touch = Touch.objects.get()
    assert (touch.purpose, touch.intent, touch.counts, touch.message_id) == (
        "one_to_one",
        "giving",
        False,
        message.pk,
    )
    assert (touch.created_by, touch.override_by) == (bob, None)
    timeline = Interaction.objects.get()
    assert (timeline.kind, timeline.direction, timeline.intent, timeline.summary) == (
        "email",
        "outbound",
        "giving",
        "Thank you for Saturday",
    )
    assert touch.interaction_id == timeline.pk


def test_a_line_break_in_a_name_cannot_add_a_header(bob: User) -> None:
    eve = make_person(
        given_name="Eve", preferred_name="Eve\r\nBcc: x@evil.example", emails=["eve@example.com"]
    )
    message = _send(bob, eve)
    assert message.recipients == ['"Eve Bcc: x@evil.example" <eve@example.com>']
    email = message_from_bytes(build(message).message().as_bytes())
    assert (email.get_all("To"), email.get_all("Bcc")) == (
        ['"Eve Bcc: x@evil.example" <eve@example.com>'],
        None,
    )


def test_an_email_written_in_their_quiet_hours_waits_until_morning(
    ann: Person, maria: User, maria_client: Client
) -> None:
    zone = zone_named("")
    late = dt.datetime(2026, 12, 4, 23, 30, tzinfo=zone)  # quiet from 21:00 to 08:00
    with mock.patch("django.utils.timezone.now", return_value=late.astimezone(dt.UTC)):
        message = _send(maria, ann)
        response = maria_client.post(
            reverse("outreach:direct_email", args=[ann.pk]),
            {"subject": "Another", "body": "Dear Ann", "intent": "giving", "override": "on"},
            follow=True,
        )
    assert message.next_attempt_at == dt.datetime(2026, 12, 5, 8, 0, tzinfo=zone)
    assert "it goes out after their quiet hours" in response.content.decode()


def test_the_same_email_twice_the_same_day_is_queued_once(ann: Person, bob: User) -> None:
    first = _send(bob, ann)
    assert _send(bob, ann) == first
    assert Touch.objects.count() == 1


def test_an_asking_email_needs_consent_or_a_customer_relationship(ann: Person, bob: User) -> None:
    with pytest.raises(Invalid) as caught:
        _send(bob, ann, "asking", subject="Would you review us?")
    assert caught.value.message == NO_CONSENT
    _nothing_sent()
    purchase_log(actor=None, person=ann, occurred_at=timezone.now() - dt.timedelta(days=40))
    _send(bob, ann, "asking", subject="Would you review us?")
    assert list(Touch.objects.values_list("intent", "counts")) == [("asking", True)]


def test_a_second_asking_email_within_the_budget_window_is_refused(ann: Person, bob: User) -> None:
    purchase_log(actor=None, person=ann, occurred_at=timezone.now() - dt.timedelta(days=40))
    Touch.objects.create(
        person=ann,
        at=timezone.now() - dt.timedelta(days=5),
        purpose="one_to_one",
        intent="asking",
        channel="phone",
        counts=True,
    )
    check = direct_email_check(person=ann, intent="asking")
    assert check.warnings == ["Touch budget: 1 marketing touch in the last 14 days (limit 1)."]
    assert direct_email_check(person=ann, intent="giving").clear


def test_a_giving_email_waits_for_the_gap_after_a_call(ann: Person, bob: User) -> None:
    touch_log(actor=bob, person=ann, channel="phone", intent="giving", summary="Called to thank")
    with pytest.raises(Invalid) as caught:
        _send(bob, ann)
    assert caught.value.fields == {
        "override": [
            "Not sent: Touch budget: within 48 h of the last touch. A manager may send it anyway."
        ]
    }
    assert OutboxMessage.objects.count() == 0


def test_a_manager_may_send_anyway_and_it_is_logged(ann: Person, maria: User) -> None:
    message = _send(maria, ann, "asking", override=True)
    touch = Touch.objects.get(message=message)
    assert (touch.override_by, touch.counts) == (maria, True)
    entry = AuditEntry.objects.get(action="email.override")
    assert (entry.actor, entry.target_id, entry.person_id) == (maria, message.pk, ann.pk)
    assert entry.changes["warnings"] == [
        None,
        ["No consent or customer relationship for asking: No consent on record."],
    ]


def test_an_override_with_nothing_to_override_is_not_logged_as_one(
    ann: Person, maria: User
) -> None:
    _send(maria, ann, override=True)
    assert Touch.objects.get().override_by is None
    assert not AuditEntry.objects.filter(action="email.override").exists()


def test_an_empty_message_is_refused_before_any_check(ann: Person, bob: User) -> None:
    with pytest.raises(Invalid) as caught:
        _send(bob, ann, "asking", body="  ")
    assert caught.value.fields == {"body": ["Write the message."]}
    _nothing_sent()


def test_staff_cannot_override(ann: Person, bob: User) -> None:
    with pytest.raises(Forbidden):
        _send(bob, ann, "asking", override=True)
    _nothing_sent()


def test_a_suppressed_address_is_refused_even_with_an_override(
    ann: Person, maria: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suppression, "_checkers", [lambda addresses: set(addresses)])
    with pytest.raises(Invalid) as caught:
        _send(maria, ann, override=True)
    assert caught.value.fields == {"to": ["Not sent: ann@example.com is on the suppression list."]}
    _nothing_sent()


def test_someone_without_an_address_cannot_be_emailed(maria: User) -> None:
    zoe = make_person(given_name="Zoe")
    with pytest.raises(Invalid) as caught:
        _send(maria, zoe, override=True)
    assert caught.value.fields == {"to": ["Not sent: Zoe Harris has no email address."]}


# The page


def _url(world: dict[str, Any]) -> str:
    return reverse("outreach:direct_email", args=[world["ann"].pk])


def _post(**kw: Any) -> Any:
    return lambda w: {"subject": "Thanks", "body": "Dear Ann", "intent": "giving", **kw}


@pytest.fixture
def world(ann: Person, alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    people = {"ann": ann, "ann_id": ann.pk}
    return {**people, "alice": alice, "maria": maria, "bob": bob, "charlie": charlie}


ROUTES = [
    Route("direct_email", "get", _url, (200, 200, 200)),
    Route("direct_email", "post", _url, (302, 302, 302), _post(), audit="outbox.enqueue"),
    Route(
        "direct_email",
        "post",
        _url,
        (403, 302, 302),
        _post(intent="asking", override="on"),
        audit="email.override",
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_direct_email_url_is_in_the_matrix() -> None:
    from goodwill.outreach.views.direct_urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in ROUTES}


def test_the_person_page_links_to_the_email_page(ann: Person, bob_client: Client) -> None:
    page = bob_client.get(reverse("people:person_detail", args=[ann.pk])).content.decode()
    assert f'href="/people/{ann.pk}/email/"' in page


def test_the_page_shows_each_checks_warning_and_the_override_to_managers_only(
    ann: Person, bob_client: Client, maria_client: Client
) -> None:
    url = reverse("outreach:direct_email", args=[ann.pk])
    page = bob_client.get(url).content.decode()
    assert "No consent or customer relationship for asking: No consent on record." in page
    assert 'name="override"' not in page
    assert 'name="override"' in maria_client.get(url).content.decode()


def test_a_refused_email_comes_back_with_the_reason_and_the_text(
    ann: Person, bob_client: Client
) -> None:
    url = reverse("outreach:direct_email", args=[ann.pk])
    data = {"subject": "Review us?", "body": "Dear Ann <b>", "intent": "asking"}
    response = bob_client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "A manager may send it anyway." in page
    assert "Dear Ann &lt;b&gt;</textarea>" in page
    _nothing_sent()


# The API and the command


MATRIX = [
    (
        "email_send",
        "post",
        "/api/v1/people/{ann_id}/emails",
        {"subject": "Thanks", "body": "Dear Ann", "intent": "giving"},
        (201, 201, 201),
    ),
    (
        "email_send",
        "post",
        "/api/v1/people/{ann_id}/emails",
        {"subject": "Review?", "body": "Dear Ann", "intent": "asking", "override": True},
        (403, 201, 201),
    ),
]


test_every_operation_answers_each_role_as_expected = role_matrix_test(MATRIX)


def test_every_email_operation_is_in_the_matrix() -> None:
    assert operation_ids("email") == {m[0] for m in MATRIX}


def test_the_api_names_the_field_that_refused(ann: Person, tokens: dict[str, str | None]) -> None:
    body = {"subject": "Review?", "body": "Dear Ann", "intent": "asking"}
    response = call("post", f"/api/v1/people/{ann.pk}/emails", tokens["bob"], body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"override": [NO_CONSENT[len("override: ") :]]}
    _nothing_sent()


def test_the_command_sends_and_refuses_like_the_page(ann: Person, bob: User) -> None:
    out = StringIO()
    args = ["email", str(ann.pk), "--subject", "Thanks", "--body", "Dear Ann", "--as", bob.email]
    call_command(*args, "--giving", "--json", stdout=out)
    sent = json.loads(out.getvalue())
    assert (sent["recipients"], sent["state"]) == (["Ann <ann@example.com>"], "queued")
    with pytest.raises(CommandError) as caught:
        call_command(*args[:-2], "--asking", "--subject", "Review?", stdout=StringIO())
    assert caught.value.returncode == 2
    assert "within 48 h of the last touch" in str(caught.value)
