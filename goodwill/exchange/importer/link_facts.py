"""Write what goodwill's cards say about the ties and households they link, once the whole file
is read and its ties are made (``couples.links_write``), through the people services.

A tie's since-date and notes fill the relationship's when it has none: a relationship is both
people's, and a value it has already stays whatever the dedupe choice (a new tie has none, so
an export comes back whole, and importing it again changes nothing). The people of the cards
that share a household's UID live together: those in no household yet join the household one
of them lives in already (the first in the file's order), else one household made once with
the file's name, address and notes. A person in a household already is never moved, and the
people of cards skipped as someone stored (dedupe "skip") join nothing, but the household they
live in is the one the others join.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from goodwill.accounts.models import User
from goodwill.exchange.importer.card_extras import HouseholdFacts, TieFacts
from goodwill.exchange.importer.couples import Key, Tie
from goodwill.people.models import Household, Person, Relationship
from goodwill.people.services.households import household_add_member, household_create
from goodwill.people.services.relationships import relationship_update

BATCH = 500  # relationships or households looked up at a time


@dataclass(frozen=True, slots=True)
class Member:
    """A card's person (``person``) and the household the card gives; ``anchor``: a card
    skipped as someone stored, whose household others join but who joins none."""

    person: int
    household: HouseholdFacts
    anchor: bool = False


def _relationships(keys: list[Key]) -> dict[Key, Relationship]:
    """The stored relationships of these keys (no custom label), by key."""
    people = {pk for key in keys for pk in key[:2]}
    rows = Relationship.objects.filter(
        from_person_id__in=people,
        to_person_id__in=people,
        kind__in={key[2] for key in keys},
        custom_label="",
    )
    return {(r.from_person_id, r.to_person_id, r.kind): r for r in rows}


def tie_facts_write(*, actor: User | None, ties: list[tuple[Tie, TieFacts]]) -> None:
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
        batch = keys[start : start + BATCH]
        for key, relationship in _relationships(batch).items():
            fill_since = relationship.since is None and key in since
            fill_notes = not relationship.notes and key in notes
            if fill_since or fill_notes:
                relationship_update(
                    actor=actor,
                    relationship=relationship,
                    since=since[key].since if fill_since else ...,
                    notes=notes[key].notes if fill_notes else None,
                )


def _join(actor: User | None, people: list[tuple[Person, bool]], facts: HouseholdFacts) -> None:
    """Those of ``people`` (person, anchor) in no household join the first one's who is in one,
    else a household made with ``facts``."""
    homes = [p.household_id for p, _anchor in people if p.household_id is not None]
    joining = [p for p, anchor in people if p.household_id is None and not anchor]
    if not joining:
        return
    with transaction.atomic():
        if homes:
            household = Household.objects.get(pk=homes[0])
        else:
            household = household_create(actor=actor, **facts.values)
        for person in joining:
            household_add_member(actor=actor, household=household, person=person)


def households_write(*, actor: User | None, members: list[Member]) -> None:
    """Bring together the people of the cards that share a household's UID."""
    groups: dict[str, list[Member]] = {}
    for member in members:
        if member.person > 0:
            groups.setdefault(member.household.uid, []).append(member)
    items = list(groups.values())
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        people = Person.objects.in_bulk({m.person for group in batch for m in group})
        for group in batch:
            anchors: dict[int, bool] = {}
            for m in group:  # a person with a card of their own in the file is no anchor
                anchors[m.person] = anchors.get(m.person, True) and m.anchor
            found = [(people[pk], anchor) for pk, anchor in anchors.items() if pk in people]
            _join(actor, found, group[0].household)
