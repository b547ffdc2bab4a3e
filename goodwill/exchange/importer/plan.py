"""Classify a chunk of checked rows against the people already stored: new, update, possible
duplicate or skip. A handful of bulk queries per chunk, none per row (who holds each email and
phone, and what the matched people hold: ``stored``).

Matching, in this order: a normalised email; an E.164 phone, but only when the row or the
stored person has no email and the names do not tell them apart (``phone_match``: a shared
landline or switchboard does not make two people one); the
exact full name plus one more fact that agrees (``namesakes``: organisation, birthday, postal
code, street and town, or a phone), or that goodwill's own export's id or UID names
(``own_ids``). A row with neither email nor phone whose exact full name is stored, and that
nothing else ties to them, is a possible duplicate. Earlier rows of the same
file are matched by the same rules (an email or phone of a row that updates someone finds that
person again), after the stored people's emails and phones and before their names. A row that
updates someone is planned without the emails another person holds (``held``); a later row of
a person the file creates is folded into the earlier one (``folding``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from goodwill.exchange.importer.dry_run import (
    Earlier,
    count_found,
    namesakes_as_left,
    order,
)
from goodwill.exchange.importer.folding import merge_into
from goodwill.exchange.importer.held import held_leave_out
from goodwill.exchange.importer.memory import DryRunMemory
from goodwill.exchange.importer.namesakes import FileNamesakes, Namesakes, namesakes_for
from goodwill.exchange.importer.phone_match import phone_names_agree
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import (
    Stored,
    holders_of,
    stored_name_key,
    stored_people,
)
from goodwill.exchange.importer.window import NONE, Window
from goodwill.exchange.suppression import stored_key, suppressed_emails, suppressed_pairs
from goodwill.people.models import PersonEmail, PersonPhone

MAX_HOLDERS = 50  # of the people holding one email or phone, those a row is compared with


@dataclass
class Plan:
    """A chunk's rows sorted by what will happen to them."""

    new: list[ImportRow] = field(default_factory=list)
    updates: list[tuple[Stored, ImportRow]] = field(default_factory=list)
    duplicates: list[tuple[ImportRow, int]] = field(default_factory=list)
    merged: int = 0  # rows folded into an earlier row of the file that added something to it
    merged_unchanged: int = 0  # …that added nothing: counted "unchanged", as a stored person's
    skipped: int = 0
    erased: list[int] = field(default_factory=list)  # lines of erased people's rows, skipped
    # Rows that are someone else's row of the file or stored person (None: a dry run's earlier
    # chunk's): folded into them, or skipped (dedupe "skip"), for linking cards (``links``).
    folded: list[tuple[ImportRow, Target | None]] = field(default_factory=list)
    passed: list[tuple[ImportRow, Target | None]] = field(default_factory=list)


Target = ImportRow | Stored  # an earlier new row of the file, or the person a row updates
UPDATES = ("update-empty", "overwrite")  # the dedupe policies that update a matched person


