"""One import of a contacts file or a point-of-sale export: what was read, by whom, how it
ended, and its bad rows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """An import run (or dry run) of one file; the source every imported fact points back to.

    Every bad row and every value dropped from a row that was imported is an ``ImportProblem``
    of the batch; ``error_count`` and ``warning_count`` count them as the run goes. A batch
    uploaded from the web or the API is "draft" while its mapping is confirmed, then "pending"
    until a worker claims it (``lease_*``); ``stored_file`` is the upload under
    ``DATA_DIR/imports``, deleted once a real run ends.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("to confirm")
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        DRY_RUN = "dry-run", _("dry run")

    class Kind(models.TextChoices):
        PEOPLE = "people", _("people")
        PURCHASES = "purchases", _("purchases")

    class Dedupe(models.TextChoices):
        UPDATE_EMPTY = "update-empty", _("update empty fields only")
        OVERWRITE = "overwrite", _("overwrite")
        SKIP = "skip", _("skip")
        CREATE = "create", _("always create")

    # "people": a contacts file; "purchases": a point-of-sale export (``created`` counts
    # purchases, ``people_created`` the people it added, ``unchanged`` rows already imported,
    # ``skipped`` rows of nobody known).
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PEOPLE)
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    dry_run = models.BooleanField(default=False)
    dedupe = models.CharField(max_length=20, choices=Dedupe.choices, default=Dedupe.UPDATE_EMPTY)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    # Queued runs (web and API): the upload, the chosen options, progress and the worker's lease.
    stored_file = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # A dry run's real run: the batch queued from it, which took over its upload.
    real_run = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "id"], name="importbatch_state_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} (batch {self.pk})"

    @property
    def finished(self) -> bool:
        """Whether the run has ended (done, failed or a finished dry run)."""
        return self.state in (self.State.DONE, self.State.FAILED, self.State.DRY_RUN)

    @property
    def percent(self) -> int:
        """How far the run is, 0-100, from the rows read against the rows counted at start; a
        failed run stays where it stopped."""
        if self.state in (self.State.DONE, self.State.DRY_RUN):
            return 100
        if not self.total:
            return 0
        return min(99, self.rows * 100 // self.total)

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Every bad row (and possible duplicate left out) as ``{line, column, message}``, in
        the order the run listed them: for tests and small batches. Pages, the API and the CLI
        read them a page or a few thousand at a time (``importer/report.py``)."""
        errors = self.problems.filter(kind=ImportProblem.Kind.ERROR)
        return [p.as_dict() for p in errors.prefetch_related("traces")]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """Every value left out of an imported row, with whose row it was (``person_id``) or,
        where nobody was known, the row's ``traces``."""
        warnings = self.problems.filter(kind=ImportProblem.Kind.WARNING)
        return [p.as_dict() for p in warnings.prefetch_related("traces")]


class ImportProblem(models.Model):
    """One bad row of an import (kind "error": refused, or a possible duplicate left out) or one
    value left out of a row that was imported ("warning"), with its line, column and reason.

    A warning keeps whose row it was, so that erasing that person removes it and a merge moves
    it: ``person_id`` (a plain number, not a foreign key: an import saving its warnings never
    waits on a person an erasure or merge holds), or where nobody was known (a dry run creates
    nobody) the row's traces (``ImportProblemTrace``), which an erasure looks up.
    """

    class Kind(models.TextChoices):
        ERROR = "error", _("bad row")
        WARNING = "warning", _("value left out")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=255, blank=True)
    message = models.TextField()
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["batch", "kind", "id"], name="importproblem_batch_idx")]

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """``{line, column, message}``, and a warning's ``person_id`` or ``traces``."""
        shown: dict[str, Any] = {"line": self.line, "column": self.column, "message": self.message}
        traces = [t.hash for t in self.traces.all()]
        if self.person_id is not None:
            shown["person_id"] = self.person_id
        elif traces:
            shown["traces"] = traces
        return shown


class ImportProblemTrace(models.Model):
    """A short hash of a normalised address, E.164 phone or folded full name of the row an
    import warning is about, when nobody was known to own it (``importer/owners.py traces``):
    what an erasure of that person finds it by."""

    problem = models.ForeignKey(ImportProblem, on_delete=models.CASCADE, related_name="traces")
    hash = models.CharField(max_length=16, db_index=True)

    def __str__(self) -> str:
        return self.hash


class Suppression(models.Model):
    """An erased person's email address, kept only as a keyed hash so no import brings them back.

    ``email_hash`` is HMAC-SHA256, under the ``SuppressionKey``, of the normalised address.
    """

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=20, default="erasure")

    def __str__(self) -> str:
        return f"suppressed {self.email_hash[:12]}…"


class SuppressionKey(models.Model):
    """The secret the suppression list's hashes are keyed with: one row (id 1), kept in the
    database with the list, so a backup restored under another ``SECRET_KEY`` still knows
    every erased address. Written once, by the first erasure or by migration 0006 (which keeps
    the key the list was hashed with before: derived from ``SECRET_KEY``)."""

    key = models.CharField(max_length=64)  # 32 random bytes, as hex
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="suppressionkey_one_row"),
        ]

    def __str__(self) -> str:
        return "suppression key"


class DeferredIndex(models.Model):
    """An index a large import dropped while it writes, to build it again after its rows
    (SQLite; ``importer/deferred.py``). Listed in the transaction that drops it, so the indexes
    of an import that was killed are built again by the next import or ``migrate``."""

    name = models.CharField(max_length=200, unique=True)
    # What builds it again: its CREATE INDEX or CREATE TRIGGER statement as SQLite stored it, the
    # search index's catch-up, or dropping a partial index (``importer/deferred.py``).
    sql = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
