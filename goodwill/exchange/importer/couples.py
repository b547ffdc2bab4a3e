"""Write what the cards of a file said about each other (``links``): each relationship the
people do not have yet, through the people services, and each couple's wedding as the couple's
one occasion, through the occasions services.

A wedding date both spouses' cards carry is one occasion of their relationship, added when the
couple has none; a date that is not the couple's wedding (another day than the one they have,
or a card whose spouse the file does not hold or is not their spouse) is kept as the card's
person's anniversary with the file's label, unless they have that date already: nothing a file
says is lost, and importing a file again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from goodwill.accounts.models import User
from goodwill.core.errors import Conflict
from goodwill.exchange.importer.stored import stored_people
from goodwill.exchange.parse.records import YearlyDate
from goodwill.occasions.bulk import OccasionRow, occasion_bulk_create
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import FactSource, Person, Relationship
from goodwill.people.services.relationships import (
    REVERSED_KINDS,
    SYMMETRIC_KINDS,
    relationship_create,
)

BATCH = 500  # relationships looked up and made at a time
Pair = tuple[int, int]  # a couple's people, the lower id first
Key = tuple[int, int, str, str]  # a relationship as stored: from person, to person, kind, label


@dataclass(slots=True)
class Tie:
    """``person`` is the ``kind`` of ``other`` (as ``relationship_create`` takes it; a custom
    tie's ``label``: ``person`` is ``other``'s <label>)."""

    line: int
    person: int
    other: int
    kind: str
    label: str = ""

    def key(self) -> Key:
        """The one form the people services store it in (``relationships._normalise``)."""
        if self.kind in REVERSED_KINDS:
            return self.other, self.person, REVERSED_KINDS[self.kind], self.label
        if self.kind in SYMMETRIC_KINDS and self.other < self.person:
            return self.other, self.person, self.kind, self.label
        return self.person, self.other, self.kind, self.label


@dataclass(slots=True)
class CoupleDate:
    """A wedding date a card (now ``person``) shares with the spouse of UID ``uid`` (now
    ``partner``, None while not known or when the file has no such card)."""

    line: int
    person: int
    uid: str
    label: str
    date: YearlyDate
    note: str = ""  # its own note and lead time, when the file gives them
    lead_days: int | None = None
    partner: int | None = None

    def resolved(self, partner: int | None) -> CoupleDate:
        return replace(self, partner=partner)

    def pair(self) -> Pair | None:
        if not self.partner or self.partner == self.person or self.person < 0:
            return None
        return min(self.person, self.partner), max(self.person, self.partner)


def _stored(people: set[int], kinds: set[str]) -> dict[Key, int]:
    """The relationships among ``people`` of these kinds, by key."""
    rows = Relationship.objects.filter(
        from_person_id__in=people, to_person_id__in=people, kind__in=kinds
    ).values_list("from_person_id", "to_person_id", "kind", "custom_label", "id")
    return {(a, b, kind, label): pk for a, b, kind, label, pk in rows}


def _ties_write(actor: User | None, ties: list[Tie]) -> dict[Pair, int]:
    """Make the relationships the people do not have; returns the couples' (spouses')
    relationships among them, made or found."""
    wanted: dict[Key, Tie] = {}
    for tie in ties:
        wanted.setdefault(tie.key(), tie)
    items = list(wanted.items())
    couples: dict[Pair, int] = {}
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        ids = {pk for key, _tie in batch for pk in key[:2]}
        stored = _stored(ids, {key[2] for key, _tie in batch})
        people = Person.objects.in_bulk(ids)
        for key, tie in batch:
            pk = stored.get(key)
            if pk is None and tie.person in people and tie.other in people:
                person, other = people[tie.person], people[tie.other]
                try:
                    made = relationship_create(
                        actor=actor,
                        person=person,
                        other=other,
                        kind=tie.kind,
                        custom_label=tie.label,
                    )
                    pk = made.pk
                except Conflict:  # made meanwhile
                    pk = _stored({tie.person, tie.other}, {key[2]}).get(key)
            if pk is not None and key[2] == Relationship.Kind.SPOUSE:
                couples[key[0], key[1]] = pk
    return couples


def _same_day(known: YearlyDate, date: YearlyDate) -> bool:
    """The same date, unless both have a year and the years differ."""
    same_year = known.year is None or date.year is None or known.year == date.year
    return (known.month, known.day) == (date.month, date.day) and same_year


def _weddings(couples: set[int]) -> dict[int, YearlyDate]:
    """The couples' weddings, by relationship."""
    rows = Occasion.objects.filter(kind=Occasion.Kind.WEDDING, relationship_id__in=couples)
    return {
        rel: YearlyDate(month, day, year)
        for rel, month, day, year in rows.values_list("relationship_id", "month", "day", "year")
    }