class _FileIndex:
    """Emails and phones of the rows planned so far (new rows, and the people rows update),
    and the names of the new rows, for matching later rows of the file."""

    def __init__(self) -> None:
        self.by_email: dict[str, Target] = {}
        self.by_phone: dict[str, list[Target]] = {}  # each phone's holders, first first
        self.namesakes = FileNamesakes()

    def find(self, row: ImportRow) -> Target | None:
        for email in row.emails:
            if email in self.by_email:
                return self.by_email[email]
        for phone in row.phones:
            for target in self.by_phone.get(phone, ()):
                # a shared line finds the first holder without an email the row's name fits
                if not (row.emails and target.emails) and phone_names_agree(row, target):
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
            holders = self.by_phone.setdefault(phone, [])
            holder = target or row
            if len(holders) < MAX_HOLDERS and not any(h is holder for h in holders):
                holders.append(holder)
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

    ``seen`` (dry runs) holds the people earlier chunks would have created or changed and the
    keys that find them, which a real run would find stored (``dry_run``); a row of one of them
    is counted against them (and they are changed there); ``dry_write`` then adds the chunk's
    other people to it. ``window``: how stored people are found while the indexes are deferred.
    A row that updates someone leaves out the emails another person holds (``held``).
    """
    plan = Plan()
    rows = _not_erased(plan, rows)
    email_holders = holders_of(PersonEmail, "email", {e for r in rows for e in r.emails}, window)
    phone_holders = holders_of(PersonPhone, "e164", {p for r in rows for p in r.phones}, window)
    # The people holding a row's key (the first MAX_HOLDERS of a switchboard's phone).
    held = {pk for people in email_holders.values() for pk in people[:MAX_HOLDERS]}
    held.update(pk for people in phone_holders.values() for pk in people[:MAX_HOLDERS])
    stored = _stored(held, seen)
    direct = [_match(row, email_holders, phone_holders, stored) for row in rows]
    namesakes = Namesakes()
    if dedupe != "create":
        unmatched = [row for row, match in zip(rows, direct, strict=True) if match is None]
        namesakes = namesakes_for(unmatched, phone_holders, window)
        if seen is not None:
            namesakes_as_left(namesakes, seen)
    by_name = [
        namesakes.match(row) if m is None else None for row, m in zip(rows, direct, strict=True)
    ]
    stored |= _stored({pk for pk in by_name if pk is not None} - set(stored), seen)
    prior = Earlier(seen, rows, stored) if seen is not None else None
    if prior is not None:  # one object per person, whichever way a row finds them
        stored |= {pk: p for pk, p in prior.people.items() if pk > 0 and pk not in stored}
    index = _FileIndex()
    for row, match, name_match in zip(rows, direct, by_name, strict=True):
        target, person = _find(
            row, (match, name_match), index, prior, stored, dedupe, email_holders
        )
        if person is not None and person > 0 and prior is not None:
            # Someone stored that an earlier chunk changed: updated in the row's turn, as a
            # real run updates them (the chunk's other rows of them may change them too).
            target, person = prior.people.get(person), None
        if dedupe in UPDATES and (target is not None or person is not None):
            held_leave_out(row, target, person, email_holders, index.by_email, prior)
        if person is not None and prior is not None and dedupe in UPDATES:
            # Someone a dry run's earlier chunk would have stored: counted against them.
            prior.found.append((row, person))
            plan.folded.append((row, None))
            if (found := prior.people.get(person)) is not None:
                index.add(row, found)  # later rows of the chunk find them by it too
            continue
        if target is not None or person is not None:
            _matched(plan, index, row, target, dedupe)
            continue
        first = namesakes.first(row.name_key)
        lonely = not row.emails and not row.phones
        duplicate = lonely and (
            first
            or row.name_key in index.namesakes.names
            or (prior is not None and prior.has_name(row))
        )
        if duplicate and dedupe != "create" and possible_duplicates != "create":
            plan.duplicates.append((row, first or 0))
            continue
        plan.new.append(row)
        index.add(row)
    if prior is not None and seen is not None:  # a dry run
        overwrite = dedupe == "overwrite"
        updated, unchanged = count_found(
            seen, prior.found, overwrite=overwrite, people=prior.people
        )
        plan.merged += updated
        plan.merged_unchanged += unchanged
    return plan


def _not_erased(plan: Plan, rows: list[ImportRow]) -> list[ImportRow]:
    """The rows but an erased person's (never brought back by an import): one with an address
    of theirs, or with an address they shared with someone who keeps it and their name. Those
    are skipped and listed by their line. Nothing is read or hashed while nobody was ever
    erased (no key yet): a million-row import pays one small query a chunk."""
    if (key := stored_key()) is None:
        return rows
    erased = suppressed_emails({e for r in rows for e in r.any_emails()}, key)
    pairs = suppressed_pairs({(e, r.name_key) for r in rows for e in r.any_emails()}, key)
    if not (erased or pairs):
        return rows
    gone = {
        id(r)
        for r in rows
        if erased.intersection(r.any_emails())
        or any((e, r.name_key) in pairs for e in r.any_emails())
    }
    plan.erased = [r.line for r in rows if id(r) in gone]
    plan.skipped += len(plan.erased)
    return [r for r in rows if id(r) not in gone]


def _find(
    row: ImportRow,
    matches: tuple[Stored | None, int | None],
    index: _FileIndex,
    prior: Earlier | None,
    stored: dict[int, Stored],
    dedupe: str,
    email_holders: dict[str, list[int]],
) -> tuple[Target | None, int | None]:
    """Whom ``row`` is, as a real run finds them: the person holding its first email someone
    holds, else one of its phones (``matches``: the stored person it matched directly, or in a
    dry run the earlier chunks' person holding an earlier key of the row); else an earlier row
    of the chunk by email or phone, a stored namesake (``matches``' second), the earlier
    chunks' namesake, an earlier row's namesake. Returns the target, or the id of the earlier
    chunks' person."""
    match, name_match = matches
    if prior is not None:
        before = _key_at(row, match, email_holders) if match is not None else None
        if (person := prior.by_contact(row, before)) is not None:
            return None, person
    if match is not None:
        return match, None
    if dedupe == "create":
        return None, None
    earlier = index.find(row)
    if prior is not None and (person := prior.holds(earlier)) is not None:
        return None, person
    if earlier is not None:
        return earlier, None
    named = prior.by_name(row) if prior is not None else None
    if name_match is not None and (named is None or order(name_match) <= order(named)):
        return stored[name_match], None
    if named is not None:
        return None, named
    return index.namesake(row), None


def _key_at(row: ImportRow, match: Stored, email_holders: dict[str, list[int]]) -> int:
    """Where in ``row`` the key is that matched it to ``match`` (``_match``): the index of an
    email, or after the emails, of a phone."""
    for at, email in enumerate(row.emails):
        if email_holders.get(email):
            return at
    phones = [at for at, phone in enumerate(row.phones) if phone in match.phones]
    return len(row.emails) + (phones[0] if phones else len(row.phones))


def _stored(ids: set[int], seen: DryRunMemory | None) -> dict[int, Stored]:
    """The people ``ids`` as stored; in a dry run, as its earlier chunks would have left them."""
    people = stored_people(ids)
    if seen is not None and people:
        people.update(seen.people(people))
    return people


def _matched(
    plan: Plan, index: _FileIndex, row: ImportRow, target: Target | None, dedupe: str
) -> None:
    """Plan a row matched to ``target`` per ``dedupe`` (a dry run's earlier chunk: None, and
    only skip or create)."""
    if dedupe == "skip":
        plan.skipped += 1
        plan.passed.append((row, target))
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
        plan.folded.append((row, target))


def _match(
    row: ImportRow,
    email_holders: dict[str, list[int]],
    phone_holders: dict[str, list[int]],
    stored: dict[int, Stored],
) -> Stored | None:
    """The stored person ``row`` is: a holder of its first email someone holds, else of one of
    its phones (a row with an email finds by phone only someone without one)."""
    for email in row.emails:
        if holders := email_holders.get(email):
            return _holder(row, email, [stored[pk] for pk in holders[:MAX_HOLDERS]], "emails")
    for phone in row.phones:
        if holders := phone_holders.get(phone):
            held = holders[:MAX_HOLDERS]
            fit = [
                stored[pk]
                for pk in held
                if not (row.emails and stored[pk].emails) and phone_names_agree(row, stored[pk])
            ]
            if fit:
                return _holder(row, phone, fit, "phones")
    return None


def _holder(row: ImportRow, key: str, people: list[Stored], kind: str) -> Stored:
    """Of the people holding ``key`` (lowest id first; most keys have one), the one with the
    row's name, else the one whose first email or phone (``kind``) it is, else the first: an
    address a couple shares finds the one the row names."""
    if len(people) == 1:
        return people[0]
    named = [p for p in people if stored_name_key(p) == row.name_key] or people
    return next((p for p in named if getattr(p, kind)[:1] == [key]), named[0])
