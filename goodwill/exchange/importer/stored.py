"""What the people an import's rows match already hold, read in a handful of bulk queries per
chunk, none per row: who holds each email or phone (``owners_of``), and each matched person's
fields and facts (``stored_people``), enough to know what a row would add to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.rows import SCALARS, ImportRow
from goodwill.exchange.importer.sql_in import select_in
from goodwill.exchange.importer.window import NONE, Window
from goodwill.occasions.models import Occasion
from goodwill.people.models import (
    Membership,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
    PersonTag,
)
from goodwill.people.normalize import fold, interest_key, name_keys

# What an import may fill in or overwrite on a stored person: names, address, language, time
# zone and notes.
FIELDS = (*SCALARS, "notes")
# The parts of the address, updated as one (``changes``), and the other fields.
ADDRESS = ("street", "locality", "region", "postal_code", "country")
OWN_FIELDS = tuple(name for name in SCALARS if name not in ADDRESS)


Day = tuple[int, int, int | None]  # a yearly date: month, day, year (None: not known)


@dataclass
class Stored:
    """What a matched person already holds, enough to know what a row would add."""

    pk: int
    values: dict[str, str]  # the stored ``FIELDS``
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birthday: Day | None = None  # (month, day, year or None)
    anniversaries: KnownDates = field(default_factory=KnownDates)  # and custom dates
    roles: list[str] = field(default_factory=list)
    org_keys: set[str] = field(default_factory=set)
    interest_keys: set[str] = field(default_factory=set)
    tag_keys: set[str] = field(default_factory=set)


def stored_name_key(person: Stored) -> str:
    """The person's ``sort_key`` (their folded full name), as ``ImportRow.name_key`` is a row's."""
    return name_keys(person.values["given_name"], person.values["family_name"])[0]


def _values(qs: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query of text and number columns, read without Django's
    per-value conversions (they need none, and at 5,000 rows they cost more than the query)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _of(ids: set[int], path: str = "person_id") -> Q:
    """These people: an id range when they are (nearly) contiguous (cheaper than thousands of
    parameters; rows of others in the range are dropped by the caller), else the id list."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return Q(**{f"{path}__gte": low, f"{path}__lte": high})
    return Q(**{f"{path}__in": sorted(ids)})


def holders_of(
    model: Any, column: str, keys: set[str], window: Window = NONE
) -> dict[str, list[int]]:
    """The people holding each of ``keys`` (lowest id first), by plain SQL (``select_in``). No
    ORDER BY: with one, SQLite walks the person index past every row instead of looking the
    keys up. While the import's indexes are deferred, through ``window``."""
    quote = connection.ops.quote_name
    table, name = quote(model._meta.db_table), quote(model._meta.get_field(column).column)
    sql = f"SELECT {name}, person_id FROM {table} WHERE"  # noqa: S608
    rows = set(select_in(f"{sql} {name} IN (%(marks)s){window.old(model._meta.db_table)}", keys))
    if window.open:
        later = select_in(f"{sql} person_id IN (%(marks)s)", window.candidates(column, keys))
        rows.update(row for row in later if row[0] in keys)
    holders: dict[str, list[int]] = {}
    for key, person_id in rows:
        holders.setdefault(key, []).append(person_id)
    for people in holders.values():
        people.sort()
    return holders


def owners_of(model: Any, column: str, keys: set[str], window: Window = NONE) -> dict[str, int]:
    """The first person (lowest id) holding each of ``keys`` (emails, phones, loyalty numbers)."""
    return {key: people[0] for key, people in holders_of(model, column, keys, window).items()}


def _facts(
    qs: QuerySet[Any, Any], ids: set[int], order: list[str], *fields: str
) -> list[tuple[Any, ...]]:
    """``(person id, *fields)`` of the people ``ids`` from ``qs``, in ``order``."""
    rows = qs.filter(_of(ids)).order_by(*order).values_list("person_id", *fields)
    return [row for row in _values(rows) if row[0] in ids]


def stored_people(ids: set[int]) -> dict[int, Stored]:
    """The matched people and their contacts, dates, organisations, interests and tags."""
    if not ids:
        return {}
    rows = _values(Person.objects.filter(_of(ids, "id")).values_list("id", *FIELDS))
    people = {
        r[0]: Stored(r[0], dict(zip(FIELDS, r[1:], strict=True))) for r in rows if r[0] in ids
    }
    order = ["person_id", "-is_primary", "id"]
    for pid, email in _facts(PersonEmail.objects.all(), ids, order, "email"):
        people[pid].emails.append(email)
    for pid, phone in _facts(PersonPhone.objects.all(), ids, order, "e164"):
        people[pid].phones.append(phone)
    kinds = [Occasion.Kind.BIRTHDAY, Occasion.Kind.ANNIVERSARY, Occasion.Kind.CUSTOM]
    dates = Occasion.objects.filter(kind__in=kinds)
    columns = ("kind", "label", "month", "day", "year")
    for pid, kind, label, month, day, year in _facts(dates, ids, ["person_id"], *columns):
        if kind == Occasion.Kind.BIRTHDAY:
            people[pid].birthday = (month, day, year)
        else:
            people[pid].anniversaries.add(kind, label, month, day, year)
    _add_weddings(people, ids)
    for pid, key in _facts(Membership.objects.all(), ids, ["person_id"], "organisation__name_key"):
        people[pid].org_keys.add(key)
    for pid, key in _facts(PersonInterest.objects.all(), ids, ["person_id"], "interest__key"):
        people[pid].interest_keys.add(key)
    for pid, role in _facts(PersonRole.objects.all(), ids, ["person_id", "role"], "role"):
        people[pid].roles.append(role)
    for pid, key in _facts(PersonTag.objects.all(), ids, ["person_id"], "tag__key"):
        people[pid].tag_keys.add(key)
    return people


def _add_weddings(people: dict[int, Stored], ids: set[int]) -> None:
    """Each person's weddings (occasions of the couple) as their anniversaries, so an export's
    wedding date, read back as an anniversary (unlabelled or "Wedding"), is not added again."""
    weddings = Occasion.objects.filter(kind=Occasion.Kind.WEDDING)
    labels = ("", str(Occasion.Kind.WEDDING.label).capitalize())  # as the vCard export names it
    for side in ("relationship__from_person_id", "relationship__to_person_id"):
        rows = weddings.filter(_of(ids, side)).values_list(side, "month", "day", "year")
        for pid, month, day, year in _values(rows):
            for label in labels if pid in people else ():
                people[pid].anniversaries.add(Occasion.Kind.ANNIVERSARY, label, month, day, year)


def interest_keys(row: ImportRow) -> list[str]:
    """The keys of the row's likes, as a stored person's ``interest_keys`` holds them."""
    return [interest_key(name) for name in row.interests]


def org_keys(row: ImportRow) -> list[str]:
    """The folded names of the row's organisations, the first first."""
    return [fold(name) for name, _title in row.memberships()]
