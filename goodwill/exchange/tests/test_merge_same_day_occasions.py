"""A merge keeps once an anniversary or custom date both records have (the same kind and label
on the same day), with what was done for both; the preview counts what really moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from goodwill.accounts.models import AuditEntry, User
from goodwill.commerce.models import Purchase
from goodwill.commerce.services import purchase_log
from goodwill.exchange.merge_preview import merge_preview
from goodwill.exchange.services.merge import person_merge
from goodwill.occasions.models import Occasion, OccasionTouch
from goodwill.occasions.selectors.agenda import agenda
from goodwill.occasions.services.memory import occasion_mark_done, occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Household, Person
from goodwill.people.services import household_create
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@dataclass
class Sams:
    keep: Person  # the survivor
    dup: Person  # the duplicate, merged into keep


def make_sams() -> Sams:
    """Two records of Sam Dup, each with the anniversary "First stay" on 05-05 (the duplicate's
    with its year, its label typed differently) and the custom date "Name day" on 06-06; each
    with a year of history, a note, and a purchase for the duplicate's first stay."""
    keep = make_person(given_name="Sam", family_name="Dup", emails=["sam@example.com"])
    dup = make_person(given_name="Sam", family_name="Dup", emails=["sam.dup@example.com"])
    stay = occasion_create(
        actor=None, kind="anniversary", label="First stay", month=5, day=5, person=keep
    )
    occasion_create(
        actor=None,
        kind="custom",
        label="Name day",
        month=6,
        day=6,
        person=keep,
        note="Sends a card",
    )
    their_stay = occasion_create(
        actor=None,
        kind="anniversary",
        label="first STAY",
        month=5,
        day=5,
        year=2019,
        person=dup,
        note="Room 4",
        lead_days=14,
    )
    their_name_day = occasion_create(
        actor=None,
        kind="custom",
        label="Name day",
        month=6,
        day=6,
        person=dup,
        note="Sends a card",
    )
    occasion_mark_done(actor=None, occasion=stay, year=2024, note="Wine sent")
    occasion_touch_log(actor=None, occasion=their_stay, year=2024, kind="call", summary="Called")
    occasion_mark_done(actor=None, occasion=their_stay, year=2024, note="Asked for room 4")
    occasion_touch_log(actor=None, occasion=their_stay, year=2025, kind="gift", summary="Flowers")
    occasion_touch_log(
        actor=None, occasion=their_name_day, year=2025, kind="greeting", summary="Card"
    )
    purchase_log(actor=None, person=dup, description="Anniversary dinner", occasion=their_stay)
    return Sams(keep=keep, dup=dup)


def dates_of(person: Person) -> list[tuple[str, str, str, str, int | None]]:
    rows = Occasion.objects.filter(person=person).order_by("month", "day", "pk")
    return [(o.kind, o.label, o.date_label, o.note, o.lead_days) for o in rows]


def history_of(person: Person, label: str) -> list[tuple[int, str, bool, str]]:
    """Each year of the person's date ``label``: year, note, done, and what was done."""
    occasion = Occasion.objects.get(person=person, label=label)
    out = []
    for record in occasion.years.order_by("year"):
        touches = OccasionTouch.objects.filter(record=record).order_by("summary")
        summaries = ", ".join(t.summary for t in touches)
        out.append((record.year, record.note, record.done_at is not None, summaries))
    return out


def test_same_day_dates_are_kept_once_with_the_history_of_both(maria: User) -> None:
    s = make_sams()
    person_merge(actor=maria, survivor=s.keep, other=s.dup)
    assert dates_of(s.keep) == [
        ("anniversary", "First stay", "2019-05-05", "Room 4", 14),
        ("custom", "Name day", "--06-06", "Sends a card", None),
    ]
    assert history_of(s.keep, "First stay") == [
        (2024, "Wine sent\n\nAsked for room 4", True, "Called"),
        (2025, "", True, "Flowers"),
    ]
    assert history_of(s.keep, "Name day") == [(2025, "", True, "Card")]
    stay = Occasion.objects.get(person=s.keep, label="First stay")
    purchases = Purchase.objects.filter(occasion=stay).values_list("description", flat=True)
    assert list(purchases) == ["Anniversary dinner"]
    assert Occasion.objects.count() == 2


def test_the_agenda_lists_each_date_once(maria: User) -> None:
    s = make_sams()
    person_merge(actor=maria, survivor=s.keep, other=s.dup)
    page = agenda(user=maria, date=dt.date(2026, 5, 1), days=60)
    assert [(str(e.date), e.occasion.title, e.call_names) for e in page.entries] == [
        ("2026-05-05", "First stay", "Sam"),
        ("2026-06-06", "Name day", "Sam"),
    ]


