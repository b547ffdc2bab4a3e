"""Connections: who shares a *specific* interest with a person (storm chasing beats the weather).

An interest's weight is its inverse frequency, ln((N + 1) / (n + 1)), where n is how many people
like it and N approximates how many people there are; shared interests' weights are summed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max

from goodwill.people.models import Interest, Person, PersonInterest, PersonRole

PER_INTEREST_SCAN = 200  # holders read per interest when looking beyond staff
SPECIFIC_INTERESTS = 8  # how many of the person's most specific interests to look through


@dataclass
class Shared:
    interest: Interest
    weight: float


@dataclass
class Connection:
    """Another person, the interests they share with this one, and the summed specificity."""

    person: Person
    shared: list[Shared]

    @property
    def score(self) -> float:
        return sum(s.weight for s in self.shared)


def interest_weight(people_count: int, population: int) -> float:
    return math.log((population + 1) / (people_count + 1))


def _population() -> int:
    return int(Person.objects.aggregate(m=Max("id"))["m"] or 0)


def _rank(holdings: dict[int, list[Interest]], population: int, limit: int) -> list[Connection]:
    """The ``limit`` best connections among ``holdings``: ranked on ids and names alone (up to
    ``SPECIFIC_INTERESTS`` × ``PER_INTEREST_SCAN`` of them), then only those shown are loaded."""
    ids = list(holdings)
    people: dict[int, Person] | None = None
    if len(ids) <= limit:  # all of them are shown: one query
        people = {p.pk: p for p in Person.objects.filter(pk__in=ids, archived_at=None)}
        keys = {pid: p.sort_key for pid, p in people.items()}
    else:
        keys = {}
        for start in range(0, len(ids), 900):  # SQLite's host parameters, with room to spare
            found = Person.objects.filter(pk__in=ids[start : start + 900], archived_at=None)
            keys.update(found.values_list("id", "sort_key"))
    shared = {
        pid: sorted(
            (Shared(i, interest_weight(i.people_count, population)) for i in interests),
            key=lambda s: -s.weight,
        )
        for pid, interests in holdings.items()
        if pid in keys
    }
    best = sorted(shared, key=lambda pid: (-sum(s.weight for s in shared[pid]), keys[pid], pid))
    if people is None:
        people = Person.objects.in_bulk(best[:limit])
    return [
        Connection(person=people[pid], shared=shared[pid]) for pid in best[:limit] if pid in people
    ]


def person_connections(*, person: Person, limit: int = 10) -> dict[str, list[Connection]]:
    """``staff``: staff sharing liked interests, most specific first; ``people``: everyone else."""
    liked = list(
        Interest.objects.filter(
            holders__person=person, holders__attitude=PersonInterest.Attitude.LIKES
        )
    )
    if not liked:
        return {"staff": [], "people": []}
    population = _population()
    by_id = {i.pk: i for i in liked}
    staff_ids = PersonRole.objects.filter(role=PersonRole.Role.STAFF).values("person_id")
    staff_rows = (
        PersonInterest.objects.filter(
            interest_id__in=list(by_id),
            attitude=PersonInterest.Attitude.LIKES,
            person_id__in=staff_ids,
        )
        .exclude(person=person)
        .values_list("person_id", "interest_id")
    )
    staff: dict[int, list[Interest]] = defaultdict(list)
    for pid, iid in staff_rows:
        staff[pid].append(by_id[iid])
    others: dict[int, list[Interest]] = defaultdict(list)
    for interest in sorted(liked, key=lambda i: i.people_count)[:SPECIFIC_INTERESTS]:
        holder_ids = (
            PersonInterest.objects.filter(interest=interest, attitude=PersonInterest.Attitude.LIKES)
            .exclude(person=person)
            .values_list("person_id", flat=True)[:PER_INTEREST_SCAN]
        )
        for pid in holder_ids:
            if pid not in staff:
                others[pid].append(interest)
    return {"staff": _rank(staff, population, limit), "people": _rank(others, population, limit)}
