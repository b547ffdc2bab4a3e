"""A dry run's part in planning and counting a chunk, with what its earlier chunks would have
stored (``memory``) standing in for the database.

Each chunk leaves, for every person it would create or change, the person as they would then be
stored and the keys a later row finds them by, made from the person (not from the row: a row
that matches someone by email leaves them their own name), ``person_keys``. A row of a later
chunk is looked up by those keys (``Earlier``) and checked against the person found as a real
run checks it against what it stored (an email they hold; a phone of someone without an email,
or held by a row without one; their name with another fact that agrees and none that tells them
apart), so that a key an overwrite made stale finds nobody. A row found is compared with that
person as a real run compares it with what it stored, and counted "updated" or "unchanged"
alike. The stored people a chunk finds by name are judged as the earlier chunks left them too
(``namesakes_as_left``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from goodwill.exchange.importer.changes import changes_for, changes_stored, row_day
from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.memory import NEW_RANK, DryRunMemory
from goodwill.exchange.importer.namesakes import (
    Namesakes,
    memory_keys,
    memory_probes,
    name_probe,
    row_profile,
    same_person,
    stored_profile,
)
from goodwill.exchange.importer.phone_match import phone_names_agree
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import (
    FIELDS,
    Stored,
    org_keys,
    stored_name_key,
    stored_people,
)
from goodwill.exchange.importer.write import Written
from goodwill.occasions.models import Occasion
from goodwill.people.normalize import interest_key, tag_key

# A phone of someone without an email: a row that has an email is matched by it (a shared
# landline does not make two people with their own addresses one).
LONE_PHONE = "\x1fp0\x1f"
# After a key: a second person holding it (of those who did, the first a real run finds after
# the key's own), for when the key's own no longer holds it.
BACKUP = "\x1fb2"
Found = tuple[ImportRow, int]  # a row, and the earlier chunk's person it is


def order(pid: int) -> int:
    """Lower for the person a real run finds first: stored people by id, then those the dry run
    would create (ids below zero), in the order it would create them."""
    return pid if pid > 0 else NEW_RANK - pid


def probes(row: ImportRow) -> list[str]:
    """The keys an earlier chunk may have left that would find ``row``'s person (the name
    alone only for a row with no email or phone: it may be a possible duplicate)."""
    lone = [LONE_PHONE + p for p in row.phones] if row.emails else []
    lonely = [] if row.emails or row.phones else [name_probe(row.name_key)]
    return [*row.emails, *row.phones, *lone, *memory_probes(row), *lonely]


def person_keys(person: Stored) -> Iterator[str]:
    """What later rows find ``person`` by, as they would be stored."""
    yield from person.emails
    yield from person.phones
    if not person.emails:
        yield from (LONE_PHONE + p for p in person.phones)
    yield from memory_keys(stored_name_key(person), stored_profile(person))


def _has_email(person: Stored, email: str) -> bool:
    return email in person.emails


def _has_name(person: Stored, name_key: str) -> bool:
    return stored_name_key(person) == name_key


class Earlier:
    """The people of a dry run's earlier chunks that the rows of a chunk may be: found by the
    keys those chunks left (``probes``, each with its ``BACKUP``), each checked against the
    person as they would be."""

    def __init__(self, seen: DryRunMemory, rows: list[ImportRow], stored: dict[int, Stored]):
        self.known = seen.known(k for row in rows for k in probes(row))
        self.known |= seen.known([k + BACKUP for k in self.known])
        ids = set(self.known.values())
        # A stored person the chunk also matches directly is ``stored``'s one (the changes of
        # its rows are made to that one).
        self.people = {pid: stored[pid] for pid in ids if pid in stored}
        self._direct = set(self.people)
        self.people |= seen.people(ids - set(self.people))
        self.people |= stored_people({pk for pk in ids - set(self.people) if pk > 0})
        self.found: list[Found] = []

    def _first(self, key: str, holds: Callable[[Stored, str], bool], value: str) -> int | None:
        """The person ``key`` finds who ``holds`` ``value`` (someone stored who was deleted
        since holds what the keys say)."""
        for k in (key, key + BACKUP):
            pid = self.known.get(k)
            if pid is not None and ((p := self.people.get(pid)) is None or holds(p, value)):
                return pid
        return None

    def by_contact(self, row: ImportRow, before: int | None = None) -> int | None:
        """The person holding the row's first email one of them holds, else one of its phones
        (a row with an email finds by phone only someone without one), as a real run's direct
        match; only by the keys ``before`` that one (emails first, then phones), where the row
        found someone stored."""
        end = len(row.emails) + len(row.phones) if before is None else before
        for email in row.emails[:end]:
            if (pid := self._first(email, _has_email, email)) is not None:
                return pid
        for phone in row.phones[: max(0, end - len(row.emails))]:
            key = LONE_PHONE + phone if row.emails else phone
            if (pid := self._first(key, self._phone_fits(row), phone)) is not None:
                return pid
        return None

    @staticmethod
    def _phone_fits(row: ImportRow) -> Callable[[Stored, str], bool]:
        def fits(person: Stored, phone: str) -> bool:
            return (
                phone in person.phones
                and not (row.emails and person.emails)
                and phone_names_agree(row, person)
            )

        return fits

    def by_name(self, row: ImportRow) -> int | None:
        """The first person (a real run's order: ``order``) of the row's name whom a fact
        joins it to, as a real run's name match."""
        profile = row_profile(row)

        def joins(person: Stored, name_key: str) -> bool:
            return _has_name(person, name_key) and same_person(profile, stored_profile(person))

        joined = set()
        for key in memory_probes(row):
            for k in (key, key + BACKUP):
                pid = self.known.get(k)
                if pid is not None and (
                    (p := self.people.get(pid)) is None or joins(p, row.name_key)
                ):
                    joined.add(pid)
        return min(joined, key=order, default=None)

    def holder(self, email: str) -> int | None:
        """The person holding ``email``, if any."""
        return self._first(email, _has_email, email)

    def has_name(self, row: ImportRow) -> bool:
        """Whether someone the earlier chunks would store has the row's name."""
        return self._first(name_probe(row.name_key), _has_name, row.name_key) is not None

    def holds(self, target: object) -> int | None:
        """The id of ``target`` when it is one of these people that a row of the chunk found
        (not one it matched directly: that one a real run would update as it does here)."""
        if not isinstance(target, Stored) or target.pk in self._direct:
            return None
        return target.pk if self.people.get(target.pk) is target else None


def namesakes_as_left(namesakes: Namesakes, seen: DryRunMemory) -> None:
    """Judge the stored namesakes a chunk found as the dry run's earlier chunks would have left
    them: with the facts they would have gained or lost, and without those renamed."""
    ids = {pk for people in namesakes.by_name.values() for pk, _profile in people}
    changed = seen.people(ids) if ids else {}
    if not changed:
        return
    for name, people in namesakes.by_name.items():
        kept = []
        for pk, profile in people:
            person = changed.get(pk)
            if person is None:
                kept.append((pk, profile))
            elif stored_name_key(person) == name:
                kept.append((pk, stored_profile(person)))
        namesakes.by_name[name] = kept


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


def _remember(seen: DryRunMemory, people: Iterable[Stored]) -> None:
    """Keep ``people`` as they would be stored, and the keys later rows find them by. The
    memory keeps one person per key, the first a real run would find, and one more in reserve
    (``BACKUP``, for when the first no longer holds it: an overwrite renamed them); a key of
    someone who no longer holds it goes to the one who now does."""
    people = list(people)
    seen.keep(people)
    pairs = [(key, person.pk) for person in people for key in set(person_keys(person))]
    held = seen.known(key for key, _pk in pairs)
    others = {held[key] for key, pk in pairs if held.get(key, pk) != pk}
    keys = {pid: set(person_keys(p)) for pid, p in seen.people(others).items()}
    stale, backups, first = [], [], dict[str, int]()
    for key, pk in pairs:
        if (mate := first.setdefault(key, pk)) != pk:  # two of these people hold it
            backups.append((key + BACKUP, max(pk, mate, key=order)))
            first[key] = min(pk, mate, key=order)
        if (pid := held.get(key, pk)) == pk or pid not in keys:
            continue
        if key not in keys[pid]:
            stale.append(key)
        else:  # both hold it: the one found second is kept in reserve
            backups.append((key + BACKUP, max(pk, pid, key=order)))
    seen.forget(stale)
    seen.add([*pairs, *backups])


def count_found(
    seen: DryRunMemory, found: list[Found], *, overwrite: bool, people: dict[int, Stored]
) -> tuple[int, int]:
    """How many of the rows ``found`` among the earlier chunks' ``people`` would update them,
    and how many would change nothing; the people they change are kept as changed."""
    changed: dict[int, Stored] = {}
    updated = unchanged = 0
    for row, pid in found:
        person = people.get(pid)
        if person is None:  # someone stored, deleted since: whatever it holds is new
            updated += 1
        elif changes := changes_for(person, row, overwrite=overwrite):
            changes_stored(person, changes)
            changed[pid] = person
            updated += 1
        else:
            unchanged += 1
    _remember(seen, changed.values())
    return updated, unchanged


def remember_chunk(seen: DryRunMemory, new: list[ImportRow]) -> None:
    """Leave the chunk's new people, and the keys later rows find them by."""
    ids = seen.new_ids(len(new))
    _remember(seen, (_as_stored(pk, row) for pk, row in zip(ids, new, strict=True)))


def dry_write(
    new: list[ImportRow],
    updates: list[tuple[Stored, ImportRow]],
    *,
    overwrite: bool,
    seen: DryRunMemory,
) -> Written:
    """What ``write_chunk`` would count; the people it would change are kept as changed, then
    those it would create (a key the changes took from someone is theirs: ``_remember``)."""
    out = Written(created=[0] * len(new))
    changed: dict[int, Stored] = {}
    for stored, row in updates:
        changes = changes_for(stored, row, overwrite=overwrite)
        if changes:
            changes_stored(stored, changes)
            changed[stored.pk] = stored
            out.updated.append(stored.pk)
        else:
            out.unchanged += 1
    _remember(seen, changed.values())
    remember_chunk(seen, new)
    return out
