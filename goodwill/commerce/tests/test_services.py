"""Logging purchases and stays, and the journey stage kept up to date with them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goodwill.accounts.models import AuditEntry, User
from goodwill.commerce.models import Journey, Purchase
from goodwill.commerce.services import (
    commerce_settings_update,
    journey_note_score,
    journey_recompute_all,
    purchase_delete,
    purchase_log,
)
from goodwill.commerce.tests.factories import buy, days_ago
from goodwill.core.errors import Forbidden, Invalid
from goodwill.occasions.selectors.settings import business_zone
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.services import relationship_create
from goodwill.people.tests.factories import make_person
from goodwill.timeline.models import Interaction

pytestmark = pytest.mark.django_db


def stage_of(person_id: int) -> str | None:
    journey = Journey.objects.filter(person_id=person_id).first()
    return journey.stage if journey else None


def test_staff_log_a_purchase_that_lands_on_the_timeline(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")

    purchase = purchase_log(
        actor=bob, person=anne, amount="12,50 €", description="Produce box", category="produce"
    )

    assert (purchase.amount, purchase.currency) == (Decimal("12.50"), "EUR")
    interaction = Interaction.objects.get(person=anne)
    assert (interaction.kind, interaction.summary, interaction.staff) == (
        "purchase",
        "Produce box · 12.50 EUR",
        bob,
    )
    assert purchase.interaction == interaction
    assert AuditEntry.objects.filter(action="purchase.log", person_id=anne.pk).count() == 1
    assert stage_of(anne.pk) == "first_time"


def test_a_purchase_is_followed_up_three_days_later(bob: User) -> None:
    anne = make_person()
    when = days_ago(1)

    purchase = purchase_log(actor=bob, person=anne, occurred_at=when, channel="online")

    assert purchase.followup_due_at == when + dt.timedelta(days=3)


def test_a_stay_is_followed_up_the_day_after_check_out(bob: User) -> None:
    anne = make_person()
    today = dt.datetime.now(tz=business_zone()).date()

    stay = purchase_log(
        actor=bob,
        person=anne,
        kind="stay",
        check_in=today - dt.timedelta(days=3),
        check_out=today - dt.timedelta(days=1),
        amount="240",
    )

    noon = dt.datetime.combine(today, dt.time(12), tzinfo=business_zone())
    assert stay.followup_due_at == noon
    assert stay.occurred_at == noon - dt.timedelta(days=3)
    assert Interaction.objects.get(person=anne).kind == "stay"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "stay", "check_in": dt.date(2026, 5, 3), "check_out": dt.date(2026, 5, 1)},
            {"check_out": ["Check-out is before check-in."]},
        ),
        ({"kind": "stay"}, {"check_in": ["A stay needs its check-in and check-out dates."]}),
        (
            {"amount": "-12.50"},
            {"amount": ["A negative amount: log a refund instead, with a positive amount."]},
        ),
        ({"kind": "refund"}, {"amount": ["A refund needs its amount."]}),
        ({"kind": "inquiry", "amount": "5"}, {"amount": ["An inquiry has no amount."]}),
        (
            {"channel": "fax"},
            {"channel": ["Unknown channel “fax”; one of in_store, online, phone, walk_in."]},
        ),
        (
            {"occurred_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)},
            {"occurred_at": ["This is in the future."]},
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    bob: User, fields: dict[str, object], errors: dict[str, list[str]]
) -> None:
    anne = make_person()

    with pytest.raises(Invalid) as caught:
        purchase_log(actor=bob, person=anne, **fields)  # type: ignore[arg-type]

    assert caught.value.fields == errors
    assert Purchase.objects.count() == 0
    assert Interaction.objects.count() == 0
    assert Journey.objects.count() == 0


def test_an_occasion_must_be_the_persons_own(bob: User) -> None:
    anne, ben = make_person(given_name="Anne"), make_person(given_name="Ben")
    bens = occasion_create(actor=None, person=ben, kind="birthday", month=4, day=12)
    annes = occasion_create(actor=None, person=anne, kind="birthday", month=6, day=1)

    with pytest.raises(Invalid) as caught:
        purchase_log(actor=bob, person=anne, occasion=bens)

    assert caught.value.fields == {"occasion": ["That occasion is not this person's."]}
    assert purchase_log(actor=bob, person=anne, occasion=annes).occasion == annes


def test_a_deactivated_user_cannot_log(charlie: User) -> None:
    anne = make_person()

    with pytest.raises(Forbidden):
        purchase_log(actor=charlie, person=anne, amount="5")

    assert Purchase.objects.count() == 0


def test_an_inquiry_makes_a_prospect_and_a_purchase_a_first_timer(bob: User) -> None:
    anne = make_person()

    purchase_log(actor=bob, person=anne, kind="inquiry", description="Rooms in May?")
    assert stage_of(anne.pk) == "prospect"
    assert Interaction.objects.get(person=anne).summary == "Inquiry: Rooms in May?"

    buy(anne)
    assert stage_of(anne.pk) == "first_time"


def test_a_refund_does_not_count_as_buying(bob: User) -> None:
    anne = make_person()
    first = buy(anne, days=10)

    purchase_log(actor=bob, person=anne, kind="refund", amount="20", refund_of=first)

    journey = Journey.objects.get(person=anne)
    assert (journey.stage, journey.purchases) == ("first_time", 1)


def test_the_referrer_of_someone_who_buys_becomes_an_advocate(bob: User) -> None:
    anne = make_person(given_name="Anne", family_name="Lee")
    ben = make_person(given_name="Ben", family_name="Okafor")
    buy(anne, days=20)
    relationship_create(actor=None, person=ben, other=anne, kind="referred_by")

    buy(ben)

    journey = Journey.objects.get(person=anne)
    assert (journey.stage, journey.reason) == ("advocate", "Referred Ben Okafor, who bought.")


def test_a_high_score_makes_an_advocate(bob: User) -> None:
    anne = make_person()
    buy(anne)

    journey_note_score(person=anne, score=10, at=days_ago(0))

    assert stage_of(anne.pk) == "advocate"
    journey_note_score(person=anne, score=3, at=days_ago(0))
    assert Journey.objects.get(person=anne).best_score == 10


def test_staff_cannot_remove_a_purchase_and_nothing_changes(bob: User) -> None:
    anne = make_person()
    purchase = buy(anne)

    with pytest.raises(Forbidden):
        purchase_delete(actor=bob, purchase=purchase)

    assert Purchase.objects.count() == 1
    assert Interaction.objects.count() == 1


def test_a_manager_removes_a_mistaken_purchase_and_the_stage_follows(maria: User) -> None:
    anne = make_person()
    buy(anne, days=30)
    second = buy(anne, days=2)
    assert stage_of(anne.pk) == "returning"

    purchase_delete(actor=maria, purchase=second)

    assert stage_of(anne.pk) == "first_time"
    assert Interaction.objects.filter(person=anne).count() == 1
    assert AuditEntry.objects.filter(action="purchase.delete").count() == 1


def test_the_nightly_run_moves_people_on_with_time_and_writes_only_changes() -> None:
    anne, ben = make_person(given_name="Anne"), make_person(given_name="Ben")
    for days in (100, 70, 40):  # every 30 days, the last 40 days ago: not yet lapsed
        buy(anne, days=days)
    buy(ben, days=5)

    later = journey_recompute_all(now=days_ago(-30))  # a month from now: 70 > 2 × 30

    assert later == {"people": 2, "changed": 1}
    assert stage_of(anne.pk) == "lapsed"
    assert stage_of(ben.pk) == "first_time"
    assert journey_recompute_all(now=days_ago(-30)) == {"people": 2, "changed": 0}


def test_the_nightly_run_rebuilds_a_lost_stage_and_removes_a_stale_one() -> None:
    anne, ben = make_person(given_name="Anne"), make_person(given_name="Ben")
    buy(anne)
    Journey.objects.filter(person=anne).delete()
    Journey.objects.create(
        person=ben, stage="regular", reason="x", purchases=9, computed_at=days_ago(0)
    )

    assert journey_recompute_all() == {"people": 1, "changed": 2}
    assert stage_of(anne.pk) == "first_time"
    assert stage_of(ben.pk) is None


def test_a_new_regular_threshold_recomputes_every_stage(maria: User, bob: User) -> None:
    anne = make_person()
    for days in (90, 60, 30):
        buy(anne, days=days)
    assert stage_of(anne.pk) == "returning"

    commerce_settings_update(actor=maria, regular_purchases=3)

    assert stage_of(anne.pk) == "regular"
    with pytest.raises(Forbidden):
        commerce_settings_update(actor=bob, regular_purchases=2)
    with pytest.raises(Invalid) as caught:
        commerce_settings_update(actor=maria, regular_purchases=1)
    assert caught.value.fields == {"regular_purchases": ["Between 2 and 365."]}
