"""Write one planned chunk: new people in bulk, matched people through the people services,
birthdays and anniversaries as occasions, and one ``import.chunk`` audit entry naming the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.core.errors import Invalid
from goodwill.exchange.importer.known_dates import KnownDates
from goodwill.exchange.importer.plan import FIELDS, Stored, interest_keys, org_key, stored_people
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse.records import RowError
from goodwill.occasions.bulk import OccasionRow, occasion_bulk_create
from goodwill.occasions.models import Occasion
from goodwill.people.models import FactSource, Organisation, Person, PersonInterest
from goodwill.people.normalize import interest_key
from goodwill.people.services.bulk import PersonRow, person_bulk_create
from goodwill.people.services.interests import person_interest_add
from goodwill.people.services.organisations import membership_set, organisation_create
from goodwill.people.services.persons import person_update


@dataclass
class Changes:
    """What one row adds to a stored person."""

    scalars: dict[str, Any] = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    organisation: str = ""
    interests: list[str] = field(default_factory=list)
    occasions: list[OccasionRow] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    dislikes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.scalars
            or self.emails
            or self.phones
            or self.organisation
            or self.interests
            or self.occasions
            or self.roles
            or self.dislikes
        )


def source_detail(batch: ImportBatch) -> str:
    """Where imported facts come from, as their person's page says it: "guests.csv, import 12"."""
    return _("%(file)s, import %(id)s") % {"file": batch.file_name, "id": batch.pk}


def person_row(row: ImportRow, detail: str = "") -> PersonRow:
    return PersonRow(
        **row.values,
        notes=row.notes,
        emails=row.emails,
        phones=row.phones,
        organisations=[row.organisation] if row.organisation else [],
        job_title=row.job_title,
        interests=row.interests,
        dislikes=row.dislikes,
        roles=row.roles,
        source=FactSource.IMPORTED,
        email_labels=row.email_labels,
        phone_labels=row.phone_labels,
        source_detail=detail,
    )


def occasion_rows(
    person_id: int | None, row: ImportRow, stored: Stored | None, note: str = ""
) -> list[OccasionRow]:
    """The birthday, anniversaries and custom dates of ``row`` that ``stored`` does not have yet
    (nor the row itself: ``known_dates`` says when two are the same occasion), noted with
    ``note`` (where they come from)."""
    out: list[OccasionRow] = []
    if row.birthday and not (stored and stored.has_birthday):
        b = row.birthday
        out.append(
            OccasionRow(
                Occasion.Kind.BIRTHDAY, b.month, b.day, b.year, person_id=person_id, note=note
            )
        )
    if not row.anniversaries and not row.custom_dates:
        return out
    known = stored.anniversaries.copy() if stored else KnownDates()
    dated = [(Occasion.Kind.ANNIVERSARY, label, d) for label, d in row.anniversaries]
    dated += [(Occasion.Kind.CUSTOM, label, d) for label, d in row.custom_dates]
    for kind, label, d in dated:
        if known.has(kind, label, d.month, d.day, d.year):
            continue
        known.add(kind, label, d.month, d.day, d.year)
        out.append(
            OccasionRow(
                kind,
                d.month,
                d.day,
                d.year,
                person_id=person_id,
                label=label,
                note=note,
            )
        )
    return out


def changes_for(stored: Stored, row: ImportRow, *, overwrite: bool) -> Changes:
    """What ``row`` would change on ``stored`` (empty fields only, or ``overwrite``); applies the
    change to ``stored`` in memory so that a later row of the same person sees it."""
    changes = Changes()
    for name in FIELDS:
        if row.name_guessed and name in ("given_name", "family_name"):
            continue
        new = row.notes if name == "notes" else row.values[name]
        old = stored.values[name]
        if new and new != old and (overwrite or not old):
            changes.scalars[name] = new
    changes.emails = [e for e in row.emails if e not in stored.emails]
    changes.phones = [p for p in row.phones if p not in stored.phones]
    key = org_key(row)
    if key and key not in stored.org_keys and (overwrite or not stored.org_keys):
        changes.organisation = row.organisation
        stored.org_keys.add(key)
    for name, ikey in zip(row.interests, interest_keys(row), strict=True):
        if ikey not in stored.interest_keys:
            changes.interests.append(name)
            stored.interest_keys.add(ikey)
    for name in row.dislikes:  # a stored like or dislike of the same interest stays
        if (ikey := interest_key(name)) not in stored.interest_keys:
            changes.dislikes.append(name)
            stored.interest_keys.add(ikey)
    changes.roles = [r for r in row.roles if r not in stored.roles]
    changes.occasions = occasion_rows(stored.pk, row, stored)
    stored.has_birthday = stored.has_birthday or bool(row.birthday)
    for o in changes.occasions:  # what this row adds, for a later row of the same person
        if o.kind != Occasion.Kind.BIRTHDAY:
            stored.anniversaries.add(o.kind, o.label, o.month, o.day, o.year)
    return changes


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
        stored.values.update({name: getattr(person, name) for name in changes.scalars})
        stored.emails += changes.emails
        stored.phones += changes.phones
        stored.roles += changes.roles
    if changes.organisation:
        org = Organisation.objects.filter(name_key=org_key(row)).order_by("id").first()
        org = org or organisation_create(actor=actor, name=changes.organisation)
        membership_set(
            actor=actor,
            person=person,
            organisation=org,
            job_title=row.job_title,
            source=FactSource.IMPORTED,
            source_detail=detail,
        )
    for name in changes.interests:
        person_interest_add(
            actor=actor, person=person, name=name, source=FactSource.IMPORTED, note=detail
        )
    for name in changes.dislikes:
        person_interest_add(
            actor=actor,
            person=person,
            name=name,
            attitude=PersonInterest.Attitude.DISLIKES,
            source=FactSource.IMPORTED,
            note=detail,
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
    added = {kind: [None, ", ".join(days)] for kind, days in dates.items()}
    if changes.organisation:
        added = {"organisation": [None, changes.organisation], **added}
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
) -> None:
    created: list[int] = []
    if new:
        rows = [person_row(r, detail) for r in new]
        # Checked: import_row cleaned them with the people services' own functions.
        person_bulk_create(
            actor=actor, rows=rows, batch_size=len(rows), created_ids=created, checked=True
        )
    occasions = [
        o
        for pid, r in zip(created, new, strict=True)
        for o in occasion_rows(pid, r, None, note=detail)
    ]
    updated: list[int] = []
    unchanged = 0
    for stored, row in updates:
        changes = changes_for(stored, row, overwrite=overwrite)
        if not changes:
            unchanged += 1
            continue
        _apply(actor, stored, row, changes, detail)
        occasions += [replace(o, note=detail) for o in changes.occasions]
        updated.append(stored.pk)
    if occasions:
        occasion_bulk_create(actor=actor, rows=occasions, batch_size=len(occasions))
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
            _write(actor, new, updates, overwrite=overwrite, out=out, detail=detail)
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
                        actor, new_rows, update_rows, overwrite=overwrite, out=out, detail=detail
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
