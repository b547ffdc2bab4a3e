"""A small world for the occasion web tests: a birthday today (15 June 2026), a couple's wedding
anniversary in 3 days, a household's first stay in 5 days, a name day already congratulated, and
what we did last year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from goodwill.accounts.models import User
from goodwill.occasions.services.memory import occasion_mark_done, occasion_touch_log
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services import (
    household_create,
    person_archive,
    person_create,
    relationship_create,
)

DAY = dt.date(2026, 6, 15)
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def person(given: str, family: str = "Harris", **kw: Any) -> Person:
    return person_create(actor=None, given_name=given, family_name=family, **kw).person


def build(users: dict[str, User]) -> dict[str, Any]:
    """The world: users by persona name plus people, relationships and occasions by name."""
    ann = person("Ann", emails=["ann@example.com"])
    jack = person("Jack", emails=["jack@example.com"])
    zed = person("Zed", "Old")
    ben = person("Ben", "Stone")
    couple = relationship_create(actor=None, person=jack, other=ann, kind="spouse")
    friends = relationship_create(actor=None, person=ann, other=ben, kind="friend")
    home = household_create(actor=None, name="The Harrises", member_ids=[ann.pk, jack.pk])
    birthday = occasion_create(
        actor=None, kind="birthday", month=6, day=15, year=1986, person=ann, lead_days=10
    )
    wedding = occasion_create(
        actor=None, kind="wedding_anniversary", month=6, day=18, year=2016, relationship=couple
    )
    stay = occasion_create(
        actor=None, kind="anniversary", label="First stay", month=6, day=20, household=home
    )
    name_day = occasion_create(
        actor=None, kind="custom", label="Name day", month=6, day=16, person=jack
    )
    zed_birthday = occasion_create(actor=None, kind="birthday", month=6, day=17, person=zed)
    occasion_mark_done(actor=None, occasion=name_day, year=2026)
    offer = occasion_touch_log(
        actor=None,
        occasion=birthday,
        year=2025,
        kind="offer",
        summary="10% off a spa weekend",
        channel="email",
    )
    person_archive(actor=None, person=zed)
    return {
        **users,
        "ann": ann,
        "jack": jack,
        "zed": zed,
        "ben": ben,
        "couple": couple,
        "friends": friends,
        "home": home,
        "birthday": birthday,
        "wedding": wedding,
        "stay": stay,
        "name_day": name_day,
        "zed_birthday": zed_birthday,
        "offer": offer,
    }


def url(name: str, *keys: str, query: str = "") -> Any:
    """A ``Route.url``: the occasions route ``name`` with the world's objects as arguments."""
    return lambda w: reverse(f"occasions:{name}", args=[w[k].pk for k in keys]) + query


def today_url(day: dt.date = DAY) -> str:
    return reverse("occasions:today") + f"?date={day.isoformat()}"
