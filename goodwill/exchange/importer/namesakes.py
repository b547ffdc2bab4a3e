"""Name matches: a row whose exact full name (the folded name key) is a stored person's, or an
earlier row's of the same file, and that agrees with them on one more fact is the same person.

The facts that agree: an organisation (its folded name), the birthday (same month and day, and
the same year when both have one), the postal code (spaces and case ignored), street and town
together, or a phone number. A shared email needs no name: it is a match on its own.

Two things say "another person" whatever else agrees: birthdays that differ, and contacts that
all differ (both have an email and a phone, and no phone is shared; an email that a stored
person has is an email match already). So namesakes who each left their own email and phone are
never joined, and a big file of new people only reads the few namesakes lacking one of them.

A few queries per chunk, none per row: the namesakes (for the rows that have an email and a
phone, only those lacking one of them, or sharing a phone; none for a row with no fact to agree
on), then their birthdays and organisations when a row of that name has one. Earlier rows of
the file are found by name and fact (``FileNamesakes``), never by comparing every row of a name;
a dry run remembers the people its earlier chunks would store as keys of name, fact and birthday
(``memory_keys``).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection

from goodwill.exchange.importer.own_ids import named_by_row, own_id, own_uid
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.sql_in import select_in
from goodwill.exchange.importer.stored import Stored
from goodwill.exchange.importer.window import NAME, NONE, SHORT, Window
from goodwill.occasions.models import Occasion
from goodwill.people.models import Membership, Organisation, Person
from goodwill.people.normalize import fold

Birthday = tuple[int, int, int | None]


@dataclass
class Profile:
    """What a name match is judged on, for a row or a stored person."""

    full: bool  # has an email and a phone
    phones: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    postal: str = ""
    street: str = ""  # folded "town / street", only when both are known
    birthday: Birthday | None = None


def _postal(value: str) -> str:
    return fold(value).replace(" ", "")


def _street(locality: str, street: str) -> str:
    return f"{fold(locality)}\x1f{fold(street)}" if locality.strip() and street.strip() else ""


def row_profile(row: ImportRow) -> Profile:
    """The row's facts; its organisation only when it is not also its name (a row named after
    its company, "sales@" at Acme, would agree with every other such row)."""
    b = row.birthday
    org = fold(row.organisation)
    return Profile(
        full=bool(row.emails and row.phones),
        phones=set(row.phones),
        orgs={org} if org and org != row.name_key else set(),
        postal=_postal(row.values["postal_code"]),
        street=_street(row.values["locality"], row.values["street"]),
        birthday=(b.month, b.day, b.year) if b else None,
    )


def _birthdays_agree(a: Birthday | None, b: Birthday | None) -> bool | None:
    """True: the same day (and year when both have one); False: another day; None: unknown."""
    if a is None or b is None:
        return None
    return a[:2] == b[:2] and (a[2] is None or b[2] is None or a[2] == b[2])


def same_person(row: Profile, other: Profile) -> bool:
    """Whether two people of the same name are one: a fact agrees and none tells them apart."""
    shared_phone = bool(row.phones & other.phones)
    if row.full and other.full and not shared_phone:
        return False
    birthday = _birthdays_agree(row.birthday, other.birthday)
    if birthday is False:
        return False
    return bool(
        birthday
        or shared_phone
        or row.orgs & other.orgs
        or (row.postal and row.postal == other.postal)
        or (row.street and row.street == other.street)
    )


@dataclass
class Namesakes:
    """The stored people named as rows of a chunk are (by name key, lowest id first)."""

    by_name: dict[str, list[tuple[int, Profile]]] = field(default_factory=dict)

    def first(self, name_key: str) -> int | None:
        """The first stored person of this name (a possible duplicate), if any."""
        people = self.by_name.get(name_key)
        return people[0][0] if people else None

    def match(self, row: ImportRow) -> int | None:
        """The first stored namesake who is the same person as ``row``."""
        people = self.by_name.get(row.name_key)
        if not people:
            return None
        if (own := named_by_row(row, (pk for pk, _profile in people))) is not None:
            return own  # the row is their own export's
        profile = row_profile(row)
        return next((pk for pk, other in people if same_person(profile, other)), None)


def _q(model: Any, *names: str) -> tuple[str, ...]:
    """Quoted names of ``model``'s table and columns, for plain SQL."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), *(quote(model._meta.get_field(n).column) for n in names)


_PERSON = ("id", "sort_key", "postal_code", "locality", "street", "primary_email", "primary_phone")


