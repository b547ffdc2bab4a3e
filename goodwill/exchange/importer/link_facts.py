"""Write what goodwill's cards say about the ties and households they link, once the whole file
is read and its ties are made (``couples.links_write``), in bulk: a batch of ties or households
at a time, each batch in one transaction with one audit entry that counts what it changed
(``relationship.bulk_update``, ``household.bulk_join``), not one entry a fact.

A tie's since-date and notes fill the relationship's when it has none: a relationship is both
people's, and a value it has already stays whatever the dedupe choice (a new tie has none, so
an export comes back whole, and importing it again changes nothing). The people of the cards
that share a household's UID live together: those in no household yet join the household of
that UID stored here (made by an earlier import, or the one the file was exported from), else
the household one of them lives in already (the first in the file's order), else one household
made once with the file's UID, name, address and notes, which the next file that names the UID
joins. A person in a household already is never moved, a household's own name, address and
notes are never changed, and the people of cards skipped as someone stored (dedupe "skip")
join nothing, but the household they live in is the one the others join.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.exchange.importer.card_extras import HouseholdFacts, TieFacts
from goodwill.exchange.importer.couples import Key, Tie
from goodwill.exchange.models import ImportBatch
from goodwill.people.models import Household, Person, Relationship
from goodwill.people.services.households import HouseholdJoin, household_bulk_join

BATCH = 500  # relationships or households looked up and written at a time


@dataclass(frozen=True, slots=True)
class Member:
    """A card's person (``person``) and the household the card gives; ``anchor``: a card
    skipped as someone stored, whose household others join but who joins none."""

    person: int
    household: HouseholdFacts
    anchor: bool = False


def rows_update(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Set ``fields`` of many rows of ``model`` by primary key, in one ``executemany``: each
    of ``rows`` is the fields' new values (as the model holds them), then the key. Django's
    ``bulk_update`` takes longer to build its CASE than the database to run it."""
    if not rows:
        return
    by_name = {f.name: f for f in model._meta.concrete_fields}
    found = [by_name[name] for name in fields]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in found)
    table, pk = quote(model._meta.db_table), quote(by_name["id"].column)
    params = [
        [f.get_db_prep_save(v, connection) for f, v in zip(found, row[:-1], strict=True)]
        + [row[-1]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", params)  # noqa: S608


def _relationships(keys: list[Key]) -> dict[Key, tuple[int, dt.date | None, str]]:
    """The id, since-date and notes of the stored relationships of these keys, by key."""
    wanted = set(keys)
    rows = Relationship.objects.filter(
        from_person_id__in={key[0] for key in keys}, kind__in={key[2] for key in keys}
    ).values_list("from_person_id", "to_person_id", "kind", "custom_label", "id", "since", "notes")
    return {
        (a, b, kind, label): (pk, since, notes)
        for a, b, kind, label, pk, since, notes in rows
        if (a, b, kind, label) in wanted
    }


def _ties_fill(
    actor: User | None,
    keys: list[Key],
    since: dict[Key, TieFacts],
    notes: dict[Key, TieFacts],
    batch: ImportBatch,
) -> None:
    """Fill the empty since-dates and notes of the relationships of ``keys``, read and written
    in one transaction, with one audit entry on the import ``batch`` counting them."""
    with transaction.atomic():
        filled: list[tuple[dt.date | None, str, int]] = []
        dates = texts = 0
        for key, (pk, their_since, their_notes) in sorted(_relationships(keys).items()):
            fill_since = their_since is None and key in since
            fill_notes = not their_notes and key in notes
            if fill_since:
                their_since, dates = since[key].since, dates + 1
            if fill_notes:
                their_notes, texts = notes[key].notes, texts + 1
            if fill_since or fill_notes:
                filled.append((their_since, their_notes, pk))
        if not filled:
            return
        require_role(actor, User.Role.STAFF)
        now = timezone.now()
        fields = ["since", "notes", "updated_at"]
        rows_update(Relationship, fields, [(d, text, now, pk) for d, text, pk in filled])
        audit_record(
            actor=actor,
            action="relationship.bulk_update",
            target=batch,
            changes={
                "relationships": [None, len(filled)],
                "since": [None, dates],
                "notes": [None, texts],
            },
        )


def tie_facts_write(
    *, actor: User | None, ties: list[tuple[Tie, TieFacts]], batch: ImportBatch
) -> None:
    """Fill each tie's empty since-date and notes from the first card that gives them."""
    since: dict[Key, TieFacts] = {}
    notes: dict[Key, TieFacts] = {}
    for tie, facts in ties:
        if facts.since is not None:
            since.setdefault(tie.key(), facts)
        if facts.notes:
            notes.setdefault(tie.key(), facts)
    keys = list(dict.fromkeys([*since, *notes]))
    for start in range(0, len(keys), BATCH):
        _ties_fill(actor, keys[start : start + BATCH], since, notes, batch)


def _join(
    people: list[tuple[int, int | str | None, bool]], facts: HouseholdFacts, stored: int | None
) -> tuple[HouseholdJoin | None, int | str]:
    """Whom of ``people`` (person, their home: a household id, or the UID of one made in this
    batch; anchor) in no household yet to move where; and that household."""
    joining = [pk for pk, home, anchor in people if home is None and not anchor]
    homes = [home for _pk, home, _anchor in people if home is not None]
    target: int | str = stored if stored is not None else homes[0] if homes else facts.uid
    if not joining:
        return None, target
    if isinstance(target, int):
        return HouseholdJoin(joining, household=target), target
    values = facts.values if target == facts.uid else {}  # else: made for an earlier group
    return HouseholdJoin(joining, uid=target, values=values), target


def _households_batch(actor: User | None, groups: list[list[Member]], batch: ImportBatch) -> None:
    """Bring together the people of each group (the cards of one household's UID)."""
    homes: dict[int, int | str | None] = dict(
        Person.objects.filter(pk__in={m.person for group in groups for m in group}).values_list(
            "id", "household_id"
        )
    )
    uids = {group[0].household.uid for group in groups}
    stored = dict(Household.objects.filter(uid__in=uids).values_list("uid", "id"))
    joins: list[HouseholdJoin] = []
    for group in groups:
        anchors: dict[int, bool] = {}
        for m in group:  # a person with a card of their own in the file is no anchor
            anchors[m.person] = anchors.get(m.person, True) and m.anchor
        found = [(pk, homes[pk], anchor) for pk, anchor in anchors.items() if pk in homes]
        facts = group[0].household
        join, target = _join(found, facts, stored.get(facts.uid))
        if join is not None:
            joins.append(join)
            homes.update(dict.fromkeys(join.people, target))  # a later group sees them moved
    if joins:
        household_bulk_join(actor=actor, joins=joins, audit_target=batch)


def households_write(*, actor: User | None, members: list[Member], batch: ImportBatch) -> None:
    """Bring together the people of the cards that share a household's UID."""
    groups: dict[str, list[Member]] = {}
    for member in members:
        if member.person > 0:
            groups.setdefault(member.household.uid, []).append(member)
    items = list(groups.values())
    for start in range(0, len(items), BATCH):
        _households_batch(actor, items[start : start + BATCH], batch)
