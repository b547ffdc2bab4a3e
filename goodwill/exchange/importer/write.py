"""Write one planned chunk: new people in bulk, matched people through the people services
(what a row adds to them: ``changes``), birthdays and anniversaries as occasions, the chunk's
tags in bulk (``person_tag_bulk_add``), and one ``import.chunk`` audit entry naming the batch.
An interest with a note of its own in goodwill's vCard is written with it (``interest_notes``:
for the new people, in bulk).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.core.errors import Invalid
from goodwill.exchange.importer.changes import (
    Changes,
    changes_for,
    changes_stored,
    day_text,
    occasion_rows,
)
from goodwill.exchange.importer.interest_notes import noted, notes_write
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import Day, Stored, stored_people
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse.records import RowError
from goodwill.occasions.bulk import occasion_bulk_create
from goodwill.occasions.models import Occasion
from goodwill.occasions.services.occasions import occasion_update
from goodwill.people.models import FactSource, Organisation, Person, PersonInterest
from goodwill.people.normalize import fold, interest_key
from goodwill.people.services.bulk import PersonRow, person_bulk_create
from goodwill.people.services.interests import person_interest_add
from goodwill.people.services.organisations import membership_set, organisation_create
from goodwill.people.services.persons import person_update
from goodwill.people.services.tags import person_tag_bulk_add


def source_detail(batch: ImportBatch) -> str:
    """Where imported facts come from, as their person's page says it: "guests.csv, import 12"."""
    return _("%(file)s, import %(id)s") % {"file": batch.file_name, "id": batch.pk}


def person_row(row: ImportRow, detail: str = "") -> PersonRow:
    organisations = [row.organisation] if row.organisation else []
    titles: list[str] = []
    if row.more_organisations:  # rare: most rows have one organisation at most
        organisations = [name for name, _title in row.memberships()]
        titles = [title for _name, title in row.memberships()]
    return PersonRow(
        **row.values,
        notes=row.notes,
        emails=row.emails,
        phones=row.phones,
        organisations=organisations,
        job_title=row.job_title,
        job_titles=titles,
        interests=row.interests,
        dislikes=row.dislikes,
        roles=row.roles,
        source=FactSource.IMPORTED,
        email_labels=row.email_labels,
        phone_labels=row.phone_labels,
        source_detail=detail,
    )


def _apply(
    actor: User | None, stored: Stored, row: ImportRow, changes: Changes, detail: str
) -> None:
    """Write ``changes`` to the stored person through the people services; each audit entry on
    the person names the batch (``detail``): the update's, the interests' notes, and one
    ``person.import`` entry for the organisation and dates, whose own entries do not."""
    person = Person.objects.get(pk=stored.pk)  # the whole person, for the services
    _note_import(actor, person, changes, detail)
    if changes.scalars or changes.emails or changes.phones or changes.roles:
        person_update(
            actor=actor,
            person=person,
            emails=stored.emails + changes.emails if changes.emails else None,
            phones=stored.phones + changes.phones if changes.phones else None,
            roles=stored.roles + changes.roles if changes.roles else None,
            labels={**row.email_labels, **row.phone_labels},
            via=detail,
            via_source=FactSource.IMPORTED,
            **changes.scalars,
        )
        changes_stored(stored, changes, {name: getattr(person, name) for name in changes.scalars})
    for name, title in changes.organisations:
        org = Organisation.objects.filter(name_key=fold(name)).order_by("id").first()
        org = org or organisation_create(actor=actor, name=name)
        membership_set(
            actor=actor,
            person=person,
            organisation=org,
            job_title=title,
            source=FactSource.IMPORTED,
            source_detail=detail,
        )
    notes = noted(row)  # an interest's own note, from goodwill's vCard
    for name in changes.interests:
        person_interest_add(
            actor=actor,
            person=person,
            name=name,
            source=FactSource.IMPORTED,
            note=notes.get(interest_key(name)) or detail,
        )
    for name in changes.dislikes:
        person_interest_add(
            actor=actor,
            person=person,
            name=name,
            attitude=PersonInterest.Attitude.DISLIKES,
            source=FactSource.IMPORTED,
            note=notes.get(interest_key(name)) or detail,
        )


def _birthday_update(actor: User | None, person_id: int, day: Day) -> None:
    """Correct the person's birthday to ``day`` (its year added, or overwritten): it now
    comes from the import. Called once the chunk's new occasions are stored: an earlier row of
    the same chunk may have given them that birthday."""
    birthday = Occasion.objects.filter(person_id=person_id, kind=Occasion.Kind.BIRTHDAY).first()
    if birthday is not None:
        month, d, year = day
        occasion_update(
            actor=actor,
            occasion=birthday,
            month=month,
            day=d,
            year=year,
            source=FactSource.IMPORTED,
        )


