"""Classify a chunk of checked rows against the people already stored: new, update, possible
duplicate or skip. A handful of bulk queries per chunk, none per row.

Matching: a normalised email first; else an E.164 phone, but only when the row or the stored
person has no email (a shared landline or switchboard does not make two people one). A row
with neither email nor phone whose exact full name is stored is a possible duplicate. Rows of
the same file that share an email (or phone, by the same rule) are one person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from goodwill.exchange.importer.rows import SCALARS, ImportRow
from goodwill.exchange.suppression import suppressed_emails
from goodwill.occasions.models import Occasion
from goodwill.people.models import Membership, Person, PersonEmail, PersonInterest, PersonPhone
from goodwill.people.normalize import fold, interest_key

_PIECE = 5000
FIELDS = (*SCALARS, "notes")  # what an import may fill in or overwrite on a stored person


@dataclass
class Stored:
    """What a matched person already holds, enough to know what a row would add."""

    pk: int
    values: dict[str, str]  # the stored ``FIELDS``
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    has_birthday: bool = False
    anniversaries: set[tuple[int, int]] = field(default_factory=set)
    org_keys: set[str] = field(default_factory=set)
    interest_keys: set[str] = field(default_factory=set)


@dataclass
class Plan:
    """A chunk's rows sorted by what will happen to them."""

    new: list[ImportRow] = field(default_factory=list)
    updates: list[tuple[Stored, ImportRow]] = field(default_factory=list)
    duplicates: list[tuple[ImportRow, int]] = field(default_factory=list)
    merged: int = 0
    skipped: int = 0


def _pieces(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _PIECE):
        yield items[start : start + _PIECE]


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


def _owners(model: Any, column: str, keys: set[str]) -> dict[str, int]:
    """The first person (lowest id) holding each of ``keys``, by plain SQL: Django takes longer
    to build an IN of 5,000 values than the database to answer it. No ORDER BY: with one,
    SQLite walks the person index past every row instead of looking the keys up."""
    quote = connection.ops.quote_name
    table, name = quote(model._meta.db_table), quote(model._meta.get_field(column).column)
    owners: dict[str, int] = {}
    with connection.cursor() as cursor:
        for piece in _pieces(sorted(keys)):
            marks = ", ".join(["%s"] * len(piece))
            sql = f"SELECT {name}, person_id FROM {table} WHERE {name} IN ({marks})"  # noqa: S608
            cursor.execute(sql, piece)
            for key, person_id in cursor.fetchall():
                if person_id < owners.get(key, person_id + 1):
                    owners[key] = person_id
    return owners


def _facts(
    qs: QuerySet[Any, Any], ids: set[int], order: list[str], *fields: str
) -> list[tuple[Any, ...]]:
    """``(person id, *fields)`` of the people ``ids`` from ``qs``, in ``order``."""
    rows = qs.filter(_of(ids)).order_by(*order).values_list("person_id", *fields)
    return [row for row in _values(rows) if row[0] in ids]


def stored_people(ids: set[int]) -> dict[int, Stored]:
    """The matched people and their contacts, dates, organisations and interests."""
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
    dates = Occasion.objects.filter(kind__in=[Occasion.Kind.BIRTHDAY, Occasion.Kind.ANNIVERSARY])
    for pid, kind, month, day in _facts(dates, ids, ["person_id"], "kind", "month", "day"):
        if kind == Occasion.Kind.BIRTHDAY:
            people[pid].has_birthday = True
        else:
            people[pid].anniversaries.add((month, day))
    for pid, key in _facts(Membership.objects.all(), ids, ["person_id"], "organisation__name_key"):
        people[pid].org_keys.add(key)
    for pid, key in _facts(PersonInterest.objects.all(), ids, ["person_id"], "interest__key"):
        people[pid].interest_keys.add(key)
    return people


