"""The people every export test exports, made through the services like production data."""

from __future__ import annotations

from dataclasses import dataclass

from goodwill.exchange.export.selectors import ExportFilters
from goodwill.exchange.services.export import people_export
from goodwill.occasions.services.occasions import occasion_create
from goodwill.people.models import Person
from goodwill.people.services import (
    membership_set,
    organisation_create,
    person_archive,
    relationship_create,
)
from goodwill.people.tests.factories import give_interests, make_person


@dataclass
class World:
    ann: Person
    ben: Person
    cleo: Person
    dan: Person


def make_world() -> World:
    """Ann (two emails, two phones, a year-less birthday, interests, an organisation), Ben (born
    on 29 February, married to Ann), Cleo (a name full of formulas), Dan (archived)."""
    ann = make_person(
        given_name='Ann "Annie"',
        family_name="Harris, Jr.\nof Halifax",
        preferred_name="Annie",
        emails=["ann@example.com", "ann.harris@work.example"],
        phones=["+1 902 555 0101", "+1 902 555 0102"],
        roles=["guest", "staff"],
        street="12 Harbour Rd\nFlat 2",
        locality="Halifax",
        region="NS",
        postal_code="B3H 1A1",
        country="CA",
        notes="Prefers the sea view; allergic to nuts",
    )
    give_interests(ann, "Storm chasing", "Jazz")
    give_interests(ann, "Cilantro", attitude="dislikes")
    inn = organisation_create(actor=None, name="Harbour Inn")
    membership_set(actor=None, person=ann, organisation=inn, job_title="Night manager")
    occasion_create(actor=None, kind="birthday", month=4, day=12, person=ann)
    ben = make_person(given_name="Ben", family_name="Harris", emails=["ben@example.com"])
    occasion_create(actor=None, kind="birthday", year=1992, month=2, day=29, person=ben)
    couple = relationship_create(actor=None, person=ben, other=ann, kind="spouse")
    occasion_create(
        actor=None, kind="wedding_anniversary", year=2015, month=6, day=20, relationship=couple
    )
    cleo = make_person(
        given_name='=HYPERLINK("http://x")',
        family_name="@SUM(A1)",
        preferred_name="-2+3",
        notes="\tindented\r",
    )
    dan = make_person(given_name="Dan", family_name="Old")
    person_archive(actor=None, person=dan)
    return World(ann=ann, ben=ben, cleo=cleo, dan=dan)


def export_text(fmt: str, filters: ExportFilters | None = None, *, bom: bool = False) -> str:
    """The whole export as the command line operator gets it."""
    export = people_export(actor=None, format=fmt, filters=filters or ExportFilters(), bom=bom)
    return "".join(export.pieces)