def _note_import(actor: User | None, person: Person, changes: Changes, detail: str) -> None:
    """One entry in the person's history for the organisation and dates an import adds (the
    membership's entry does not say where it came from; the dates' entry names no person)."""
    dates: dict[str, list[str]] = {}
    for o in changes.occasions:
        day = f"{o.month:02d}-{o.day:02d}"
        dates.setdefault(o.kind, []).append(
            " ".join(p for p in (f"{o.year:04d}-{day}" if o.year else f"--{day}", o.label) if p)
        )
    added: dict[str, list[str | None]]
    added = {kind: [None, ", ".join(days)] for kind, days in dates.items()}
    if changes.birthday:
        added["birthday"] = [None, day_text(changes.birthday)]
    if changes.organisations:
        names = ", ".join(name for name, _title in changes.organisations)
        added = {"organisation": [None, names], **added}
    if added:
        audit_record(
            actor=actor,
            action="person.import",
            target=person,
            person_id=person.pk,
            changes={"via": [None, detail], **added},
        )


@dataclass
class Written:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _write(
    actor: User | None,
    new: list[ImportRow],
    updates: list[tuple[Stored, ImportRow]],
    *,
    overwrite: bool,
    out: Written,
    detail: str,
    batch: ImportBatch,
) -> None:
    created: list[int] = []
    if new:
        rows = [person_row(r, detail) for r in new]
        # Checked: import_row cleaned them with the people services' own functions.
        person_bulk_create(
            actor=actor, rows=rows, batch_size=len(rows), created_ids=created, checked=True
        )
        if with_notes := [(pk, r) for pk, r in zip(created, new, strict=True) if noted(r)]:
            notes_write(actor=actor, batch=batch, people=with_notes)  # most files have none
    occasions = [
        o
        for pid, r in zip(created, new, strict=True)
        for o in occasion_rows(pid, r, None, note=detail)
    ]
    tags = [(pid, r.tags) for pid, r in zip(created, new, strict=True) if r.tags]
    updated: list[int] = []
    corrected: dict[int, Day] = {}  # person -> their birthday as the chunk corrects it
    unchanged = 0
    for stored, row in updates:
        changes = changes_for(stored, row, overwrite=overwrite)
        if not changes:
            unchanged += 1
            continue
        if changes.on_person():
            _apply(actor, stored, row, changes, detail)
            occasions += [replace(o, note=o.note or detail) for o in changes.occasions]
            if changes.birthday:
                corrected[stored.pk] = changes.birthday
        if changes.tags:
            tags.append((stored.pk, changes.tags))
        updated.append(stored.pk)
    if occasions:
        occasion_bulk_create(actor=actor, rows=occasions, batch_size=len(occasions))
    for person_id, day in corrected.items():
        _birthday_update(actor, person_id, day)
    if tags:  # most files have none: then no query for them
        person_tag_bulk_add(
            actor=actor, pairs=tags, source=FactSource.IMPORTED, source_detail=detail
        )
    out.created += created
    out.updated += updated
    out.unchanged += unchanged


def _audit(actor: User | None, batch: ImportBatch, out: Written) -> None:
    if out.created or out.updated:
        audit_record(
            actor=actor,
            action="import.chunk",
            target=batch,
            changes={
                "batch": batch.pk,
                "created": len(out.created),
                "updated": len(out.updated),
                "people": out.created,
                "updated_people": out.updated,
            },
        )


def write_chunk(
    *,
    actor: User | None,
    batch: ImportBatch,
    new: list[ImportRow],
    updates: list[tuple[Stored, ImportRow]],
    overwrite: bool,
) -> Written:
    """Write the chunk in one short transaction; if a row is refused there, write the chunk
    row by row so that only that row is reported and nothing of it is stored."""
    out = Written()
    detail = source_detail(batch)
    try:
        with transaction.atomic():
            _write(actor, new, updates, overwrite=overwrite, out=out, detail=detail, batch=batch)
            _audit(actor, batch, out)
        return out
    except (Invalid, IntegrityError):
        pass
    return _write_one_by_one(actor, batch, new, updates, overwrite=overwrite)


def _write_one_by_one(
    actor: User | None,
    batch: ImportBatch,
    new: list[ImportRow],
    updates: list[tuple[Stored, ImportRow]],
    *,
    overwrite: bool,
) -> Written:
    out = Written()
    # The failed attempt changed the matched people in memory: read them again.
    fresh = stored_people({s.pk for s, _row in updates})
    ops: list[tuple[list[ImportRow], list[tuple[Stored, ImportRow]], ImportRow]] = [
        ([r], [], r) for r in new
    ] + [([], [(fresh[s.pk], r)], r) for s, r in updates]
    detail = source_detail(batch)
    with transaction.atomic():
        for new_rows, update_rows, row in ops:
            try:
                with transaction.atomic():
                    _write(
                        actor,
                        new_rows,
                        update_rows,
                        overwrite=overwrite,
                        out=out,
                        detail=detail,
                        batch=batch,
                    )
            except (Invalid, IntegrityError) as exc:
                out.errors.append(_row_error(row, exc))
        _audit(actor, batch, out)
    return out


def _row_error(row: ImportRow, exc: Any) -> RowError:
    if isinstance(exc, Invalid):
        column = next(iter(exc.fields), "") if exc.fields else ""
        return RowError(row.line, column, exc.message)
    return RowError(row.line, "", str(exc))
