"""Classify a chunk of checked rows against the people already stored: new, update, possible
duplicate or skip. A handful of bulk queries per chunk, none per row.

Matching, in this order: a normalised email; an E.164 phone, but only when the row or the
stored person has no email (a shared landline or switchboard does not make two people one); the
exact full name plus one more fact that agrees (``namesakes``: organisation, birthday, postal
code, street and town, or a phone). A row with neither email nor phone whose exact full name is
stored, and that nothing else ties to them, is a possible duplicate. Earlier rows of the same
file are matched by the same rules (an email or phone of a row that updates someone finds that
person again), after the stored people's emails and phones and before their names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.memory import DryRunMemory, facts_digest
from goodwill.exchange.importer.namesakes import (
    FileNamesakes,
    Namesakes,
    memory_keys,
    memory_probes,
    namesakes_for,
    remembered,
    seen_name,
)
from goodwill.exchange.importer.rows import SCALARS, ImportRow
from goodwill.exchange.importer.sql_in import select_in
from goodwill.exchange.importer.window import NONE, Window
from goodwill.exchange.suppression import suppressed_emails
from goodwill.occasions.models import Occasion
from goodwill.people.models import (
    Membership,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
)
from goodwill.people.normalize import fold, interest_key

# What an import may fill in or overwrite on a stored person: names, address, language, time
# zone and notes.
FIELDS = (*SCALARS, "notes")


@dataclass
class Stored:
    """What a matched person already holds, enough to know what a row would add."""

    pk: int
    values: dict[str, str]  # the stored ``FIELDS``
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    has_birthday: bool = False
    anniversaries: KnownDates = field(default_factory=KnownDates)  # and custom dates
    roles: list[str] = field(default_factory=list)
    org_keys: set[str] = field(default_factory=set)
    interest_keys: set[str] = field(default_factory=set)


@dataclass
class Plan:
    """A chunk's rows sorted by what will happen to them."""

    new: list[ImportRow] = field(default_factory=list)
    updates: list[tuple[Stored, ImportRow]] = field(default_factory=list)
    duplicates: list[tuple[ImportRow, int]] = field(default_factory=list)
    merged: int = 0  # rows folded into an earlier row of the file that added something to it
    merged_unchanged: int = 0  # …that added nothing: counted "unchanged", as a stored person's
    skipped: int = 0


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


