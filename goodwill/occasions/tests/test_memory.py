"""The yearly memory of an occasion: what we did, whether an offer was used, done or not."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.occasions.models import OccasionTouch, OccasionYear
from goodwill.occasions.selectors.occasions import (
    occasion_call_names,
    occasion_history,
    occasion_people,
)
from goodwill.occasions.services.memory import (
    occasion_mark_done,
    occasion_mark_undone,
    occasion_offer_outcome,
    occasion_touch_log,
)
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.tests.occasion_factories import (
    birthday,
    make_couple,
    make_household,
)
from goodwill.people.tests.api_helpers import db_state
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


def test_a_greeting_is_remembered_logged_on_the_timeline_and_marks_the_year_done(
    bob: User,
) -> None:
    anne = make_person(given_name="Anne")
    occasion = birthday(anne, 4, 12)

    touch = occasion_touch_log(
        actor=bob, occasion=occasion, year=2026, kind="greeting", summary="Card", channel="post"
    )

    interaction = Interaction.objects.get()
    assert (interaction.person, interaction.kind, interaction.direction, interaction.intent) == (
        anne,
        "greeting",
        "outbound",
        "giving",
    )
    assert (interaction.summary, interaction.channel, interaction.staff) == ("Card", "post", bob)
    assert touch.interaction == interaction
    record = OccasionYear.objects.get()
    assert (record.year, record.done_by, record.done_at is not None) == (2026, bob, True)
    assert [t.summary for t in record.touches.all()] == ["Card"]


def test_what_was_done_last_year_keeps_its_date(bob: User) -> None:
    occasion = birthday(make_person(given_name="Anne"), 4, 12)
    when = dt.datetime(2025, 4, 12, 10, 0, tzinfo=dt.UTC)

    touch = occasion_touch_log(
        actor=bob, occasion=occasion, year=2025, kind="call", summary="Called", occurred_at=when
    )

    assert touch.occurred_at == when
    assert Interaction.objects.get().occurred_at == when
    assert OccasionYear.objects.get().done_at == when


@pytest.mark.parametrize(
    "when",
    [dt.datetime(2025, 4, 12, 10, 0), dt.datetime(2099, 1, 1, tzinfo=dt.UTC)],
    ids=["no time zone", "future"],
)
def test_a_touch_at_an_impossible_time_is_refused(bob: User, when: dt.datetime) -> None:
    occasion = birthday(make_person(given_name="Anne"), 4, 12)
    before = db_state()
    with pytest.raises(Invalid) as caught:
        occasion_touch_log(
            actor=bob, occasion=occasion, year=2025, kind="call", summary="x", occurred_at=when
        )
    assert list(caught.value.fields) == ["occurred_at"]
    assert db_state() == before


def test_a_couple_gets_one_touch_on_both_timelines(bob: User) -> None:
    anne, ben, couple = make_couple()
    occasion = occasion_create(
        actor=None, kind="wedding_anniversary", relationship=couple, month=6, day=20
    )

    touch = occasion_touch_log(
        actor=bob, occasion=occasion, year=2026, kind="call", summary="Congratulated them"
    )

    assert OccasionTouch.objects.count() == 1
    assert sorted(Interaction.objects.values_list("person_id", "kind")) == sorted(
        [(anne.pk, "call"), (ben.pk, "call")]
    )
    assert touch.interaction is not None
    assert touch.interaction.person == anne
    assert occasion_call_names(occasion) == "Anne and Ben"


def test_a_household_touch_reaches_each_member_still_with_us(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Adams")
    ben = make_person(given_name="Ben", family_name="Brown")
    household = make_household(anne, ben)
    occasion = occasion_create(
        actor=None, kind="anniversary", household=household, label="moved in", month=3, day=3
    )

    occasion_touch_log(actor=bob, occasion=occasion, year=2026, kind="gift", summary="Flowers")

    assert [p.given_name for p in occasion_people(occasion)] == ["Anne", "Ben"]
    assert sorted(Interaction.objects.values_list("person_id", "kind")) == sorted(
        [(anne.pk, "note"), (ben.pk, "note")]
    )


def test_without_timeline_or_done_it_only_remembers(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)

    occasion_touch_log(
        actor=bob,
        occasion=occasion,
        year=2025,
        kind="offer",
        summary="10% off a stay",
        timeline=False,
        mark_done=False,
    )

    assert Interaction.objects.count() == 0
    record = OccasionYear.objects.get()
    assert (record.year, record.done_at) == (2025, None)


def test_an_offers_outcome_is_recorded(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    touch = occasion_touch_log(
        actor=bob, occasion=occasion, year=2025, kind="offer", summary="Free dessert"
    )

    occasion_offer_outcome(actor=bob, touch=touch, used=True)

    assert OccasionTouch.objects.get().offer_used is True
    entry = AuditEntry.objects.get(action="occasion.offer_outcome")
    assert entry.changes == {"offer_used": [None, True]}


def test_only_an_offer_can_be_used(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    touch = occasion_touch_log(actor=bob, occasion=occasion, year=2025, kind="call", summary="Hi")
    before = db_state()
    with pytest.raises(Invalid) as caught:
        occasion_offer_outcome(actor=bob, touch=touch, used=True)
    assert list(caught.value.fields) == ["used"]
    assert db_state() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "serenade"}, "kind"),
        ({"summary": "  "}, "summary"),
        ({"summary": "x" * 201}, "summary"),
        ({"year": 1700}, "year"),
        ({"year": 3000}, "year"),
        ({"offer_used": True}, "offer_used"),
    ],
)
def test_a_bad_touch_names_the_field_and_writes_nothing(
    bob: User, overrides: dict[str, object], field: str
) -> None:
    occasion = birthday(make_person(), 4, 12)
    before = db_state()
    fields: dict[str, object] = {"year": 2026, "kind": "call", "summary": "Hi"} | overrides
    with pytest.raises(Invalid) as caught:
        occasion_touch_log(actor=bob, occasion=occasion, **fields)  # type: ignore[arg-type]
    assert list(caught.value.fields) == [field]
    assert db_state() == before


def test_a_deactivated_user_cannot_touch_or_mark(charlie: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    before = db_state()
    with pytest.raises(Forbidden):
        occasion_touch_log(actor=charlie, occasion=occasion, year=2026, kind="call", summary="Hi")
    with pytest.raises(Forbidden):
        occasion_mark_done(actor=charlie, occasion=occasion, year=2026)
    assert db_state() == before


def test_marking_done_twice_keeps_the_first_mark(bob: User, maria: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    first = occasion_mark_done(actor=bob, occasion=occasion, year=2026, note="Sang")
    again = occasion_mark_done(actor=maria, occasion=occasion, year=2026)

    assert (again.pk, again.done_by, again.done_at, again.note) == (
        first.pk,
        bob,
        first.done_at,
        "Sang",
    )
    assert AuditEntry.objects.filter(action="occasion.done").count() == 1


def test_undone_takes_back_the_mark_and_keeps_what_we_did(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    occasion_touch_log(actor=bob, occasion=occasion, year=2026, kind="call", summary="Hi")

    occasion_mark_undone(actor=bob, occasion=occasion, year=2026)

    record = OccasionYear.objects.get()
    assert (record.done_at, record.done_by, record.touches.count()) == (None, None, 1)
    occasion_mark_undone(actor=bob, occasion=occasion, year=2024)
    assert OccasionYear.objects.count() == 1


def test_the_history_is_newest_first_with_its_touches(bob: User) -> None:
    occasion = birthday(make_person(), 4, 12)
    for year in (2024, 2026, 2025):
        occasion_touch_log(
            actor=bob, occasion=occasion, year=year, kind="greeting", summary=f"Card {year}"
        )

    history = occasion_history(occasion=occasion)

    assert [(r.year, [t.summary for t in r.touches.all()]) for r in history] == [
        (2026, ["Card 2026"]),
        (2025, ["Card 2025"]),
        (2024, ["Card 2024"]),
    ]
