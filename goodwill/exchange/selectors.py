"""Reads of imports: the batches a manager may see, and a CSV's columns for the mapping step."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import NotFound
from goodwill.exchange.models import ImportBatch
from goodwill.exchange.parse import ImportFileError, open_import
from goodwill.exchange.parse.csv_dialect import csv_rows
from goodwill.exchange.parse.csv_mapping import column_name
from goodwill.exchange.parse.csv_reader import read_header
from goodwill.exchange.pos.reader import pos_columns
from goodwill.exchange.services.imports import stored_path

SAMPLE_ROWS = 3
# The fields a CSV column can go to, as the mapping step offers them.
FIELD_CHOICES: list[tuple[str, Any]] = [
    ("", gettext_lazy("— not imported —")),
    ("given_name", gettext_lazy("Given name")),
    ("family_name", gettext_lazy("Family name")),
    ("additional_name", gettext_lazy("Middle name")),
    ("preferred_name", gettext_lazy("Preferred name / nickname")),
    ("full_name", gettext_lazy("Full name (split into given and family)")),
    ("email", gettext_lazy("Email")),
    ("email:work", gettext_lazy("Email (work)")),
    ("email:home", gettext_lazy("Email (home)")),
    ("phone", gettext_lazy("Phone")),
    ("phone:mobile", gettext_lazy("Phone (mobile)")),
    ("phone:work", gettext_lazy("Phone (work)")),
    ("phone:home", gettext_lazy("Phone (home)")),
    ("street", gettext_lazy("Street")),
    ("locality", gettext_lazy("City")),
    ("region", gettext_lazy("Region / state")),
    ("postal_code", gettext_lazy("Postal code")),
    ("country", gettext_lazy("Country")),
    ("formatted_address", gettext_lazy("Whole address in one cell (used when no part is given)")),
    ("organisation", gettext_lazy("Organisation")),
    ("job_title", gettext_lazy("Job title")),
    ("note", gettext_lazy("Notes")),
    ("categories", gettext_lazy("Categories / labels (as the option below says)")),
    ("tags", gettext_lazy("Tags")),
    ("dislikes", gettext_lazy("Dislikes")),
    ("roles", gettext_lazy("Roles (guest, staff, supplier, partner, lead)")),
    ("language", gettext_lazy("Language (fr, en-GB)")),
    ("time_zone", gettext_lazy("Time zone (Europe/Paris)")),
    ("birthday", gettext_lazy("Birthday")),
    ("anniversary", gettext_lazy("Anniversary")),
    ("birth_year", gettext_lazy("Birth year")),
    ("birth_month", gettext_lazy("Birth month")),
    ("birth_day", gettext_lazy("Birth day")),
    ("email_label", gettext_lazy("Label of the email beside it")),
    ("phone_label", gettext_lazy("Label of the phone beside it")),
    ("event", gettext_lazy("Date of an event (anniversary)")),
    ("event_label", gettext_lazy("Label of the event beside it")),
    ("event_kinds", gettext_lazy("Kinds of the events (goodwill's own export)")),
]


@dataclass(frozen=True)
class ColumnPreview:
    """One CSV column: its header, where it goes now ("field" or "field:label", "" for not
    imported) and its first values."""

    header: str
    target: str
    samples: list[str]


def import_batch_get_for_user(*, user: User | None, batch_id: int) -> ImportBatch:
    """One import (managers and owners); NotFound when there is none."""
    require_role(user, User.Role.MANAGER)
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("There is no import %(id)s.") % {"id": batch_id})
    return batch


def import_batch_list(*, user: User | None, limit: int = 50) -> list[ImportBatch]:
    """The latest imports, newest first (managers and owners)."""
    require_role(user, User.Role.MANAGER)
    return list(ImportBatch.objects.select_related("created_by")[:limit])


def import_columns(*, batch: ImportBatch) -> list[ColumnPreview]:
    """The kept CSV's columns with their automatic mapping and first values; [] for vCard
    files (their properties need no mapping) or a file no longer kept."""
    if batch.format != "csv" or not batch.stored_file:
        return []
    try:
        file = open_import(stored_path(batch), format="csv")
        kind = batch.kind
        targets = pos_columns(file) if kind == ImportBatch.Kind.PURCHASES else file.columns()
        with file.open_text() as stream:
            header, _delimiter, _line = read_header(stream)
            reader, _delimiter = csv_rows(stream)  # past Excel's "sep=" line, if any
            filled = (r for r in reader if "".join(r).strip())
            next(filled, None)  # the header row
            rows = list(islice(filled, SAMPLE_ROWS))
    except (ImportFileError, OSError, csv.Error):
        return []
    # A contacts file's blank header is "Column 4", as its import knows it.
    names = (
        header
        if kind == ImportBatch.Kind.PURCHASES
        else [column_name(header, i) for i in range(len(header))]
    )
    return [
        ColumnPreview(
            header=name,
            target=targets.get(name, targets.get(header[i], "")),
            samples=[row[i] for row in rows if i < len(row) and row[i].strip()],
        )
        for i, name in enumerate(names)
    ]
