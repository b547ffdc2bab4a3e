"""The agenda of a day: what is celebrated within its lead time, soonest first, with the age or
years, who it is for, whether it is done, and what we did last year."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from goodwill.accounts.models import User
from goodwill.core.errors import Forbidden, Invalid
from goodwill.occasions import dates
from goodwill.occasions.models import Occasion
from goodwill.occasions.selectors.agenda import AgendaPage, agenda
from goodwill.occasions.services.memory import occasion_mark_done, occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.services.settings import occasion_settings_update
from goodwill.occasions.tests.occasion_factories import birthday, make_couple, make_household
from goodwill.people.services import person_archive
from goodwill.people.tests.factories import make_person

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _titles(page: AgendaPage) -> list[tuple[str, int, str]]:
    return [(e.date.isoformat(), e.days_until, e.call_names) for e in page.entries]


def _person(name: str) -> object:
    return make_person(given_name=name, family_name="Whitman")


def test_it_lists_occasions_within_their_lead_time_soonest_first() -> None:
    birthday(_person("Anne"), 11, 25)
    birthday(_person("Today"), 11, 23)
    birthday(_person("Week"), 11, 30)
    birthday(_person("Late"), 12, 1)
    birthday(_person("Gone"), 11, 22)

    page = agenda(user=None, date=TODAY)

    assert _titles(page) == [
        ("2026-11-23", 0, "Today"),
        ("2026-11-25", 2, "Anne"),
        ("2026-11-30", 7, "Week"),
    ]
    assert page.next_cursor is None
    assert [e.call_names for e in page.today] == ["Today"]
    assert [e.call_names for e in page.upcoming] == ["Anne", "Week"]


def test_days_widens_the_window_for_every_occasion() -> None:
    birthday(_person("Late"), 12, 1)
    birthday(_person("Never"), 12, 10)
    page = agenda(user=None, date=TODAY, days=10)
    assert _titles(page) == [("2026-12-01", 8, "Late")]


def test_an_occasions_own_lead_time_overrides_the_default() -> None:
    birthday(_person("Early"), 12, 13, lead_days=30)
    birthday(_person("Short"), 11, 24, lead_days=0)
    birthday(_person("Zero"), 11, 23, lead_days=0)

    assert _titles(agenda(user=None, date=TODAY)) == [
        ("2026-11-23", 0, "Zero"),
        ("2026-12-13", 20, "Early"),
    ]
    assert [t[2] for t in _titles(agenda(user=None, date=TODAY, days=1))] == [
        "Zero",
        "Short",
        "Early",
    ]


def test_the_default_lead_time_of_a_kind_comes_from_the_settings() -> None:
    occasion_settings_update(actor=None, lead_birthday=2)
    birthday(_person("Two"), 11, 25)
    birthday(_person("Three"), 11, 26)
    assert [t[2] for t in _titles(agenda(user=None, date=TODAY))] == ["Two"]


def test_the_window_crosses_new_year() -> None:
    birthday(_person("Eve"), 12, 31)
    birthday(_person("Jan"), 1, 2)
    birthday(_person("Past"), 12, 28)

    page = agenda(user=None, date=dt.date(2026, 12, 29))

    assert _titles(page) == [("2026-12-31", 2, "Eve"), ("2027-01-02", 4, "Jan")]


@pytest.mark.parametrize(
    ("rule", "on", "expected"),
    [
        ("feb28", dt.date(2027, 2, 25), [("2027-02-28", 3, "Leap"), ("2027-02-28", 3, "Feb28")]),
        ("mar1", dt.date(2027, 2, 25), [("2027-02-28", 3, "Feb28"), ("2027-03-01", 4, "Leap")]),
        ("feb28", dt.date(2028, 2, 25), [("2028-02-28", 3, "Feb28"), ("2028-02-29", 4, "Leap")]),
        ("mar1", dt.date(2028, 2, 25), [("2028-02-28", 3, "Feb28"), ("2028-02-29", 4, "Leap")]),
        ("feb28", dt.date(2027, 2, 28), [("2027-02-28", 0, "Leap"), ("2027-02-28", 0, "Feb28")]),
        ("feb28", dt.date(2027, 3, 1), []),
        ("mar1", dt.date(2027, 3, 1), [("2027-03-01", 0, "Leap")]),
    ],
)
def test_29_february_is_celebrated_by_the_rule_in_common_years(
    rule: str, on: dt.date, expected: list[tuple[str, int, str]]
) -> None:
    occasion_settings_update(actor=None, feb29_rule=rule, lead_birthday=4)
    birthday(_person("Leap"), 2, 29, 1996)
    birthday(_person("Feb28"), 2, 28)

    assert _titles(agenda(user=None, date=on)) == expected


def test_it_shows_the_age_and_the_number_of_years() -> None:
    anne = _person("Anne")
    birthday(anne, 11, 25, 1986)
    _a, _b, couple = make_couple("Cleo", "Dan")
    occasion_create(
        actor=None, kind="wedding_anniversary", relationship=couple, month=11, day=26, year=2016
    )
    occasion_create(
        actor=None, kind="custom", person=anne, label="Shop opening", month=11, day=27, year=2023
    )
    occasion_create(
        actor=None, kind="anniversary", person=anne, label="first stay", month=11, day=28
    )

    page = agenda(user=None, date=TODAY)

    assert [(e.occasion.title, e.turning, e.turning_label) for e in page.entries] == [
        ("Birthday", 40, "turns 40"),
        ("Wedding anniversary", 10, "10th anniversary"),
        ("Shop opening", 3, "3 years"),
        ("first stay", None, ""),
    ]
    assert [e.call_names for e in page.entries] == ["Anne", "Cleo and Dan", "Anne", "Anne"]


def test_a_households_occasion_is_for_its_members_by_their_call_names() -> None:
    anne = make_person(given_name="Anne", family_name="Adams", preferred_name="Annie")
    ben = make_person(given_name="Ben", family_name="Brown")
    lily = make_person(given_name="Lily", family_name="Cole")
    household = make_household(anne, ben, lily)
    occasion_create(
        actor=None, kind="anniversary", household=household, label="moved in", month=11, day=24
    )

    [entry] = agenda(user=None, date=TODAY).entries

    assert entry.call_names == "Annie, Ben and Lily"
    assert [p.full_name for p in entry.people] == ["Anne Adams", "Ben Brown", "Lily Cole"]


def test_archived_peoples_occasions_are_left_out() -> None:
    gone = _person("Gone")
    birthday(gone, 11, 24)
    anne, _ben, couple = make_couple()
    occasion_create(actor=None, kind="wedding_anniversary", relationship=couple, month=11, day=25)
    household = make_household(anne)
    occasion_create(
        actor=None, kind="anniversary", household=household, label="moved in", month=11, day=26
    )
    stays = _person("Stays")
    birthday(stays, 11, 27)
    for person in (gone, anne):
        person_archive(actor=None, person=person)

    assert [t[2] for t in _titles(agenda(user=None, date=TODAY))] == ["Stays"]


def test_done_this_year_and_what_we_did_last_year(bob: User) -> None:
    anne = _person("Anne")
    occasion = birthday(anne, 11, 25)
    occasion_touch_log(
        actor=None, occasion=occasion, year=2025, kind="offer", summary="Cake", offer_used=True
    )
    occasion_mark_done(actor=bob, occasion=occasion, year=2026)
    ben = _person("Ben")
    birthday(ben, 11, 24)

    page = agenda(user=None, date=TODAY)

    first, second = page.entries
    assert (first.call_names, first.done, first.last_year) == ("Ben", False, None)
    assert (second.call_names, second.done, second.done_by) == ("Anne", True, bob)
    assert second.this_year is not None
    assert second.done_at == second.this_year.done_at
    assert second.last_year is not None
    assert [(t.kind, t.summary, t.offer_used) for t in second.last_year.touches.all()] == [
        ("offer", "Cake", True)
    ]
    assert [e.call_names for e in page.done] == ["Anne"]
    assert [e.call_names for e in page.upcoming] == ["Ben"]


def test_done_counts_for_the_year_it_is_celebrated_in_across_new_year() -> None:
    occasion = birthday(_person("Jan"), 1, 2)
    occasion_mark_done(actor=None, occasion=occasion, year=2026)
    [entry] = agenda(user=None, date=dt.date(2026, 12, 30)).entries
    assert (entry.date, entry.done) == (dt.date(2027, 1, 2), False)
    assert entry.last_year is not None
    assert entry.last_year.year == 2026
    occasion_mark_done(actor=None, occasion=occasion, year=2027)
    assert agenda(user=None, date=dt.date(2026, 12, 30)).entries[0].done is True


def test_a_full_year_shows_each_occasion_once() -> None:
    birthday(_person("Today"), 11, 23)
    birthday(_person("Yesterday"), 11, 22)
    page = agenda(user=None, date=TODAY, days=365)
    assert _titles(page) == [("2026-11-23", 0, "Today"), ("2027-11-22", 364, "Yesterday")]


def _expected(on: dt.date, rule: str, days: int | None) -> list[tuple[int, int]]:
    out = []
    for o in Occasion.objects.all():
        when = dates.next_occurrence(o.month, o.day, on, rule)
        until = (when - on).days
        lead = o.lead_days if o.lead_days is not None else 7
        if until <= max(lead, -1 if days is None else days):
            out.append((until, o.pk))
    return sorted(out)


def _walk(on: dt.date, days: int | None, limit: int) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    cursor = None
    for _page in range(500):
        page = agenda(user=None, date=on, days=days, cursor=cursor, limit=limit)
        seen += [(e.days_until, e.occasion.pk) for e in page.entries]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ended")


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
def test_pages_walk_the_agenda_once_in_order_whatever_the_day(rule: str) -> None:
    occasion_settings_update(actor=None, feb29_rule=rule)
    rng = random.Random(4)
    people = [make_person(given_name=f"P{i}") for i in range(60)]
    mds = [(12, 30), (12, 31), (1, 1), (1, 3), (2, 27), (2, 28), (2, 29), (3, 1), (3, 2)]
    for i, person in enumerate(people):
        month, day = mds[i % len(mds)]
        lead = rng.choice([None, None, None, 0, 2, 20, 40])
        year = 1996 if (month, day) == (2, 29) else None
        birthday(person, month, day, year, lead_days=lead)
    starts = [
        dt.date(2026, 12, 29),
        dt.date(2027, 2, 26),
        dt.date(2028, 2, 26),
        dt.date(2027, 2, 1),
    ]
    for on in starts:
        for days in (None, 3, 365):
            expected = _expected(on, rule, days)
            assert _walk(on, days, limit=4) == expected, (on, days)
            assert _walk(on, days, limit=200) == expected, (on, days)


def test_a_page_costs_a_fixed_number_of_queries(django_assert_max_num_queries: object) -> None:
    for i in range(12):
        anne, _ben, couple = make_couple(f"A{i}", f"B{i}")
        birthday(anne, 11, 24, 1990)
        occasion_create(
            actor=None, kind="wedding_anniversary", relationship=couple, month=11, day=25
        )
        household = make_household(anne)
        occasion_create(
            actor=None, kind="anniversary", household=household, label="moved", month=11, day=26
        )
        occasion_touch_log(
            actor=None, occasion=couple.occasions.get(), year=2025, kind="call", summary="Hi"
        )
    occasion_settings_update(actor=None, lead_custom=7)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        page = agenda(user=None, date=TODAY)
        assert len(page.entries) == 36
        assert [len(e.people) for e in page.entries].count(2) == 12
        assert sum(len(e.last_year.touches.all()) for e in page.entries if e.last_year) == 12


def test_a_deactivated_user_sees_no_agenda(charlie: User) -> None:
    with pytest.raises(Forbidden):
        agenda(user=charlie, date=TODAY)


@pytest.mark.parametrize(
    ("days", "cursor", "field"), [(-1, None, "days"), (366, None, "days"), (None, "nope", "cursor")]
)
def test_bad_days_or_cursor_name_the_field(
    days: int | None, cursor: str | None, field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        agenda(user=None, date=TODAY, days=days, cursor=cursor)
    assert list(caught.value.fields) == [field]
