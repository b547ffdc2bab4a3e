"""An interest's own note from goodwill's vCard (``X-GOODWILL-NOTE;X-GOODWILL-INTEREST=…``),
written with the interest when the import adds it: to a person it creates (the interest is then
added through the interests service, with its note, instead of in bulk) or to one it updates.
An interest the person has already keeps its note, as a date they have keeps its own: importing
the file again changes nothing. An interest without a note of its own is noted with its import.
"""

from __future__ import annotations

from dataclasses import replace

from goodwill.accounts.models import User
from goodwill.exchange.importer.rows import ImportRow
from goodwill.people.models import FactSource, Person, PersonInterest
from goodwill.people.normalize import interest_key
from goodwill.people.services.bulk import PersonRow
from goodwill.people.services.interests import person_interest_add


def noted(row: ImportRow) -> dict[str, str]:
    """The notes the row's card gives its interests, by interest key (most give none)."""
    extras = row.extras
    return extras.interest_notes if extras is not None else {}


def without_noted(person: PersonRow, notes: dict[str, str]) -> PersonRow:
    """``person`` without the interests that have a note of their own (``noted_add`` adds
    them)."""
    if not notes:
        return person
    return replace(
        person,
        interests=[name for name in person.interests if interest_key(name) not in notes],
        dislikes=[name for name in person.dislikes if interest_key(name) not in notes],
    )


def noted_add(actor: User | None, people: list[tuple[int, ImportRow]]) -> None:
    """Add to each new person (id, row) the interests their card gives a note, with it."""
    persons = Person.objects.in_bulk([pk for pk, _row in people])
    likes, dislikes = PersonInterest.Attitude.LIKES, PersonInterest.Attitude.DISLIKES
    for pk, row in people:
        notes = noted(row)
        named = [(name, likes) for name in row.interests]
        named += [(name, dislikes) for name in row.dislikes]
        for name, attitude in named:
            if note := notes.get(interest_key(name)):
                person_interest_add(
                    actor=actor,
                    person=persons[pk],
                    name=name,
                    attitude=attitude,
                    source=FactSource.IMPORTED,
                    note=note,
                )
