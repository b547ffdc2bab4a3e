"""Every bad row of an import and every value left out of a row it imported, each an
``ImportProblem`` of its batch: gathered while a chunk is read and written, stored with the
chunk's counts, moved by a merge and removed by an erasure along with whose row it was."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from goodwill.exchange.models import ImportBatch, ImportProblem, ImportProblemTrace
from goodwill.exchange.parse import RowError
from goodwill.people.models import Person

ERROR, WARNING = ImportProblem.Kind.ERROR, ImportProblem.Kind.WARNING
_COLUMN = ImportProblem._meta.get_field("column").max_length or 255


def _problem(batch: ImportBatch, kind: str, line: int, column: str, message: str) -> ImportProblem:
    return ImportProblem(
        batch=batch, kind=kind, line=line, column=(column or "")[:_COLUMN], message=message
    )


class Problems:
    """The problems a run found in the chunks since it last stored them (``save``)."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.new: list[ImportProblem] = []
        self.traces: dict[int, list[str]] = {}  # index in ``new`` -> its traces

    def errors(self, errors: Iterable[RowError]) -> None:
        """Refused rows: listed and counted (``error_count``)."""
        listed = [_problem(self.batch, ERROR, e.line, e.column, e.message) for e in errors]
        self.batch.error_count += len(listed)
        self.new += listed

    def listed(self, line: int, column: str, message: str, person_id: int | None = None) -> None:
        """A row not imported that is counted elsewhere (a possible duplicate left out, with
        the person it may be: ``person_id``, 0 for a row earlier in the file; a purchase of
        nobody known)."""
        problem = _problem(self.batch, ERROR, line, column, message)
        problem.person_id = person_id
        self.new.append(problem)

    def warnings(
        self, warnings: Iterable[RowError], owners: dict[int, dict[str, Any]] | None = None
    ) -> None:
        """Values left out of imported rows, counted (``warning_count``), each with whose row
        it was (``owners``: line -> ``person_id`` or ``traces``, and the traces of one warning
        in ``held``, see ``owners.row_owners``)."""
        for w in warnings:
            # Listed on the value's own line (``at``), kept with whose row it was (``line``).
            problem = _problem(self.batch, WARNING, w.at or w.line, w.column, w.message)
            owner = (owners or {}).get(w.line, {})
            problem.person_id = owner.get("person_id")
            found = [*owner.get("traces", []), *owner.get("held", {}).get(w, [])]
            if found:
                self.traces[len(self.new)] = found
            self.new.append(problem)
            self.batch.warning_count += 1

    def save(self, fields: Iterable[str]) -> None:
        """Store the new problems with the batch's ``fields`` (its counts), in one transaction
        that holds the batch row, so that an erasure or merge (``running_batches_lock``) runs
        before or after it. A warning about someone no longer there (erased meanwhile) is
        dropped: what their row held is not kept."""
        new, traces, self.new, self.traces = self.new, self.traces, [], {}
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().filter(pk=self.batch.pk)
            list(locked.values_list("pk", flat=True))
            ids = {p.person_id for p in new if p.person_id is not None}
            there = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
            kept = [p for p in new if not p.person_id or p.person_id in there]
            # Both databases return the new ids, which the traces point at.
            ImportProblem.objects.bulk_create(kept, batch_size=2000)
            ImportProblemTrace.objects.bulk_create(
                [
                    ImportProblemTrace(problem_id=new[i].pk, hash=trace)
                    for i, found in traces.items()
                    for trace in found
                ],
                batch_size=2000,
            )
            self.batch.save(update_fields=list(fields))


def running_batches_lock() -> None:
    """Hold running imports' batches until this transaction ends (an erasure's or merge's), so
    that a chunk's warnings are stored before it looks for them or after it is done (on SQLite,
    writing transactions take turns anyway)."""
    running = ImportBatch.objects.select_for_update().filter(state=ImportBatch.State.RUNNING)
    list(running.values_list("pk", flat=True))


def warnings_move(from_id: int, to_id: int) -> None:
    """Point the import warnings of a person merged away (``from_id``) at the one they were
    merged into, so that erasing that person removes them too (a merge's part)."""
    running_batches_lock()
    ImportProblem.objects.filter(person_id=from_id).update(person_id=to_id)


def warnings_erase(person_id: int, hashes: set[str]) -> int:
    """Delete, from every import, the warnings of rows that became or updated the person and
    of rows whose person was unknown (a dry run's) that held one of their addresses, phones or
    their name (a trace among ``hashes``); the batches' counts stay. Returns how many. Both
    lookups use an index: an erasure never reads every import's warnings."""
    traced = ImportProblemTrace.objects.filter(hash__in=sorted(hashes)).values("problem_id")
    # A row not imported as a possible duplicate of them names them too (any kind).
    theirs = ImportProblem.objects.filter(Q(person_id=person_id) | Q(pk__in=traced, kind=WARNING))
    _total, by_model = theirs.delete()
    return by_model.get(ImportProblem._meta.label, 0)