def _dates_write(
    actor: User | None, dates: list[CoupleDate], couples: dict[Pair, int], detail: str
) -> None:
    """Each couple's wedding, and the dates that are none (``_personal_write``)."""
    pairs = {pair for d in dates if (pair := d.pair()) is not None}
    missing = pairs - couples.keys()
    if missing:  # a couple the file dates but does not link: their own relationship, if any
        people = {pk for pair in missing for pk in pair}
        spouses = _stored(people, {Relationship.Kind.SPOUSE})
        couples |= {(a, b): pk for (a, b, _k, _l), pk in spouses.items() if (a, b) in missing}
    wanted = {couples[pair] for pair in pairs if pair in couples}
    weddings: dict[int, YearlyDate] = {}
    relationships: dict[int, Relationship] = {}
    for start in range(0, len(wanted), BATCH * 10):
        some = set(sorted(wanted)[start : start + BATCH * 10])
        weddings |= _weddings(some)
        relationships |= Relationship.objects.in_bulk(some - weddings.keys())
    personal: list[CoupleDate] = []
    for d in dates:
        rel = couples.get(pair) if (pair := d.pair()) is not None else None
        known = weddings.get(rel) if rel is not None else None
        if rel is None or (known is not None and not _same_day(known, d.date)):
            personal.append(d)
        elif known is None:
            occasion_create(
                actor=actor,
                kind=Occasion.Kind.WEDDING,
                month=d.date.month,
                day=d.date.day,
                year=d.date.year,
                relationship=relationships[rel],
                source=FactSource.IMPORTED,
                note=d.note or detail,
                lead_days=d.lead_days,
            )
            weddings[rel] = d.date
    _personal_write(actor, personal, detail)


def _personal_write(actor: User | None, dates: list[CoupleDate], detail: str) -> None:
    """Dates that are no couple's wedding, as the card's person's anniversaries, unless they
    have the same one (a wedding of theirs counts: ``plan.stored_people``)."""
    people = stored_people({d.person for d in dates if d.person > 0})
    rows: list[OccasionRow] = []
    kind = Occasion.Kind.ANNIVERSARY
    for d in dates:
        stored, (month, day, year) = people.get(d.person), (d.date.month, d.date.day, d.date.year)
        if stored is None or stored.anniversaries.has(kind, d.label, month, day, year):
            continue
        stored.anniversaries.add(kind, d.label, month, day, year)
        rows.append(
            OccasionRow(
                kind,
                month,
                day,
                year,
                person_id=d.person,
                label=d.label,
                note=d.note or detail,
                lead_days=d.lead_days,
            )
        )
    if rows:
        occasion_bulk_create(actor=actor, rows=rows)


def links_write(
    *, actor: User | None, ties: list[Tie], dates: list[CoupleDate], detail: str
) -> None:
    """Write a file's ties and couple dates (``detail``: where they come from)."""
    couples = _ties_write(actor, ties)
    if dates:
        _dates_write(actor, dates, couples, detail)