def merge_into(target: ImportRow, row: ImportRow) -> None:
    """Fold a later row of the file into an earlier new row for the same person."""
    for name, value in row.values.items():
        if value and not target.values[name]:
            target.values[name] = value
    target.notes = target.notes or row.notes
    target.emails += [e for e in row.emails if e not in target.emails]
    target.phones += [p for p in row.phones if p not in target.phones]
    target.email_labels = {**row.email_labels, **target.email_labels}
    target.phone_labels = {**row.phone_labels, **target.phone_labels}
    target.organisation = target.organisation or row.organisation
    target.job_title = target.job_title or row.job_title
    target.interests += [i for i in row.interests if i not in target.interests]
    target.birthday = target.birthday or row.birthday
    target.anniversaries += [a for a in row.anniversaries if a not in target.anniversaries]


class _FileIndex:
    """Emails and phones of the rows planned as new, for matching later rows of the file."""

    def __init__(self) -> None:
        self.by_email: dict[str, ImportRow] = {}
        self.by_phone: dict[str, ImportRow] = {}
        self.names: set[str] = set()

    def find(self, row: ImportRow) -> ImportRow | None:
        for email in row.emails:
            if email in self.by_email:
                return self.by_email[email]
        for phone in row.phones:
            target = self.by_phone.get(phone)
            if target is not None and not (row.emails and target.emails):
                return target
        return None

    def add(self, row: ImportRow) -> None:
        for email in row.emails:
            self.by_email.setdefault(email, row)
        for phone in row.phones:
            self.by_phone.setdefault(phone, row)
        self.names.add(row.name_key)


def plan_chunk(
    rows: list[ImportRow],
    *,
    dedupe: str,
    seen: set[str] | None = None,
    possible_duplicates: str = "skip",
) -> Plan:
    """Sort ``rows`` into new / update / possible duplicate / skipped (policy ``dedupe`` for
    rows matched by email or phone; ``possible_duplicates`` "skip" lists rows matched by name
    alone, "create" makes them new people).

    ``seen`` (dry runs) holds the emails and phones of earlier chunks' new rows, which a real
    run would find stored.
    """
    plan = Plan()
    erased = suppressed_emails({e for r in rows for e in r.emails})
    if erased:  # an erased person is never brought back by an import
        plan.skipped += sum(1 for r in rows if erased & set(r.emails))
        rows = [r for r in rows if not erased & set(r.emails)]
    by_email = _owners(PersonEmail, "email", {e for r in rows for e in r.emails})
    by_phone = _owners(PersonPhone, "e164", {p for r in rows for p in r.phones})
    stored = stored_people(set(by_email.values()) | set(by_phone.values()))
    lonely = {r.name_key for r in rows if not r.emails and not r.phones}
    names = dict(
        Person.objects.filter(sort_key__in=lonely).order_by("id").values_list("sort_key", "id")
    )
    index = _FileIndex()
    for row in rows:
        match = _match(row, by_email, by_phone, stored)
        earlier = None if match or dedupe == "create" else index.find(row)
        if match is not None or earlier is not None or _seen(row, seen):
            if dedupe == "skip":
                plan.skipped += 1
            elif dedupe == "create":
                plan.new.append(row)
                index.add(row)
            elif match is not None:
                plan.updates.append((match, row))
            elif earlier is not None:
                merge_into(earlier, row)
                plan.merged += 1
            else:
                plan.merged += 1
            continue
        duplicate = row.name_key in lonely and (
            names.get(row.name_key) or row.name_key in index.names
        )
        if duplicate and dedupe != "create" and possible_duplicates != "create":
            plan.duplicates.append((row, names.get(row.name_key) or 0))
            continue
        plan.new.append(row)
        index.add(row)
    if seen is not None:
        for row in plan.new:
            seen.update(row.emails)
            seen.update(row.phones)
    return plan


def _seen(row: ImportRow, seen: set[str] | None) -> bool:
    if not seen:
        return False
    keys = row.emails or row.phones
    return any(key in seen for key in keys)


def _match(
    row: ImportRow, by_email: dict[str, int], by_phone: dict[str, int], stored: dict[int, Stored]
) -> Stored | None:
    for email in row.emails:
        if email in by_email:
            return stored[by_email[email]]
    for phone in row.phones:
        if phone in by_phone:
            candidate = stored[by_phone[phone]]
            if not (row.emails and candidate.emails):
                return candidate
    return None


def interest_keys(row: ImportRow) -> list[str]:
    return [interest_key(name) for name in row.interests]


def org_key(row: ImportRow) -> str:
    return fold(row.organisation)
