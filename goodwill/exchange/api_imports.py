"""REST API of imports: upload a contacts file to be imported by a worker, follow it, list them
(managers and owners)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, idempotent
from goodwill.core.errors import GoodwillError, Invalid
from goodwill.exchange.importer.forms import mapping_from_pairs
from goodwill.exchange.importer.report import (
    bad_rows_listed,
    duplicates_listed,
    problems_listed,
    report_lines,
)
from goodwill.exchange.models import ImportBatch, ImportProblem
from goodwill.exchange.selectors import import_batch_get_for_user, import_batch_list
from goodwill.exchange.services.imports import import_discard, import_queue, import_upload

imports_router = Router(tags=["imports"])
API_LISTED = 10_000  # of each kind in an import's answer; its report has them all
# The form fields ``POST /api/v1/imports`` reads: any other (a misspelt "dedup") is refused.
FORM_FIELDS = frozenset(
    {"kind", "format", "dedupe", "unmapped", "categories", "possible_duplicates", "day_first"}
    | {"dry_run", "create_people", "map"}
)


class RowProblemOut(Schema):
    line: int
    column: str
    message: str


class DuplicateRowOut(Schema):
    line: int
    message: str
    person_id: int | None = Field(
        description="The person of the same name the row may be (null: a row before it)"
    )


class ImportOut(Schema):
    """An import: its state, progress against the rows counted at start, counts, and the
    first 10,000 bad rows (``errors``) and values left out of imported rows (``warnings``);
    ``GET /api/v1/imports/{id}/report`` has every one of them."""

    id: int
    kind: str = Field(description="people (contacts) or purchases (a point-of-sale export)")
    file: str = Field(alias="file_name")
    format: str
    state: str = Field(description="draft, pending, running, done, failed or dry-run")
    dry_run: bool
    dedupe: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    total: int = Field(description="Rows counted before the run started (an estimate)")
    rows: int = Field(description="Rows read so far")
    percent: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    possible_duplicates: int = Field(alias="duplicates")
    people_created: int = Field(description="Purchases imports: the people created")
    error_count: int
    warning_count: int
    errors: list[RowProblemOut]
    duplicate_rows: list[DuplicateRowOut] = Field(
        description="Rows not imported as possible duplicates of a person (see "
        "possible_duplicates), apart from the bad rows"
    )
    warnings: list[RowProblemOut]
    message: str

    @staticmethod
    def resolve_errors(obj: ImportBatch) -> list[dict[str, Any]]:
        return bad_rows_listed(obj, API_LISTED)

    @staticmethod
    def resolve_duplicate_rows(obj: ImportBatch) -> list[dict[str, Any]]:
        return duplicates_listed(obj, API_LISTED)

    @staticmethod
    def resolve_warnings(obj: ImportBatch) -> list[dict[str, Any]]:
        return problems_listed(obj, ImportProblem.Kind.WARNING, API_LISTED)


class ImportListItemOut(Schema):
    id: int
    kind: str
    file: str = Field(alias="file_name")
    state: str
    dry_run: bool
    created_at: dt.datetime
    rows: int
    created: int
    updated: int
    error_count: int


class ImportListOut(Schema):
    items: list[ImportListItemOut]


IMPORT_DOC = (
    "Send the file as `multipart/form-data` (`file`), with optional form fields: `format` "
    "(`csv` or `vcard`; default: from the content), `dedupe` (`update-empty`, `overwrite`, "
    "`skip`, `create`: rows matched by email or phone), `possible_duplicates` (`skip`: list rows "
    "without email or phone whose full name is already here; `create`), `unmapped` (`ignore` "
    "or `notes`: CSV columns that map to nothing), "
    "`categories` (where vCard CATEGORIES and CSV Labels, Groups or Interests go: `interests`, "
    "`tags`, `notes` or `ignore`; a CSV column called Tags, and goodwill's own tags, are always "
    "tags), `day_first` (dates like 31/12/1980), "
    "`dry_run` (count and check, write nothing) and `map` (repeatable, `COLUMN=FIELD` or "
    "`COLUMN=FIELD:LABEL`, `COLUMN=ignore`). The file is checked at once (a file that cannot "
    "be read is a 422 naming it) and queued; a worker runs it. Answers 202 with the import; "
    "follow it with `GET /api/v1/imports/{id}`.\n\n"
    "`kind=purchases` imports a point-of-sale or booking CSV export instead: each row a "
    "purchase, stay, refund or inquiry of the person it names (email, phone, loyalty number, "
    "or a full name only one person has). Its options are `map` (fields `date`, `time`, "
    "`check_in`, `check_out`, `amount`, `currency`, `description`, `category`, `channel`, "
    "`kind`, `reference`, `email`, `phone`, `loyalty`, `given_name`, `family_name`, "
    "`full_name`, `ignore`), `day_first`, `dry_run` and `create_people` (create the person of a "
    "row nobody matches when it has a name). Then `created` counts purchases, `people_created` "
    "people, `unchanged` rows imported before and `skipped` rows of nobody known (listed in "
    "`errors`, column `customer`)."
)


@imports_router.post(
    "",
    response={202: ImportOut, **ERRORS},
    operation_id="import_create",
    url_name="import_create",
    description=IMPORT_DOC,
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[Literal["people", "purchases"]] = "people",
    format: Form[Literal["", "csv", "vcard"]] = "",  # noqa: A002 - the CLI's --format
    dedupe: Form[str] = ImportBatch.Dedupe.UPDATE_EMPTY,
    unmapped: Form[str] = "ignore",
    categories: Form[str] = "interests",
    possible_duplicates: Form[str] = "skip",
    day_first: Form[bool] = False,
    dry_run: Form[bool] = False,
    create_people: Form[bool] = False,
    map: Form[list[str]] = [],  # noqa: A002, B006 - ninja reads the repeated form field
) -> Status[ImportOut]:
    """Upload a contacts file or a point-of-sale export and queue its import (managers)."""
    actor: User = request.auth  # type: ignore[attr-defined]
    _refuse_unknown(request)
    options: dict[str, Any] = {
        "dedupe": dedupe,
        "unmapped": unmapped,
        "categories": categories,
        "possible_duplicates": possible_duplicates,
        "day_first": day_first,
        "mapping": mapping_from_pairs(map),
        "create_people": create_people,
    }
    batch = import_upload(
        actor=actor, name=file.name or "contacts", chunks=file.chunks(), format=format, kind=kind
    )
    try:
        batch = import_queue(actor=actor, batch=batch, options=options, dry_run=dry_run)
    except GoodwillError:
        import_discard(actor=actor, batch=batch)
        raise
    return Status(202, ImportOut.from_orm(batch))


def _refuse_unknown(request: HttpRequest) -> None:
    """A 422 naming the first form field or file the import does not read."""
    unknown = sorted((set(request.POST) - FORM_FIELDS) | (set(request.FILES) - {"file"}))
    if unknown:
        raise Invalid.field(unknown[0], _("Unknown field."))


@imports_router.get(
    "/{import_id}",
    response={200: ImportOut, **ERRORS},
    operation_id="import_get",
    url_name="import_get",
)
def get_import(request: HttpRequest, import_id: int) -> ImportBatch:
    """One import: state, progress, counts, bad rows and warnings (managers)."""
    return import_batch_get_for_user(user=request.auth, batch_id=import_id)  # type: ignore[attr-defined]


@imports_router.get(
    "/{import_id}/report",
    response={200: None, **ERRORS},
    operation_id="import_report",
    url_name="import_report",
    description="Every bad row and value left out, as CSV: `line,column,message,kind` (kind "
    "`error` or `warning`); cells that start like a formula are prefixed with `'`.",
)
def get_import_report(request: HttpRequest, import_id: int) -> StreamingHttpResponse:
    """The import's report as a CSV download (managers)."""
    batch = import_batch_get_for_user(user=request.auth, batch_id=import_id)  # type: ignore[attr-defined]
    response = StreamingHttpResponse(report_lines(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.csv"'
    return response


@imports_router.get(
    "",
    response={200: ImportListOut, **ERRORS},
    operation_id="import_list",
    url_name="import_list",
)
def list_imports(request: HttpRequest, limit: int = 50) -> dict[str, Any]:
    """The latest imports, newest first (managers)."""
    size = max(1, min(limit, 200))
    return {"items": import_batch_list(user=request.auth, limit=size)}  # type: ignore[attr-defined]
