"""Start an export of people: check who asks, record it in the audit log, hand back the stream."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.core.errors import Invalid, one_of
from goodwill.exchange.export.csv import csv_stream
from goodwill.exchange.export.json import json_stream
from goodwill.exchange.export.parallel import can_fork, parallel_pieces
from goodwill.exchange.export.selectors import Chunk, ExportFilters, export_chunks, export_require
from goodwill.exchange.export.vcard import vcard_stream
from goodwill.people import list_filters
from goodwill.people.models import Person, PersonRole
from goodwill.people.selectors import organisation_get_for_user

# format: (content type, file extension)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "vcard": ("text/vcard; charset=utf-8", "vcf"),
    "json": ("application/json; charset=utf-8", "json"),
}
EXTENSIONS = {ext: name for name, (_type, ext) in FORMATS.items()}
MAX_TEXT = 100  # characters of a text filter (the people list's search box holds as many)


@dataclass
class ExportFile:
    """An export under way: its name and type, and its text in pieces (read once, lazily).

    ``count`` is how many people have been written so far.
    """

    format: str
    filename: str
    content_type: str
    pieces: Iterator[str] = field(default_factory=lambda: iter(()))
    count: int = 0

    def _counted(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        for chunk in chunks:
            self.count += len(chunk.people)
            yield chunk

    def _add(self, count: int) -> None:
        self.count += count


def export_filters_check(*, actor: User | None, filters: ExportFilters) -> None:
    """Refuse filters the people list would refuse, before anything is read or audited: an
    unknown role or journey stage (or a text filter too long) is Invalid on its name, and an
    organisation that does not exist (for ``actor``) is NotFound, as on the export page."""
    for name in ("q", "interest", "tag"):
        if len(getattr(filters, name)) > MAX_TEXT:
            message = _("Give at most %(count)d characters.") % {"count": MAX_TEXT}
            raise Invalid.field(name, message)
    if filters.role:
        one_of("role", filters.role, list(PersonRole.Role.values))
    list_filters.conditions({"stage": filters.stage, "tag": filters.tag})
    if filters.organisation_id is not None:
        organisation_get_for_user(user=actor, organisation_id=filters.organisation_id)


def people_export(
    *,
    actor: User | None,
    format: str,
    filters: ExportFilters,
    bom: bool = False,
    jobs: int = 1,
) -> ExportFile:
    """Managers and owners only, checked before anything is read, as are the filters
    (``export_filters_check``); the export is audited.

    ``jobs`` above 1 renders the whole list in that many worker processes where they can see
    the same data (``export/parallel.py``); anything else is rendered here, with the same text.
    """
    export_require(actor)
    if format not in FORMATS:
        raise Invalid.field("format", _("Choose csv, vcard or json."))
    export_filters_check(actor=actor, filters=filters)
    content_type, ext = FORMATS[format]
    stamp = timezone.localdate().isoformat()
    export = ExportFile(format, f"people-{stamp}.{ext}", content_type)
    if jobs > 1 and filters.whole_list and can_fork():
        export.pieces = parallel_pieces(
            format, archived=filters.archived, jobs=jobs, bom=bom, counted=export._add
        )
    else:
        chunks = export._counted(export_chunks(actor=actor, filters=filters, full=format != "csv"))
        if format == "csv":
            export.pieces = csv_stream(chunks, bom=bom)
        elif format == "vcard":
            export.pieces = vcard_stream(chunks)
        else:
            export.pieces = json_stream(chunks)
    audit_record(
        actor=actor,
        action="person.export",
        target=Person(),
        changes={"format": format, "filters": filters.as_dict()},
    )
    return export
