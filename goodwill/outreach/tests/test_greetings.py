"""Greetings: the draft in the people's own names, sending it once, and the greeting page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get, business_update
from goodwill.core.errors import Forbidden, Invalid
from goodwill.core.tests.matrix import ROLES, Route, check_route, db_state, effect
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.occasions.services.memory import occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.greetings import greeting_draft, greeting_send
from goodwill.people.services import household_create, person_create, relationship_create
from goodwill.timeline.models import Interaction

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _business(db: None) -> None:
    """The business profile and occasion settings exist before any snapshot."""
    business_update(actor=None, name="Harbour Inn")
    business_get()
    occasion_settings()


def _person(given: str, family: str = "Harris", **kw: Any) -> Any:
    return person_create(actor=None, given_name=given, family_name=family, **kw).person


@pytest.fixture
def world(alice: User, maria: User, bob: User, charlie: User) -> dict[str, Any]:
    """Anne ("Annie") with a birthday; Jack and Ann, married in 2009; Zoe without an email."""
    anne = _person("Anne", "Moss", preferred_name="Annie", emails=["anne@example.com"])
    jack = _person("Jack", emails=["jack@example.com"])
    ann = _person("Ann", emails=["ann@example.com"])
    zoe = _person("Zoe", "Park")
    couple = relationship_create(actor=None, person=jack, other=ann, kind="spouse")
    return {
        "alice": alice,
        "maria": maria,
        "bob": bob,
        "charlie": charlie,
        "anne": anne,
        "jack": jack,
        "ann": ann,
        "zoe": zoe,
        "birthday": occasion_create(actor=None, kind="birthday", month=4, day=12, person=anne),
        "wedding": occasion_create(
            actor=None, kind="wedding_anniversary", month=6, day=20, year=2009, relationship=couple
        ),
        "zoe_birthday": occasion_create(actor=None, kind="birthday", month=5, day=2, person=zoe),
    }


def test_a_birthday_greeting_uses_the_preferred_name_and_the_business_name(
    world: dict[str, Any],
) -> None:
    draft = greeting_draft(occasion=world["birthday"], year=2026)
    assert draft.subject == "Happy birthday, Annie!"
    assert draft.body == (
        "Dear Annie, happy birthday! We hope you have a wonderful day.\n\n"
        "Thank you for being part of our story.\n\nWarm wishes,\nHarbour Inn"
    )
    assert (draft.recipients, draft.names, draft.held_reason) == (["anne@example.com"], "Annie", "")


def test_a_couple_gets_one_greeting_addressed_to_both(world: dict[str, Any]) -> None:
    draft = greeting_draft(occasion=world["wedding"], year=2026)
    assert draft.subject == "Happy anniversary, Jack and Ann!"
    assert draft.body.startswith("Dear Jack and Ann, happy 17th anniversary!\n")
    assert draft.recipients == ["jack@example.com", "ann@example.com"]
    assert draft.names == "Jack and Ann"


def test_a_household_greeting_names_everyone_in_it(world: dict[str, Any]) -> None:
    lily = _person("Lily", emails=["lily@example.com"])
    home = household_create(
        actor=None, name="The Harrises", member_ids=[world["jack"].pk, world["ann"].pk, lily.pk]
    )
    stay = occasion_create(
        actor=None,
        kind="anniversary",
        label="first stay",
        month=3,
        day=1,
        year=2021,
        household=home,
    )
    draft = greeting_draft(occasion=stay, year=2026)
    assert draft.subject == "Happy anniversary, Ann, Jack and Lily!"
    assert draft.body.startswith(
        "Dear Ann, Jack and Lily, happy 5th anniversary of your first stay!"
    )
    assert sorted(draft.recipients) == ["ann@example.com", "jack@example.com", "lily@example.com"]


def test_someone_without_a_usable_name_is_never_a_valued_customer(
    world: dict[str, Any], bob: User
) -> None:
    nameless = person_create(actor=None, family_name="Okafor", emails=["o@example.com"]).person
    occasion = occasion_create(actor=None, kind="birthday", month=1, day=9, person=nameless)
    draft = greeting_draft(occasion=occasion, year=2026)
    assert draft.subject == "Happy birthday!"
    assert draft.body.startswith("Hello, happy birthday!")
    assert draft.held_reason != ""
    message = greeting_send(
        actor=bob, occasion=occasion, year=2026, subject=draft.subject, body=draft.body
    )
    assert message.state == OutboxMessage.State.HELD
    assert "valued customer" not in (message.subject + message.body_text).lower()
    touch = OccasionTouch.objects.get()
    assert (touch.kind, touch.record.done_at) == ("greeting", None)


@pytest.mark.parametrize("name", ["Valued Customer", "okafor.j"])
def test_a_generic_or_copied_name_holds_the_greeting_for_review(name: str, bob: User) -> None:
    person = _person("Jo", "Okafor", preferred_name=name, emails=["okafor.j@example.com"])
    occasion = occasion_create(actor=None, kind="birthday", month=1, day=9, person=person)
    draft = greeting_draft(occasion=occasion, year=2026)
    assert draft.held_reason != ""
    message = greeting_send(
        actor=bob, occasion=occasion, year=2026, subject=draft.subject, body=draft.body
    )
    assert (message.state, message.held_reason) == ("held", draft.held_reason)


def test_an_edited_greeting_without_their_name_is_held_for_review(
    world: dict[str, Any], bob: User
) -> None:
    message = greeting_send(
        actor=bob,
        occasion=world["birthday"],
        year=2026,
        subject="Happy birthday!",
        body="Dear valued customer, happy birthday!",
    )
    assert (message.state, message.held_reason) == (
        "held",
        "the greeting line does not say “Annie”",
    )


def test_sending_queues_one_transactional_message_and_remembers_the_touch(
    world: dict[str, Any], bob: User
) -> None:
    message = greeting_send(
        actor=bob,
        occasion=world["wedding"],
        year=2026,
        subject="Congrats!",
        body="Dear Jack and Ann…",
    )
    row = OutboxMessage.objects.get()
    assert row == message
    assert (row.kind, row.recipients, row.subject, row.body_text, row.state) == (
        "transactional",
        ["jack@example.com", "ann@example.com"],
        "Congrats!",
        "Dear Jack and Ann…",
        "queued",
    )
    assert row.idempotency_key == f"greeting:{world['wedding'].pk}:2026"
    touch = OccasionTouch.objects.get()
    assert (touch.kind, touch.channel, touch.summary, touch.record.year) == (
        "greeting",
        "email",
        "Congrats!",
        2026,
    )
    assert touch.record.done_by == bob
    logged = Interaction.objects.order_by("person_id")
    assert [(i.person_id, i.kind, i.intent) for i in logged] == sorted(
        [(world["jack"].pk, "greeting", "giving"), (world["ann"].pk, "greeting", "giving")]
    )


def test_a_double_click_sends_once(world: dict[str, Any], bob: User) -> None:
    first = greeting_send(
        actor=bob, occasion=world["birthday"], year=2026, subject="Hi Annie", body="Happy day"
    )
    again = greeting_send(
        actor=bob, occasion=world["birthday"], year=2026, subject="Hi Annie!", body="Again"
    )
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert OccasionTouch.objects.count() == 1
    assert Interaction.objects.count() == 1


def test_next_year_is_a_new_greeting(world: dict[str, Any], bob: User) -> None:
    greeting_send(actor=bob, occasion=world["birthday"], year=2025, subject="a", body="b")
    greeting_send(actor=bob, occasion=world["birthday"], year=2026, subject="a", body="b")
    assert OutboxMessage.objects.count() == 2


def test_no_email_address_is_refused_naming_to(world: dict[str, Any], bob: User) -> None:
    before = db_state()
    with pytest.raises(Invalid) as exc:
        greeting_send(actor=bob, occasion=world["zoe_birthday"], year=2026, subject="a", body="b")
    assert list(exc.value.fields) == ["to"]
    assert db_state() == before


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("", "Hello", "subject"), ("Hi", "  ", "body"), ("Hi\nthere", "Hello", "subject")],
)
def test_an_empty_or_broken_greeting_is_refused(
    world: dict[str, Any], bob: User, subject: str, body: str, field: str
) -> None:
    before = db_state()
    with pytest.raises(Invalid) as exc:
        greeting_send(actor=bob, occasion=world["birthday"], year=2026, subject=subject, body=body)
    assert list(exc.value.fields) == [field]
    assert db_state() == before


def test_a_deactivated_user_cannot_send(world: dict[str, Any], charlie: User) -> None:
    before = db_state()
    with pytest.raises(Forbidden):
        greeting_send(actor=charlie, occasion=world["birthday"], year=2026, subject="a", body="b")
    assert db_state() == before


def _greeting_url(key: str, year: int = 2026) -> Any:
    return lambda w: reverse("outreach:greeting", args=[w[key].pk]) + f"?year={year}"


ROUTES = [
    Route("greeting", "get", _greeting_url("wedding"), (200, 200, 200)),
    Route(
        "greeting",
        "post",
        _greeting_url("wedding"),
        (302, 302, 302),
        lambda w: {"year": 2026, "subject": "Happy anniversary!", "body": "Dear Jack and Ann"},
        audit="outbox.enqueue",
        check=effect(
            lambda w, _u: list(
                OutboxMessage.objects.values_list("kind", "recipients", "subject", "created_by")
            ),
            lambda w, user: [
                (
                    "transactional",
                    ["jack@example.com", "ann@example.com"],
                    "Happy anniversary!",
                    user.pk,
                )
            ],
        ),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_role_matrix(route: Route, role: str, world: dict[str, Any]) -> None:
    check_route(route, role, world)


def test_every_greeting_url_is_in_the_matrix() -> None:
    from goodwill.outreach.views.greeting_urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in ROUTES}


def test_the_page_shows_the_prefilled_greeting_recipients_and_a_mailto_link(
    world: dict[str, Any], bob_client: Client
) -> None:
    response = bob_client.get(_greeting_url("wedding")(world))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["subject"].value() == "Happy anniversary, Jack and Ann!"
    assert form["body"].value().startswith("Dear Jack and Ann, happy 17th anniversary!")
    html = response.content.decode()
    assert "jack@example.com, ann@example.com" in html
    link = response.context["mailto"]
    assert link.startswith(
        "mailto:jack@example.com,ann@example.com?subject=Happy%20anniversary%2C%20Jack%20and%20Ann%21"
        "&body=Dear%20Jack%20and%20Ann%2C%20happy%2017th%20anniversary%21"
    )
    assert unquote(link.split("&body=")[1]) == form["body"].value()
    assert "No greeting recorded last year." in html


def test_the_page_shows_last_years_greeting(world: dict[str, Any], bob_client: Client) -> None:
    occasion_touch_log(
        actor=None,
        occasion=world["wedding"],
        year=2025,
        kind="greeting",
        summary="Card with a photo of the mill",
        channel="post",
    )
    response = bob_client.get(_greeting_url("wedding")(world))
    assert "Card with a photo of the mill" in response.content.decode()


def test_sending_goes_back_to_today_saying_who_it_was_for(
    world: dict[str, Any], bob_client: Client
) -> None:
    data = {"year": 2026, "subject": "Happy anniversary!", "body": "Dear Jack and Ann"}
    response = bob_client.post(_greeting_url("wedding")(world), data, follow=True)
    assert response.redirect_chain[0] == (reverse("occasions:today"), 302)
    assert "Greeting queued for Jack and Ann." in response.content.decode()
    again = bob_client.post(_greeting_url("wedding")(world), data)
    assert again.status_code == 302
    assert OutboxMessage.objects.count() == 1
    assert OccasionYear.objects.get().done_at is not None


def test_no_email_address_shows_the_error_and_queues_nothing(
    world: dict[str, Any], bob_client: Client
) -> None:
    page = bob_client.get(_greeting_url("zoe_birthday")(world))
    assert "No email address: add one on their page first." in page.content.decode()
    before = db_state()
    data = {"year": 2026, "subject": "Happy birthday, Zoe!", "body": "Dear Zoe"}
    response = bob_client.post(_greeting_url("zoe_birthday")(world), data)
    assert response.status_code == 422
    assert "No email address: add one on the person&#x27;s page first." in (
        response.content.decode()
    )
    assert db_state() == before


def test_an_empty_subject_is_refused_on_the_field(
    world: dict[str, Any], bob_client: Client
) -> None:
    before = db_state()
    data = {"year": 2026, "subject": "", "body": "Dear Annie"}
    response = bob_client.post(_greeting_url("birthday")(world), data)
    assert response.status_code == 422
    assert response.context["form"].errors["subject"] == ["This field is required."]
    assert db_state() == before


def test_names_are_shown_as_text(world: dict[str, Any], bob_client: Client) -> None:
    evil = _person(SCRIPT, emails=["evil@example.com"])
    occasion = occasion_create(actor=None, kind="birthday", month=8, day=1, person=evil)
    response = bob_client.get(reverse("outreach:greeting", args=[occasion.pk]))
    html = response.content.decode()
    assert SCRIPT not in html
    assert f"Happy birthday, {ESCAPED}!" in html


def test_a_staff_member_cannot_greet_an_archived_persons_occasion(
    world: dict[str, Any], bob_client: Client
) -> None:
    from goodwill.people.services import person_archive

    person_archive(actor=None, person=world["anne"])
    before = db_state()
    url = _greeting_url("birthday")(world)
    assert bob_client.get(url).status_code == 404
    data = {"year": 2026, "subject": "Hi", "body": "Hello"}
    assert bob_client.post(url, data).status_code == 404
    assert db_state() == before
    assert not AuditEntry.objects.filter(action="outbox.enqueue").exists()
    assert Occasion.objects.filter(pk=world["birthday"].pk).exists()


def test_a_couples_greeting_is_a_giving_touch_for_both_outside_their_budget(
    world: dict[str, Any], bob: User
) -> None:
    from goodwill.outreach.models_touch import Touch
    from goodwill.outreach.selectors.budget import budget_check

    message = greeting_send(
        actor=bob, occasion=world["wedding"], year=2026, subject="Happy anniversary", body="x"
    )
    greeting_send(actor=bob, occasion=world["wedding"], year=2026, subject="again", body="x")
    touches = Touch.objects.order_by("person_id")
    assert [(t.person_id, t.intent, t.counts, t.message_id) for t in touches] == [
        (world["jack"].pk, "giving", False, message.pk),
        (world["ann"].pk, "giving", False, message.pk),
    ]
    # Only the gap after any touch applies: three days on, a marketing touch is allowed.
    later = message.created_at + dt.timedelta(days=3)
    assert not budget_check(person=world["ann"], intent="giving").allowed
    assert budget_check(person=world["ann"], intent="giving", at=later).allowed
