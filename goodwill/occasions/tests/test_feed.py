"""The secret calendar feed: creating, regenerating and revoking its URL, and the iCal it serves,
parsed with icalendar and checked event by event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from goodwill.accounts.models import AuditEntry, User
from goodwill.accounts.services import business_get, user_update
from goodwill.core.errors import Forbidden, NotFound
from goodwill.core.tests.matrix import db_state
from goodwill.occasions.models import CalendarFeed, Occasion
from goodwill.occasions.selectors.feed import add_months, feed_events, feed_ical
from goodwill.occasions.selectors.settings import occasion_settings
from goodwill.occasions.services.feeds import (
    calendar_feed_create,
    calendar_feed_revoke,
    feed_token_hash,
)
from goodwill.occasions.services.occasions import occasion_create
from goodwill.occasions.services.settings import occasion_settings_update
from goodwill.people.models import Person
from goodwill.people.services import household_create, person_create
from goodwill.people.services.persons import person_archive
from goodwill.people.services.relationships import relationship_create

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _rows(db: None, settings: Any) -> None:
    settings.SITE_URL = "https://crm.example.com"
    business_get()
    occasion_settings()


def _person(given: str, family: str = "Whitman") -> Person:
    return person_create(actor=None, given_name=given, family_name=family).person


def _birthday(person: Person, month: int, day: int, year: int | None = None) -> Occasion:
    return occasion_create(
        actor=None, kind="birthday", person=person, month=month, day=day, year=year
    )


def _feed_url(raw: str) -> str:
    return reverse("occasions:calendar_feed", args=[raw])


def _parse(ical: bytes) -> tuple[Calendar, list[Any]]:
    """Parse and check every event: unique UID, all-day DTSTART/DTEND a day apart, a UTC
    DTSTAMP, a summary, and a yearly RRULE whose first instance is DTSTART."""
    cal = Calendar.from_ical(ical)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//goodwill//occasions//EN"
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    for event in events:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date
        assert type(end) is dt.date
        assert end == start + dt.timedelta(days=1)
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert str(event["SUMMARY"])
        if "RRULE" in event:
            rule = event["RRULE"]
            assert rule["FREQ"] == ["YEARLY"]
            expanded = rrulestr(
                event["RRULE"].to_ical().decode(),
                dtstart=dt.datetime.combine(start, dt.time()),
            )
            assert expanded[0].date() == start
    return cal, events


def _by_uid(events: list[Any]) -> dict[str, Any]:
    return {str(e["UID"]): e for e in events}


def _rrule(event: Any) -> str | None:
    return event["RRULE"].to_ical().decode() if "RRULE" in event else None


# --- the URL -----------------------------------------------------------------------------


def test_a_feed_serves_icalendar_without_login(bob: User) -> None:
    _birthday(_person("Anne"), 4, 12)
    _feed, raw = calendar_feed_create(actor=bob, user=bob)
    response = Client().get(_feed_url(raw))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    _cal, events = _parse(response.content)
    assert [str(e["SUMMARY"]) for e in events] == ["Anne Whitman — birthday"]


def test_only_the_hash_and_a_prefix_are_stored(bob: User) -> None:
    feed, raw = calendar_feed_create(actor=bob, user=bob)
    assert len(raw) == 43
    assert feed.token_hash == feed_token_hash(raw)
    assert feed.prefix == raw[:8]
    assert raw not in str(list(CalendarFeed.objects.values()))
    assert AuditEntry.objects.filter(action="calendar_feed.create", actor=bob).count() == 1


def test_an_unknown_token_is_404(bob: User) -> None:
    calendar_feed_create(actor=bob, user=bob)
    assert Client().get(_feed_url("not-a-token")).status_code == 404


def test_a_revoked_feed_is_404(bob: User) -> None:
    _feed, raw = calendar_feed_create(actor=bob, user=bob)
    calendar_feed_revoke(actor=bob, user=bob)
    assert Client().get(_feed_url(raw)).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_regenerating_stops_the_old_url(bob: User) -> None:
    _feed, old = calendar_feed_create(actor=bob, user=bob)
    _feed, new = calendar_feed_create(actor=bob, user=bob)
    assert old != new
    assert Client().get(_feed_url(old)).status_code == 404
    assert Client().get(_feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=bob).count() == 1
    assert AuditEntry.objects.filter(action="calendar_feed.regenerate").count() == 1


def test_a_deactivated_users_feed_stops_working(bob: User) -> None:
    _feed, raw = calendar_feed_create(actor=bob, user=bob)
    user_update(actor=None, user=bob, is_active=False)
    assert Client().get(_feed_url(raw)).status_code == 404


def test_a_feed_is_only_its_own_users(alice: User, bob: User, charlie: User) -> None:
    calendar_feed_create(actor=bob, user=bob)
    before = db_state()
    with pytest.raises(Forbidden):
        calendar_feed_create(actor=alice, user=bob)
    with pytest.raises(Forbidden):
        calendar_feed_revoke(actor=alice, user=bob)
    with pytest.raises(Forbidden):
        calendar_feed_create(actor=charlie, user=charlie)
    assert db_state() == before


def test_revoking_without_a_feed_is_not_found(bob: User) -> None:
    before = db_state()
    with pytest.raises(NotFound):
        calendar_feed_revoke(actor=bob, user=bob)
    assert db_state() == before


def test_last_used_is_noted_at_most_once_an_hour(bob: User) -> None:
    feed, raw = calendar_feed_create(actor=bob, user=bob)
    Client().get(_feed_url(raw))
    first = CalendarFeed.objects.get(pk=feed.pk).last_used_at
    assert first is not None
    Client().get(_feed_url(raw))
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at == first
    earlier = first - dt.timedelta(hours=2)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=earlier)
    Client().get(_feed_url(raw))
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at > first


def test_the_url_is_shown_once_on_the_site_url(bob: User, bob_client: Client) -> None:
    response = bob_client.post(reverse("occasions:feed_create"), HTTP_HOST="localhost")
    assert response.status_code == 201
    url = response.context["feed_url"]
    assert url.startswith("https://crm.example.com/calendar/")
    assert url.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=bob).token_hash == feed_token_hash(raw)
    page = bob_client.get(reverse("occasions:settings"))
    assert raw.encode() not in page.content
    assert raw[:8].encode() in page.content


# --- the events ----------------------------------------------------------------------------


def test_a_birthday_without_a_year_is_one_yearly_event() -> None:
    anne = _person("Anne")
    occasion = _birthday(anne, 4, 12)
    _cal, events = _parse(feed_ical(TODAY))
    (event,) = events
    assert str(event["UID"]) == f"occasion-{occasion.pk}@crm.example.com"
    assert event["DTSTART"].dt == dt.date(2026, 4, 12)
    assert _rrule(event) == "FREQ=YEARLY"
    assert str(event["SUMMARY"]) == "Anne Whitman — birthday"


def test_a_birthday_with_a_year_is_one_event_per_age_within_13_months() -> None:
    occasion = _birthday(_person("Anne"), 3, 20, 1986)
    _cal, events = _parse(feed_ical(TODAY))
    assert [(str(e["UID"]), e["DTSTART"].dt, str(e["SUMMARY"]), _rrule(e)) for e in events] == [
        (
            f"occasion-{occasion.pk}-2026@crm.example.com",
            dt.date(2026, 3, 20),
            "Anne Whitman — birthday (turns 40)",
            None,
        ),
        (
            f"occasion-{occasion.pk}-2027@crm.example.com",
            dt.date(2027, 3, 20),
            "Anne Whitman — birthday (turns 41)",
            None,
        ),
    ]


def test_the_13_months_end_the_day_before_the_same_date() -> None:
    assert add_months(TODAY, 13) == dt.date(2027, 4, 10)
    assert add_months(dt.date(2026, 1, 31), 13) == dt.date(2027, 2, 28)
    _birthday(_person("Anne"), 4, 10, 1990)
    _birthday(_person("Ben"), 4, 9, 1990)
    _cal, events = _parse(feed_ical(TODAY))
    assert [e["DTSTART"].dt for e in events] == [
        dt.date(2026, 4, 9),
        dt.date(2026, 4, 10),
        dt.date(2027, 4, 9),
    ]


def test_a_couple_gets_one_wedding_anniversary_event() -> None:
    jack, ann = _person("Jack"), _person("Ann")
    couple = relationship_create(actor=None, person=jack, other=ann, kind="spouse")
    occasion_create(
        actor=None, kind="wedding_anniversary", relationship=couple, month=6, day=1, year=2009
    )
    harris = _person("Lee", "Harris")
    pair = relationship_create(
        actor=None, person=harris, other=_person("Kim", "Park"), kind="spouse"
    )
    occasion_create(actor=None, kind="wedding_anniversary", relationship=pair, month=7, day=2)
    _cal, events = _parse(feed_ical(TODAY))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Jack & Ann Whitman — 17th wedding anniversary",
        "Lee Harris & Kim Park — wedding anniversary",
    ]


def test_anniversaries_custom_dates_and_households() -> None:
    anne = _person("Anne")
    occasion_create(
        actor=None, kind="anniversary", person=anne, month=5, day=2, year=2023, label="first stay"
    )
    home = household_create(actor=None, name="The Whitmans")
    occasion_create(actor=None, kind="custom", household=home, month=5, day=3, label="moved in")
    _cal, events = _parse(feed_ical(TODAY))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Anne Whitman — first stay (3rd anniversary)",
        "The Whitmans — moved in",
    ]


def test_feb_29_without_a_year_recurs_on_the_last_day_of_february_by_default() -> None:
    occasion = _birthday(_person("Leap"), 2, 29)
    _cal, events = _parse(feed_ical(TODAY))
    (event,) = events
    assert str(event["UID"]) == f"occasion-{occasion.pk}@crm.example.com"
    assert event["DTSTART"].dt == dt.date(2027, 2, 28)
    assert event["RRULE"]["BYMONTH"] == [2]
    assert event["RRULE"]["BYMONTHDAY"] == [-1]
    assert b"RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1\r\n" in feed_ical(TODAY)
    expanded = rrulestr(_rrule(event) or "", dtstart=dt.datetime(2027, 2, 28))
    assert [d.date() for d in expanded[:4]] == [
        dt.date(2027, 2, 28),
        dt.date(2028, 2, 29),
        dt.date(2029, 2, 28),
        dt.date(2030, 2, 28),
    ]


def test_feb_29_under_the_march_1_rule_is_one_event_per_year() -> None:
    occasion_settings_update(actor=None, feb29_rule="mar1")
    occasion = _birthday(_person("Leap"), 2, 29)
    _cal, events = _parse(feed_ical(dt.date(2027, 2, 15)))
    assert [(str(e["UID"]), e["DTSTART"].dt, _rrule(e)) for e in events] == [
        (f"occasion-{occasion.pk}-2027@crm.example.com", dt.date(2027, 3, 1), None),
        (f"occasion-{occasion.pk}-2028@crm.example.com", dt.date(2028, 2, 29), None),
    ]


def test_feb_29_on_march_1_of_a_common_year_is_today_under_the_march_1_rule() -> None:
    occasion_settings_update(actor=None, feb29_rule="mar1")
    _birthday(_person("Leap"), 2, 29, 2000)
    _birthday(_person("Early"), 3, 2, 2000)
    events = feed_events(dt.date(2027, 3, 1), limit=1).events
    assert [(e.date, e.summary) for e in events] == [
        (dt.date(2027, 3, 1), "Leap Whitman — birthday (turns 27)")
    ]


def test_feb_29_with_a_year_counts_the_age_on_feb_28() -> None:
    _birthday(_person("Leap"), 2, 29, 2000)
    _cal, events = _parse(feed_ical(TODAY))
    assert [(e["DTSTART"].dt, str(e["SUMMARY"])) for e in events] == [
        (dt.date(2027, 2, 28), "Leap Whitman — birthday (turns 27)")
    ]


def test_events_wrap_at_new_year_in_date_order() -> None:
    for name, (month, day) in {"Dec": (12, 25), "Jan": (1, 5), "Early": (12, 1)}.items():
        _birthday(_person(name), month, day)
    events = feed_events(dt.date(2026, 12, 20)).events
    assert [e.date for e in events] == [
        dt.date(2026, 12, 25),
        dt.date(2027, 1, 5),
        dt.date(2027, 12, 1),
    ]


def test_names_with_commas_semicolons_and_newlines_are_escaped() -> None:
    _birthday(_person("Anne\nMarie", 'Whitman, Jr.; "the 2nd"'), 4, 12)
    ical = feed_ical(TODAY)
    assert b'SUMMARY:Anne\\nMarie Whitman\\, Jr.\\; "the 2nd" \xe2\x80\x94 birthday' in ical
    _cal, events = _parse(ical)
    assert str(events[0]["SUMMARY"]) == 'Anne\nMarie Whitman, Jr.; "the 2nd" — birthday'


def test_long_names_are_folded_and_unfolded_intact() -> None:
    family = "Ødegård-Østergaard " * 7
    _birthday(_person("Anne", family.strip()), 4, 12)
    ical = feed_ical(TODAY)
    assert all(len(line) <= 75 for line in ical.split(b"\r\n"))
    _cal, events = _parse(ical)
    assert str(events[0]["SUMMARY"]) == f"Anne {family.strip()} — birthday"


def test_archived_people_and_their_couples_are_left_out(alice: User) -> None:
    kept, gone = _person("Kept"), _person("Gone")
    _birthday(kept, 4, 1)
    _birthday(gone, 4, 2)
    couple = relationship_create(actor=None, person=kept, other=gone, kind="spouse")
    occasion_create(actor=None, kind="wedding_anniversary", relationship=couple, month=4, day=3)
    person_archive(actor=alice, person=gone)
    _cal, events = _parse(feed_ical(TODAY))
    assert [str(e["SUMMARY"]) for e in events] == ["Kept Whitman — birthday"]


def test_a_feed_is_capped_at_the_nearest_and_says_so() -> None:
    for day in range(1, 6):
        _birthday(_person(f"P{day}"), 4, day)
    cal, events = _parse(feed_ical(TODAY, limit=3))
    assert [e["DTSTART"].dt for e in events] == [dt.date(2026, 4, d) for d in (1, 2, 3)]
    assert str(cal["X-WR-CALDESC"]) == (
        "Only the 3 nearest celebrations are listed here; more are left out. "
        "See every occasion on the agenda: https://crm.example.com/today/"
    )
    full, _events = _parse(feed_ical(TODAY, limit=5))
    assert "X-WR-CALDESC" not in full


def test_a_crowded_day_is_one_event_linking_to_that_days_agenda(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from goodwill.occasions.selectors import feed

    monkeypatch.setattr(feed, "DAY_LIMIT", 2)
    for n in range(3):
        _birthday(_person(f"P{n}"), 4, 2)
    _birthday(_person("Alone"), 4, 3)
    cal, events = _parse(feed_ical(TODAY))
    assert [(e["DTSTART"].dt, str(e["SUMMARY"]), str(e.get("URL", ""))) for e in events] == [
        (
            dt.date(2026, 4, 2),
            "3 birthdays and anniversaries — see the agenda",
            "https://crm.example.com/today/?date=2026-04-02",
        ),
        (dt.date(2026, 4, 3), "Alone Whitman — birthday", ""),
        (
            dt.date(2027, 4, 2),  # within the 13 months (they end on 9 April 2027)
            "3 birthdays and anniversaries — see the agenda",
            "https://crm.example.com/today/?date=2027-04-02",
        ),
    ]
    assert len({str(e["UID"]) for e in events}) == 3
    assert str(cal["X-WR-CALDESC"]) == (
        "Days with more than 2 occasions are one event linking to that day's agenda."
    )


def test_the_feed_reads_occasions_in_chunks_with_people_in_bulk(
    django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from goodwill.occasions.selectors import feed

    monkeypatch.setattr(feed, "CHUNK", 10)
    for n in range(25):
        _birthday(_person(f"P{n}"), 1 + n % 12, 1 + n)
    # settings, business, the day counts, and per chunk of 10: occasions, people (no couples or
    # households here).
    with django_assert_max_num_queries(3 + 2 * 3):
        _cal, events = _parse(feed_ical(TODAY))
    assert len(events) == 25


def test_every_event_of_a_mixed_feed_is_valid(bob: User) -> None:
    anne, ben = _person("Anne"), _person("Ben")
    _birthday(anne, 2, 29, 2004)
    _birthday(ben, 2, 29)
    couple = relationship_create(actor=None, person=anne, other=ben, kind="spouse")
    occasion_create(
        actor=None, kind="wedding_anniversary", relationship=couple, month=12, day=31, year=2010
    )
    home = household_create(actor=None, name="Whitman; Harris, and co")
    occasion_create(actor=None, kind="custom", household=home, month=1, day=1, label="New year")
    _feed, raw = calendar_feed_create(actor=bob, user=bob)
    _cal, events = _parse(Client().get(_feed_url(raw)).content)
    assert len(events) >= 4