def _people(
    all_of: set[str], lacking: set[str], held: set[int], window: Window
) -> list[tuple[Any, ...]]:
    """Everyone named ``all_of``; those named ``lacking`` without an email or a phone, or
    among ``held`` (they share a phone with a row). While the import's indexes are deferred,
    the people it wrote since are found through ``window``."""
    table, *columns = _q(Person, *_PERSON)
    pk, name, email, phone = columns[0], columns[1], columns[5], columns[6]
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE"  # noqa: S608
    short = f"AND ({email} = '' OR {phone} = '')"
    old = window.old(Person._meta.db_table)
    rows = select_in(f"{select} {name} IN (%(marks)s){old}", all_of)
    rows += select_in(f"{select} {name} IN (%(marks)s){old} {short}", lacking)
    rows += select_in(f"{select} {pk} IN (%(marks)s)", held)
    if window.open:  # a namesake with both an email and a phone is wanted for all_of only
        ids = window.candidates(NAME, all_of) | window.candidates(SHORT, lacking)
        later = select_in(f"{select} {pk} IN (%(marks)s)", ids)
        rows += [r for r in later if r[1] in all_of or (r[1] in lacking and not (r[5] and r[6]))]
    return [r for r in rows if r[1] in all_of or r[1] in lacking]


def _could_match(row: ImportRow) -> bool:
    """Whether a stored namesake could be ``row``: it has a fact to agree on, or has neither
    email nor phone (then a namesake makes it a possible duplicate), or names the person it was
    exported from (``own_ids``)."""
    if (not row.emails and not row.phones) or own_uid(row) or own_id(row):
        return True
    v = row.values
    street = v["locality"].strip() and v["street"].strip()
    return bool(
        row.phones or row.organisation.strip() or row.birthday or v["postal_code"].strip() or street
    )


def namesakes_for(
    rows: list[ImportRow], phone_holders: dict[str, list[int]], window: Window | None = None
) -> Namesakes:
    """The stored namesakes of ``rows`` (rows no email or phone matched) that could be them."""
    all_of = {r.name_key for r in rows if not (r.emails and r.phones) and _could_match(r)}
    lacking = {r.name_key for r in rows if r.emails and r.phones} - all_of
    held = {
        pk
        for r in rows
        if r.name_key in lacking
        for p in r.phones
        for pk in phone_holders.get(p, [])
    }
    found = {r[0]: r for r in _people(all_of, lacking, held, window or NONE)}
    if not found:
        return Namesakes()
    phones: dict[int, set[str]] = defaultdict(set)
    for phone in {p for r in rows for p in r.phones}:
        for pk in phone_holders.get(phone, []):
            phones[pk].add(phone)
    profiles = {
        pk: Profile(
            full=bool(email and phone),
            phones=phones.get(pk, set()),
            postal=_postal(postal),
            street=_street(locality, street),
        )
        for pk, _name, postal, locality, street, email, phone in found.values()
    }
    _add_facts(rows, found, profiles)
    by_name: dict[str, list[tuple[int, Profile]]] = defaultdict(list)
    for pk in sorted(found):
        by_name[found[pk][1]].append((pk, profiles[pk]))
    return Namesakes(dict(by_name))


def _add_facts(
    rows: list[ImportRow], found: dict[int, tuple[Any, ...]], profiles: dict[int, Profile]
) -> None:
    """Birthdays and organisations of the namesakes of rows that have one."""
    with_birthday = {r.name_key for r in rows if r.birthday}
    with_org = {r.name_key for r in rows if r.organisation.strip()}
    table, person, kind, month, day, year = _q(Occasion, "person", "kind", "month", "day", "year")
    columns = f"{person}, {month}, {day}, {year}"
    dates = f"SELECT {columns} FROM {table} WHERE {kind} = %%s AND"  # noqa: S608
    ids = {pk for pk, r in found.items() if r[1] in with_birthday}
    for pk, m, d, y in select_in(f"{dates} {person} IN (%(marks)s)", ids, Occasion.Kind.BIRTHDAY):
        profiles[pk].birthday = profiles[pk].birthday or (m, d, y)
    members, member, org = _q(Membership, "person", "organisation")
    orgs, org_id, key = _q(Organisation, "id", "name_key")
    member, org, org_id = f"{members}.{member}", f"{members}.{org}", f"{orgs}.{org_id}"
    keys = (
        f"SELECT {member}, {key} FROM {members} JOIN {orgs} ON {org_id} = {org} WHERE"  # noqa: S608
        f" {member} IN (%(marks)s)"
    )
    for pk, name_key in select_in(keys, {pk for pk, r in found.items() if r[1] in with_org}):
        profiles[pk].orgs.add(name_key)


Entry = tuple[int, ImportRow, Profile]  # (order added, row, its profile)


