"""Whose row is it: the person each row of a chunk became or updated (by line), so that the
values an import left out of a person's row are erased with them; where nobody is known (a dry
run creates nobody), hashes of the row's addresses, phones and name, which erasure matches
against the person's; and the rows of erased people, whose left-out values are never listed at
all."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from goodwill.exchange.importer.plan import Plan, owners_of
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.window import NONE, Window
from goodwill.exchange.importer.write import Written
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.suppression import suppressed_emails
from goodwill.people.models import Person, PersonEmail, PersonPhone


def written_people(plan: Plan, written: Written) -> list[tuple[ImportRow, int]]:
    """Each row of the chunk's plan that was written, with the person it created or updated."""
    refused = {e.line for e in written.errors}
    made = [row for row in plan.new if row.line not in refused]
    # write_chunk returns the created ids in ``plan.new`` order, less the refused rows.
    people = list(zip(made, written.created, strict=True))
    return people + [(row, stored.pk) for stored, row in plan.updates]


def row_people(
    plan: Plan, written: Written, warned: list[ImportRow], *, dry_run: bool, window: Window = NONE
) -> dict[int, int]:
    """line -> person id for the rows in ``warned``: a matched person (updated or not), a
    person the row created, else (a row merged into an earlier row of the file, or skipped as
    someone already stored) whoever holds its email, else its phone."""
    people = {row.line: stored.pk for stored, row in plan.updates}
    if not dry_run:
        people.update((row.line, pk) for row, pk in written_people(plan, written))
    wanted = {row.line for row in warned}
    found = {line: pk for line, pk in people.items() if line in wanted}
    found.update(_holders([row for row in warned if row.line not in found], window))
    return found


def traces(*, emails: Iterable[str], phones: Iterable[str], name_key: str) -> list[str]:
    """Short hashes of normalised addresses, E.164 phones and a folded full name (``sort_key``,
    ``ImportRow.name_key``): what a warning of an unknown person's row keeps, and what the
    person's erasure looks for. Unkeyed: the warning next to them is plain text already."""
    keys = [f"e:{e}" for e in emails] + [f"p:{p}" for p in phones]
    keys += [f"n:{name_key}"] if name_key else []
    return list(dict.fromkeys(hashlib.sha256(k.encode()).hexdigest()[:16] for k in keys))


def row_owners(
    plan: Plan, written: Written, warned: list[ImportRow], *, dry_run: bool, window: Window = NONE
) -> dict[int, dict[str, Any]]:
    """line -> what the warnings of each row in ``warned`` keep for erasure: ``person_id``
    where ``row_people`` knows whose row it is, else the row's ``traces``."""
    owners: dict[int, dict[str, Any]] = {
        line: {"person_id": pk}
        for line, pk in row_people(plan, written, warned, dry_run=dry_run, window=window).items()
    }
    for row in warned:
        if row.line not in owners:
            found = traces(emails=row.emails, phones=row.phones, name_key=row.name_key)
            owners[row.line] = {"traces": found} if found else {}
    return owners


def _holders(rows: list[ImportRow], window: Window) -> dict[int, int]:
    """line -> the first holder of the row's first email held, else of its first phone."""
    by_email = owners_of(PersonEmail, "email", {e for row in rows for e in row.emails}, window)
    by_phone = owners_of(PersonPhone, "e164", {p for row in rows for p in row.phones}, window)
    found = {}
    for row in rows:
        holders = [by_email[e] for e in row.emails if e in by_email]
        holders += [by_phone[p] for p in row.phones if p in by_phone]
        if holders:
            found[row.line] = holders[0]
    return found


def erased_lines(rows: list[ImportRow]) -> set[int]:
    """The lines of ``rows`` that hold an erased person's email (the import skips them)."""
    erased = suppressed_emails({e for row in rows for e in row.emails})
    return {row.line for row in rows if erased & set(row.emails)}


def warned_batches(person_id: int, hashes: Iterable[str] = ()) -> QuerySet[ImportBatch]:
    """The batches whose warnings JSON names ``person_id`` or holds one of ``hashes`` (read as
    text: a superset, checked exactly by the caller)."""
    named = Q(text__regex=rf'"person_id":\s*{person_id}[^0-9]')
    for trace in sorted(hashes):
        named |= Q(text__contains=f'"{trace}"')
    return (
        ImportBatch.objects.annotate(text=Cast("warnings", TextField()))
        .filter(named)
        .only("pk", "warnings")
    )


def warnings_move(from_id: int, to_id: int) -> None:
    """Point the import warnings of a person merged away (``from_id``) at the one they were
    merged into, so that erasing that person removes them too (a merge's part)."""
    running_batches_lock()
    for batch in warned_batches(from_id):
        moved = [
            {**w, "person_id": to_id} if w.get("person_id") == from_id else w
            for w in batch.warnings
        ]
        if moved != batch.warnings:
            ImportBatch.objects.filter(pk=batch.pk).update(warnings=moved)


def warnings_save(batch: ImportBatch, fields: Iterable[str], stored: int) -> int:
    """Save ``fields`` of a running batch after a chunk; of its warnings, those past the
    ``stored`` first (what this run has saved) are new and are added to the list as stored now:
    an erasure or merge may have changed it since. A new warning about someone no longer there
    (erased meanwhile) is dropped. Returns how many warnings are stored."""
    new = batch.warnings[stored:]
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().filter(pk=batch.pk)
        current = locked.values_list("warnings", flat=True).get()
        ids = {w["person_id"] for w in new if "person_id" in w}
        there = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
        batch.warnings = current + [w for w in new if w.get("person_id", 0) in there | {0}]
        batch.save(update_fields=[*fields, "warnings"])
    return len(batch.warnings)


def running_batches_lock() -> None:
    """Hold running imports' batches until this transaction ends (an erasure's or merge's), so
    that a chunk's warnings are saved before it looks for them or after it is done (on SQLite,
    writing transactions take turns anyway)."""
    running = ImportBatch.objects.select_for_update().filter(state=ImportBatch.State.RUNNING)
    list(running.values_list("pk", flat=True))
