"""Whose row is it: the person each row of a chunk became or updated (by line), so that the
values an import left out of a person's row are erased with them; where nobody is known (a dry
run creates nobody), hashes of the row's addresses, phones and name, which erasure matches
against the person's; and the rows of erased people, whose left-out values are never listed at
all."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from goodwill.exchange.importer.plan import Plan
from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import owners_of
from goodwill.exchange.importer.window import NONE, Window
from goodwill.exchange.importer.write import Written
from goodwill.exchange.suppression import suppressed_emails
from goodwill.people.models import PersonEmail, PersonPhone


def written_people(plan: Plan, written: Written) -> list[tuple[ImportRow, int]]:
    """Each row of the chunk's plan that was written, with the person it created or updated."""
    refused = {e.line for e in written.errors}
    made = [row for row in plan.new if row.line not in refused]
    # write_chunk returns the created ids in ``plan.new`` order, less the refused rows.
    people = list(zip(made, written.created, strict=True))
    return people + [(row, stored.pk) for stored, row in plan.updates]


def _sure_people(
    plan: Plan, written: Written, warned: list[ImportRow], *, dry_run: bool
) -> dict[int, int]:
    """line -> the person each row in ``warned`` surely is: the one it matched (updated or
    not), or the one it created."""
    people = {row.line: stored.pk for stored, row in plan.updates}
    if not dry_run:
        people.update((row.line, pk) for row, pk in written_people(plan, written))
    wanted = {row.line for row in warned}
    return {line: pk for line, pk in people.items() if line in wanted}


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
    """line -> what the warnings of each row in ``warned`` keep for erasure: the ``person_id``
    of the person it surely is (matched or created); else (a row merged into an earlier row of
    the file, skipped, or a dry run's) the person holding its email or phone, if any, and the
    row's ``traces`` (its addresses, readable or not, phones and name), so that erasing the
    one it really was finds it even where several people share an address. A warning about an
    address another person holds (``held``) also keeps its trace: erasing that person removes
    the warning that names it."""
    sure = _sure_people(plan, written, warned, dry_run=dry_run)
    guessed = _holders([row for row in warned if row.line not in sure], window)
    owners: dict[int, dict[str, Any]] = {line: {"person_id": pk} for line, pk in sure.items()}
    for row in warned:
        if row.line not in sure:
            owner: dict[str, Any] = {}
            if row.line in guessed:
                owner["person_id"] = guessed[row.line]
            if found := traces(emails=row.any_emails(), phones=row.phones, name_key=row.name_key):
                owner["traces"] = found
            owners[row.line] = owner
        if row.held_emails:  # another person's address: their erasure finds its warning too
            owners[row.line]["held"] = {
                warning: traces(emails=[email], phones=[], name_key="")
                for email, warning in row.held_emails.items()
            }
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
    erased = suppressed_emails({e for row in rows for e in row.any_emails()})
    return {row.line for row in rows if erased.intersection(row.any_emails())}