class FileNamesakes:
    """The new rows of a file so far, by name; once a later row of the same name comes, that
    name's rows are indexed by each fact that can join namesakes, so the row is compared only
    with those sharing a fact with it (a file of a thousand "Walk-in Guest" rows is not
    compared row with row), and a file of different names indexes nothing."""

    def __init__(self) -> None:
        self.names: dict[str, list[ImportRow]] = {}
        self._indexed: dict[str, int] = {}  # how many of a name's rows are in _by_fact
        self._by_fact: dict[tuple[str, str, str, str], list[Entry]] = {}

    def add(self, row: ImportRow) -> None:
        self.names.setdefault(row.name_key, []).append(row)

    def find(self, row: ImportRow) -> ImportRow | None:
        """The first earlier row of this name that is the same person as ``row``."""
        name = row.name_key
        if name not in self.names:
            return None
        self._index(name)
        profile = row_profile(row)
        buckets = [
            self._by_fact[key]
            for kind, value in _join_facts(profile)
            for flag in _flags(profile, kind)
            if (key := (name, kind, value, flag)) in self._by_fact
        ]
        for _order, other, other_profile in heapq.merge(*buckets, key=itemgetter(0)):
            if same_person(profile, other_profile):
                return other
        return None

    def _index(self, name: str) -> None:
        rows = self.names[name]
        start = self._indexed.get(name, 0)
        for order, row in enumerate(rows[start:], start=start):
            profile = row_profile(row)
            flag = "F" if profile.full else "P"
            for kind, value in _join_facts(profile):
                self._by_fact.setdefault((name, kind, value, flag), []).append(
                    (order, row, profile)
                )
        self._indexed[name] = len(rows)


def _join_facts(profile: Profile) -> Iterable[tuple[str, str]]:
    """The facts on which two namesakes can agree, the birthday's day among them."""
    yield from _facts(profile)
    if profile.birthday:
        yield "b", f"{profile.birthday[0]}/{profile.birthday[1]}"


def stored_profile(person: Stored) -> Profile:
    """A stored person's facts as a name match judges them (``namesakes_for`` reads them from
    the database; a dry run has them as its earlier chunks would have left them)."""
    v = person.values
    return Profile(
        full=bool(person.emails and person.phones),
        phones=set(person.phones),
        orgs=set(person.org_keys),
        postal=_postal(v["postal_code"]),
        street=_street(v["locality"], v["street"]),
        birthday=person.birthday,
    )


def memory_keys(name: str, profile: Profile) -> set[str]:
    """What a dry run remembers of a person it would create or change (their name key and
    ``stored_profile``), so that a row of a later chunk is found the way a real run would find
    them stored (``dry_run.Earlier``): each fact with their birthday, as later rows with another
    birthday are another person."""
    flag = "F" if profile.full else "P"
    keys = {name_probe(name)}
    days = _days(profile.birthday, stored=True)
    keys |= {
        f"\x1f{flag}\x1f{kind}\x1f{name}\x1f{value}\x1f{day}"
        for kind, value in _facts(profile)
        for day in days
    }
    days.discard("?")
    keys |= {f"\x1f{flag}\x1fb\x1f{name}\x1f{day}" for day in days}
    return keys


def memory_probes(row: ImportRow) -> list[str]:
    """The keys (``memory_keys``) of a person of this name whom ``row`` would join, any of which
    a dry run's earlier chunks may have left."""
    profile, name = row_profile(row), row.name_key
    days = _days(profile.birthday, stored=False)
    probes = [(kind, f"{value}\x1f{day}") for kind, value in _facts(profile) for day in days]
    probes += [("b", day) for day in days - {"-", "?"}]
    return [
        f"\x1f{flag}\x1f{kind}\x1f{name}\x1f{value}"
        for kind, value in probes
        for flag in _flags(profile, kind)
    ]


def name_probe(name_key: str) -> str:
    """The key a dry run keeps of everyone of this name (a later row with nothing else is a
    possible duplicate of them)."""
    return f"\x1fn\x1f{name_key}"


def _flags(profile: Profile, kind: str) -> tuple[str, ...]:
    """Which earlier rows a fact of ``kind`` can join: those with an email and a phone ("F")
    and those lacking one ("P"); when both rows have both, only a shared phone joins them."""
    return ("P",) if profile.full and kind != "t" else ("F", "P")


def _days(birthday: Birthday | None, *, stored: bool) -> set[str]:
    """Birthday stamps: those a remembered row is kept under (``stored``), or those a later row
    looks for: the ones whose birthday agrees with its own ("?": any birthday, for a row
    without one; "-": none; "m/d/y", "m/d/" without a year, "m/d/*" any year)."""
    if birthday is None:
        return {"-"} if stored else {"-", "?"}
    month, day, year = birthday
    dated, undated = f"{month}/{day}/{year}", f"{month}/{day}/"
    if stored:
        return {dated, f"{month}/{day}/*", "?"} if year else {undated, "?"}
    return {"-", dated, undated} if year else {"-", f"{month}/{day}/*", undated}


def _facts(profile: Profile) -> Iterable[tuple[str, str]]:
    yield from (("o", org) for org in profile.orgs)
    yield from (("t", phone) for phone in profile.phones)
    if profile.postal:
        yield "p", profile.postal
    if profile.street:
        yield "s", profile.street