def _holders(
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
    return _first(_holders(model, column, keys, window))


def _first(holders: dict[str, list[int]]) -> dict[str, int]:
    return {key: people[0] for key, people in holders.items()}


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
    kinds = [Occasion.Kind.BIRTHDAY, Occasion.Kind.ANNIVERSARY, Occasion.Kind.CUSTOM]
    dates = Occasion.objects.filter(kind__in=kinds)
    columns = ("kind", "label", "month", "day", "year")
    for pid, kind, label, month, day, year in _facts(dates, ids, ["person_id"], *columns):
        if kind == Occasion.Kind.BIRTHDAY:
            people[pid].has_birthday = True
        else:
            people[pid].anniversaries.add(kind, label, month, day, year)
    _add_weddings(people, ids)
    for pid, key in _facts(Membership.objects.all(), ids, ["person_id"], "organisation__name_key"):
        people[pid].org_keys.add(key)
    for pid, key in _facts(PersonInterest.objects.all(), ids, ["person_id"], "interest__key"):
        people[pid].interest_keys.add(key)
    for pid, role in _facts(PersonRole.objects.all(), ids, ["person_id", "role"], "role"):
        people[pid].roles.append(role)
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


def merge_into(target: ImportRow, row: ImportRow) -> bool:
    """Fold a later row of the file into an earlier new row for the same person; whether it
    added anything (labels aside: an update does not count them either)."""
    before = facts_digest(target)
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
    _merge_dates(target, row)
    target.roles += [r for r in row.roles if r not in target.roles]
    liked = set(interest_keys(target))  # a like of either row wins over a dislike
    both = dict.fromkeys([*target.dislikes, *row.dislikes])
    target.dislikes = [d for d in both if interest_key(d) not in liked]
    return facts_digest(target) != before


def _merge_dates(target: ImportRow, row: ImportRow) -> None:
    """Add the later row's anniversaries and custom dates that are not the same occasion as one
    of the earlier row's (``known_dates``)."""
    pairs = [
        (Occasion.Kind.ANNIVERSARY, target.anniversaries, row.anniversaries),
        (Occasion.Kind.CUSTOM, target.custom_dates, row.custom_dates),
    ]
    known = KnownDates()
    for kind, dates, _more in pairs:
        for label, d in dates:
            known.add(kind, label, d.month, d.day, d.year)
    for kind, dates, more in pairs:
        for label, d in more:
            if not known.has(kind, label, d.month, d.day, d.year):
                known.add(kind, label, d.month, d.day, d.year)
                dates.append((label, d))


Target = ImportRow | Stored  # an earlier new row of the file, or the person a row updates
UPDATES = ("update-empty", "overwrite")  # the dedupe policies that update a matched person


class _FileIndex:
    """Emails and phones of the rows planned so far (new rows, and the people rows update),
    and the names of the new rows, for matching later rows of the file."""

    def __init__(self) -> None:
        self.by_email: dict[str, Target] = {}
        self.by_phone: dict[str, Target] = {}
        self.namesakes = FileNamesakes()

    def find(self, row: ImportRow) -> Target | None:
        for email in row.emails:
            if email in self.by_email:
                return self.by_email[email]
        for phone in row.phones:
            target = self.by_phone.get(phone)
            if target is not None and not (row.emails and target.emails):
                return target
        return None

    def namesake(self, row: ImportRow) -> ImportRow | None:
        """The first earlier new row of this name that is the same person."""
        return self.namesakes.find(row)

    def add(self, row: ImportRow, target: Target | None = None) -> None:
        """Index ``row``, a new row (``target`` None) or one updating ``target``."""
        for email in row.emails:
            self.by_email.setdefault(email, target or row)
        for phone in row.phones:
            self.by_phone.setdefault(phone, target or row)
        if target is None:
            self.namesakes.add(row)


def plan_chunk(
    rows: list[ImportRow],
    *,
    dedupe: str,
    seen: DryRunMemory | None = None,
    possible_duplicates: str = "skip",
    window: Window = NONE,
) -> Plan:
    """Sort ``rows`` into new / update / possible duplicate / skipped (policy ``dedupe`` for
    rows matched by email, phone or name plus another fact; ``possible_duplicates`` "skip"
    lists rows matched by name alone, "create" makes them new people).

    ``seen`` (dry runs) holds what earlier chunks' new and updated rows would have stored
    (emails, phones, ``memory_keys``), which a real run would find stored; this chunk's rows
    are added to it. ``window``: how stored people are found while the indexes are deferred.
    """
    plan = Plan()
    erased = suppressed_emails({e for r in rows for e in r.emails})
    if erased:  # an erased person is never brought back by an import
        plan.skipped += sum(1 for r in rows if erased & set(r.emails))
        rows = [r for r in rows if not erased & set(r.emails)]
    by_email = owners_of(PersonEmail, "email", {e for r in rows for e in r.emails}, window)
    phone_holders = _holders(PersonPhone, "e164", {p for r in rows for p in r.phones}, window)
    by_phone = _first(phone_holders)
    stored = stored_people(set(by_email.values()) | set(by_phone.values()))
    direct = [_match(row, by_email, by_phone, stored) for row in rows]
    namesakes = Namesakes()
    if dedupe != "create":
        unmatched = [row for row, match in zip(rows, direct, strict=True) if match is None]
        namesakes = namesakes_for(unmatched, phone_holders, window)
    by_name = [
        namesakes.match(row) if m is None else None for row, m in zip(rows, direct, strict=True)
    ]
    stored |= stored_people({pk for pk in by_name if pk is not None} - set(stored))
    known = _known(rows, seen)
    index = _FileIndex()
    remembered: list[ImportRow] = []  # rows a dry run's earlier chunk would have stored
    for row, match, name_match in zip(rows, direct, by_name, strict=True):
        earlier: Target | None = None
        if match is None and dedupe != "create":
            earlier = index.find(row)
            if earlier is None and name_match is not None:
                match = stored[name_match]
            elif earlier is None:
                earlier = index.namesake(row)
        if match is not None or earlier is not None or _seen(row, known):
            target = match if match is not None else earlier
            if target is None and dedupe in UPDATES:
                remembered.append(row)
                continue
            _matched(plan, index, row, target, dedupe)
            continue
        first = namesakes.first(row.name_key)
        lonely = not row.emails and not row.phones
        duplicate = lonely and (
            first or row.name_key in index.namesakes.names or seen_name(row, known)
        )
        if duplicate and dedupe != "create" and possible_duplicates != "create":
            plan.duplicates.append((row, first or 0))
            continue
        plan.new.append(row)
        index.add(row)
    if seen is not None:
        same = seen.same_facts(remembered) if remembered else 0
        plan.merged_unchanged += same
        plan.merged += len(remembered) - same
        kept = [*plan.new, *(row for _stored, row in plan.updates)]
        seen.add(k for row in kept for k in (*row.emails, *row.phones, *memory_keys(row)))
        seen.remember([*kept, *remembered])
    return plan


def _matched(
    plan: Plan, index: _FileIndex, row: ImportRow, target: Target | None, dedupe: str
) -> None:
    """Plan a row matched to ``target`` per ``dedupe`` (a dry run's earlier chunk: None, and
    only skip or create)."""
    if dedupe == "skip":
        plan.skipped += 1
    elif dedupe == "create":
        plan.new.append(row)
        index.add(row)
    elif isinstance(target, Stored):
        plan.updates.append((target, row))
        index.add(row, target)
    elif target is not None:
        if merge_into(target, row):
            plan.merged += 1
        else:
            plan.merged_unchanged += 1
        index.add(row, target)


def _known(rows: list[ImportRow], seen: DryRunMemory | None) -> set[str]:
    """The keys of ``rows`` a dry run's earlier chunks left (none in a real run)."""
    if seen is None:
        return set()
    return seen.known(k for row in rows for k in (*row.emails, *row.phones, *memory_probes(row)))


def _seen(row: ImportRow, known: set[str]) -> bool:
    if not known:
        return False
    keys = row.emails or row.phones
    return any(key in known for key in keys) or remembered(row, known)


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
