"""Load the demo business through the services only (never raw inserts).

Deterministic: the same people, facts and timeline every time; interaction dates count back from
the day it is loaded so the timeline always looks recent.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from goodwill.accounts.models import User
from goodwill.accounts.selectors import user_get_by_email, user_list
from goodwill.accounts.services import business_update, user_create
from goodwill.core.errors import Conflict, NotFound
from goodwill.demo import data
from goodwill.demo.commerce import load_commerce
from goodwill.demo.occasions import load_occasions
from goodwill.demo.outreach import load_outreach
from goodwill.people.models import FactSource, Household, Organisation, Person, Relationship
from goodwill.people.selectors import person_list
from goodwill.people.services import (
    household_create,
    membership_set,
    organisation_create,
    person_create,
    person_interest_add,
    person_link_user,
    person_tag_add,
    relationship_create,
)
from goodwill.timeline.services import interaction_log


@dataclass
class DemoResult:
    """What was loaded, and the logins to try it with."""

    people: int = 0
    interactions: int = 0
    occasions: int = 0
    purchases: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def has_people() -> bool:
    """True when anyone (demo or not, archived or not) or any login is already in the database."""
    if user_list(actor=None).exists():
        return True
    return any(
        person_list(user=None, archived=archived, limit=1).items for archived in (False, True)
    )


def demo_logins() -> list[tuple[str, str]]:
    """(email, role) of each demo login; they all use ``data.DEMO_PASSWORD``."""
    return [(email, role) for email, role, _given, _family in data.USERS]


def _users() -> dict[str, User]:
    users = {}
    for email, role, given, family in data.USERS:
        user, _password = user_create(
            actor=None,
            email=email,
            role=role,
            password=data.DEMO_PASSWORD,
            first_name=given,
            last_name=family,
        )
        users[email] = user
    return users


def _people(owner: User, users: dict[str, User]) -> dict[str, Person]:
    orgs: dict[str, Organisation] = {
        name: organisation_create(actor=owner, name=name, website=website)
        for name, website in data.ORGANISATIONS
    }
    people: dict[str, Person] = {}
    for row in data.PEOPLE:
        row = dict(row)
        key, org = row.pop("key"), row.pop("org", None)
        emails, phone = [row.pop("email", "")], row.pop("phone", "")
        row.setdefault("source", FactSource.TOLD_US)
        person = person_create(actor=owner, emails=emails, phones=[phone], **row).person
        if org:
            membership_set(actor=owner, person=person, organisation=orgs[org[0]], job_title=org[1])
        if person.primary_email in users:
            person_link_user(actor=owner, person=person, user=users[person.primary_email])
        people[key] = person
    return people


def _ties(
    owner: User, people: dict[str, Person]
) -> tuple[dict[str, Relationship], dict[str, Household]]:
    households = {
        name: household_create(
            actor=owner, name=name, member_ids=[people[k].pk for k in members], **address
        )
        for name, members, address in data.HOUSEHOLDS
    }
    couples: dict[str, Relationship] = {}
    for key, kind, other, since in data.RELATIONSHIPS:
        relationship = relationship_create(
            actor=owner,
            person=people[key],
            other=people[other],
            kind=kind,
            since=dt.date.fromisoformat(since) if since else None,
        )
        if kind == Relationship.Kind.SPOUSE:
            couples[f"{key}+{other}"] = relationship
    return couples, households


def _today() -> dt.date:
    """Today where Harris Hall is."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(data.BUSINESS["time_zone"])).date()


def _staff_user(key: str | None, people: dict[str, Person], owner: User) -> User:
    person = people[key] if key else None
    return person.user if person is not None and person.user is not None else owner


def _facts(owner: User, people: dict[str, Person]) -> int:
    for key, name, source, noted_by, note, attitude in data.INTERESTS:
        person_interest_add(
            actor=_staff_user(noted_by, people, owner),
            person=people[key],
            name=name,
            attitude=attitude,
            source=source,
            note=note,
        )
    for key, name, added_by in data.TAGS:
        person_tag_add(actor=_staff_user(added_by, people, owner), person=people[key], name=name)
    zone = zoneinfo.ZoneInfo(data.BUSINESS["time_zone"])
    today = _today()
    for key, days, at, kind, direction, intent, staff, summary, body in data.INTERACTIONS:
        day = today - dt.timedelta(days=days)
        when = dt.datetime.combine(day, dt.time.fromisoformat(at), tzinfo=zone)
        interaction_log(
            actor=_staff_user(staff, people, owner),
            person=people[key],
            kind=kind,
            direction=direction,
            intent=intent,
            summary=summary,
            body=body,
            occurred_at=when,
        )
    return len(data.INTERACTIONS)


def demo_loaded() -> bool:
    """True when the demo's owner login exists (the demo was loaded before)."""
    try:
        user_get_by_email(actor=None, email=data.USERS[0][0])
    except NotFound:
        return False
    return True


def demo_load() -> DemoResult:
    """Create Harris Hall B&B with its people, facts and timeline, in one transaction."""
    owner_email = data.USERS[0][0]
    if demo_loaded():
        raise Conflict("The demo business is already loaded.")
    with transaction.atomic():
        business_update(actor=None, **data.BUSINESS)
        users = _users()
        owner = users[owner_email]
        people = _people(owner, users)
        couples, households = _ties(owner, people)
        interactions = _facts(owner, people)
        occasions = load_occasions(
            owner=owner, today=_today(), people=people, couples=couples, households=households
        )
        purchases = load_commerce(owner=owner, today=_today(), people=people)
        load_outreach(owner=owner, today=_today(), people=people)
    return DemoResult(
        people=len(people),
        interactions=interactions,
        occasions=occasions,
        purchases=purchases,
        logins=demo_logins(),
    )