def test_differing_notes_are_both_kept_the_survivors_first(maria: User) -> None:
    s = make_sams()
    Occasion.objects.filter(person=s.keep, label="First stay").update(note="Sea view")
    person_merge(actor=maria, survivor=s.keep, other=s.dup)
    stay = Occasion.objects.get(person=s.keep, label="First stay")
    assert (stay.note, stay.lead_days, stay.date_label) == ("Sea view\n\nRoom 4", 14, "2019-05-05")


def test_the_audit_entry_names_the_dates_folded(maria: User) -> None:
    s = make_sams()
    person_merge(actor=maria, survivor=s.keep, other=s.dup)
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.changes["merged_occasions"] == [
        [
            {
                "occasion": "First stay",
                "date": "2019-05-05",
                "note": "Room 4",
                "into": "2019-05-05",
            },
            {
                "occasion": "Name day",
                "date": "--06-06",
                "note": "Sends a card",
                "into": "--06-06",
            },
        ],
        None,
    ]
    assert entry.changes["moved"][1]["occasions"] == 0


def test_the_preview_counts_what_really_moves(maria: User, maria_client: Client) -> None:
    s = make_sams()
    occasion_create(actor=None, kind="custom", label="Name day", month=7, day=7, person=s.dup)
    preview = merge_preview(user=maria, survivor=s.keep, other=s.dup)
    assert preview.moves["occasions"] == 1  # only the name day on another day
    url = reverse("exchange:person_merge", args=[s.keep.pk]) + f"?other={s.dup.pk}"
    page = maria_client.get(url).content.decode()
    assert "Occasions: 1" in page
    person_merge(actor=maria, survivor=s.keep, other=s.dup)
    assert AuditEntry.objects.get(action="person.merge").changes["moved"][1]["occasions"] == 1
    assert [d[2] for d in dates_of(s.keep)] == ["2019-05-05", "--06-06", "--07-07"]


def test_other_kinds_labels_days_and_years_stay_apart(maria: User) -> None:
    keep = make_person(given_name="Sam", family_name="Dup")
    dup = make_person(given_name="Sam", family_name="Dup")
    occasion_create(actor=None, kind="anniversary", label="Opening", month=3, day=1, person=keep)
    occasion_create(actor=None, kind="custom", label="Visit", month=4, day=2, person=keep)
    occasion_create(
        actor=None, kind="anniversary", label="Reopening", month=9, day=1, year=2020, person=keep
    )
    occasion_create(actor=None, kind="custom", label="Opening", month=3, day=1, person=dup)
    occasion_create(actor=None, kind="custom", label="Visits", month=4, day=2, person=dup)
    occasion_create(actor=None, kind="custom", label="Visit", month=4, day=3, person=dup)
    occasion_create(
        actor=None, kind="anniversary", label="Reopening", month=9, day=1, year=2021, person=dup
    )
    assert merge_preview(user=maria, survivor=keep, other=dup).moves["occasions"] == 4
    person_merge(actor=maria, survivor=keep, other=dup)
    assert [(kind, label, date) for kind, label, date, _n, _l in dates_of(keep)] == [
        ("anniversary", "Opening", "--03-01"),
        ("custom", "Opening", "--03-01"),
        ("custom", "Visit", "--04-02"),
        ("custom", "Visits", "--04-02"),
        ("custom", "Visit", "--04-03"),
        ("anniversary", "Reopening", "2020-09-01"),
        ("anniversary", "Reopening", "2021-09-01"),
    ]
    entry = AuditEntry.objects.get(action="person.merge")
    assert "merged_occasions" not in entry.changes


def test_a_year_less_date_takes_one_year_and_another_year_stays_apart(maria: User) -> None:
    keep = make_person(given_name="Sam", family_name="Dup")
    dup = make_person(given_name="Sam", family_name="Dup")
    occasion_create(actor=None, kind="anniversary", label="Reopening", month=9, day=1, person=keep)
    for year in (2020, 2021):
        occasion_create(
            actor=None, kind="anniversary", label="Reopening", month=9, day=1, year=year, person=dup
        )
    assert merge_preview(user=maria, survivor=keep, other=dup).moves["occasions"] == 1
    person_merge(actor=maria, survivor=keep, other=dup)
    assert [d[2] for d in dates_of(keep)] == ["2020-09-01", "2021-09-01"]


def test_a_households_date_is_not_the_persons_own(maria: User) -> None:
    s = make_sams()
    home = household_create(actor=None, name="Dup home", member_ids=[s.keep.pk])
    occasion_create(
        actor=None, kind="anniversary", label="Moved in", month=8, day=8, household=home
    )
    occasion_create(actor=None, kind="anniversary", label="Moved in", month=8, day=8, person=s.dup)
    assert merge_preview(user=maria, survivor=s.keep, other=s.dup).moves["occasions"] == 1
    person_merge(actor=maria, survivor=s.keep, other=s.dup)
    assert [d[1] for d in dates_of(s.keep)] == ["First stay", "Name day", "Moved in"]
    shared = Occasion.objects.get(household=home)
    assert (shared.label, shared.date_label) == ("Moved in", "--08-08")
    assert Household.objects.get().occasions.count() == 1
