"""A dry run's part in planning and counting a chunk, with what its earlier chunks would have
stored (``memory``) standing in for the database.

A row is found among the earlier chunks' people by the rules a real run matches it with (an
email; a phone, by a row with an email only someone without one; the full name with another
fact), compared with that person as a real run compares it with what it stored, and counted
"updated" or "unchanged" alike. Each chunk then leaves its new people and the people it would
change, and the keys later rows find them by.
"""

from __future__ import annotations

from collections.abc import Iterator

from goodwill.exchange.importer.changes import Changes, changes_for, changes_stored, row_day
from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.memory import DryRunMemory
from goodwill.exchange.importer.namesakes import memory_keys, memory_probes
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import FIELDS, Stored, org_keys, stored_people
from goodwill.exchange.importer.write import Written
from goodwill.occasions.models import Occasion
from goodwill.people.normalize import interest_key, tag_key

# A phone of someone without an email: a row that has an email is matched by it (a shared
# landline does not make two people with their own addresses one).
LONE_PHONE = "\x1fp0\x1f"
Found = tuple[ImportRow, int]  # a row, and the earlier chunk's person it is


def probes(row: ImportRow) -> list[str]:
    """The keys an earlier chunk may have left that would find ``row``'s person."""
    lone = [LONE_PHONE + p for p in row.phones] if row.emails else []
    return [*row.emails, *row.phones, *lone, *memory_probes(row)]


def earlier_person(row: ImportRow, known: dict[str, int]) -> int | None:
    """The earlier chunks' person ``row`` is (``known``: what its ``probes`` found), in a real
    run's order: an email, a phone, then the full name with another fact."""
    if not known:
        return None
    for email in row.emails:
        if email in known:
            return known[email]
    for phone in row.phones:
        if (key := LONE_PHONE + phone if row.emails else phone) in known:
            return known[key]
    for key in memory_probes(row)[:-1]:  # the last is the name alone: not the same person
        if key in known:
            return known[key]
    return None


def keys_of(row: ImportRow) -> Iterator[str]:
    """What later rows find the person of ``row`` by."""
    yield from row.emails
    yield from row.phones
    if not row.emails:
        yield from (LONE_PHONE + p for p in row.phones)
    yield from memory_keys(row)


def _as_stored(pk: int, row: ImportRow) -> Stored:
    """The person a real run would create from ``row``, as it would read them back."""
    dates = KnownDates()
    for kind, rows in (
        (Occasion.Kind.ANNIVERSARY, row.anniversaries),
        (Occasion.Kind.CUSTOM, row.custom_dates),
    ):
        for label, d in rows:
            dates.add(kind, label, d.month, d.day, d.year)
    return Stored(
        pk,
        {name: row.notes if name == "notes" else row.values[name] for name in FIELDS},
        emails=list(row.emails),
        phones=list(row.phones),
        birthday=row_day(row),
        anniversaries=dates,
        roles=list(row.roles),
        org_keys=set(org_keys(row)),
        interest_keys={interest_key(name) for name in (*row.interests, *row.dislikes)},
        tag_keys={tag_key(name) for name in row.tags},
    )


def _apply(person: Stored, changes: Changes, lone: list[str]) -> None:
    """Record ``changes`` on ``person``; a first email makes their phones no longer the phones
    of someone without one (``lone``: those keys, to forget)."""
    changes_stored(person, changes)
    if changes.emails and len(person.emails) == len(changes.emails):
        lone += [LONE_PHONE + phone for phone in person.phones]


def count_found(
    seen: DryRunMemory, found: list[Found], *, overwrite: bool, stored: dict[int, Stored]
) -> tuple[int, int]:
    """How many of the rows ``found`` among the earlier chunks' people would update them, and
    how many would change nothing; the people they change are kept as changed. A stored person
    the chunk also matches directly is ``stored``'s one (its other rows see these changes)."""
    if not found:
        return 0, 0
    ids = {pid for _row, pid in found}
    people = {pid: stored[pid] for pid in ids if pid in stored}
    people |= seen.people(ids - set(people))
    people |= stored_people({pk for pk in ids - set(people) if pk > 0})
    changed: dict[int, Stored] = {}
    lone: list[str] = []
    updated = unchanged = 0
    for row, pid in found:
        person = people.get(pid)
        if person is None:  # someone stored, deleted since: whatever it holds is new
            updated += 1
        elif changes := changes_for(person, row, overwrite=overwrite):
            _apply(person, changes, lone)
            changed[pid] = person
            updated += 1
        else:
            unchanged += 1
    seen.keep(changed.values())
    seen.forget(lone)
    seen.add((key, pid) for row, pid in found for key in keys_of(row))
    return updated, unchanged


def remember_chunk(
    seen: DryRunMemory, new: list[ImportRow], updates: list[tuple[Stored, ImportRow]]
) -> None:
    """Leave the chunk's new people, and the keys of them and of the people it updates."""
    ids = seen.new_ids(len(new))
    seen.keep(_as_stored(pk, row) for pk, row in zip(ids, new, strict=True))
    pairs = [(key, pk) for pk, row in zip(ids, new, strict=True) for key in keys_of(row)]
    pairs += [(key, stored.pk) for stored, row in updates for key in keys_of(row)]
    seen.add(pairs)


def dry_write(
    new: list[ImportRow],
    updates: list[tuple[Stored, ImportRow]],
    *,
    overwrite: bool,
    seen: DryRunMemory,
) -> Written:
    """What ``write_chunk`` would count; the people it would change are kept as changed."""
    out = Written(created=[0] * len(new))
    changed: dict[int, Stored] = {}
    lone: list[str] = []
    for stored, row in updates:
        changes = changes_for(stored, row, overwrite=overwrite)
        if changes:
            _apply(stored, changes, lone)
            changed[stored.pk] = stored
            out.updated.append(stored.pk)
        else:
            out.unchanged += 1
    seen.keep(changed.values())
    seen.forget(lone)
    return out
