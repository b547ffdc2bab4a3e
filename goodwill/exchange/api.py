"""REST API of exchange: export people as a streamed CSV, vCard or JSON file."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS
from goodwill.exchange.export.feedback_csv import feedback_export
from goodwill.exchange.export.selectors import ExportFilters
from goodwill.exchange.services.export import people_export

exports_router = Router(tags=["exports"])

EXPORT_DOC = (
    "Everyone (or the people list's filtered list: `q` is the ranked search, else `role`, "
    "`interest`, `organisation_id`, `stage`, `tag`; `archived` for the archived only, whom `q` "
    "searches by any part of name, email, phone or organisation; `include_archived` for "
    "everyone, archived people too) as one file, streamed in chunks with "
    "`Content-Disposition: attachment`. Managers and owners only. The filters are checked "
    "before anything is sent or audited: an unknown `role` or `stage`, or a `q`, `interest` or "
    "`tag` over 100 characters, is a 422 naming it; an `organisation_id` that does not exist "
    "is a 404.\n\n"
    "* `csv`: Google Contacts columns (First Name, Last Name, Nickname, Birthday as YYYY-MM-DD or "
    "--MM-DD, E-mail/Phone 1-3 Label and Value, Address 1, Organization, Notes, Labels as "
    "`x ::: y`) plus goodwill's own (Goodwill ID, Source, Roles, Interests, Dislikes); UTF-8, "
    "with a byte-order mark for Excel when `bom=true`. Every cell starting with `=`, `+`, `-`, "
    "`@`, a tab or a carriage return is prefixed with `'`, E.164 phones (`'+1902…`) and "
    "year-less birthdays (`'--04-12`) included, so spreadsheets never run it as a formula.\n"
    "* `vcard`: vCard 4.0, one card a person (FN, N, NICKNAME, EMAIL, TEL as `tel:` URI, ADR, "
    "ORG, TITLE, NOTE, CATEGORIES = liked interests, BDAY `--MMDD` without a year, ANNIVERSARY, "
    "stable UID, REV).\n"
    "* `json`: an array of objects with every fact: emails, phones, address, roles, "
    "organisations, interests and tags with their source, occasions with their note and "
    "`lead_days`, relationships (kind, other person, since, notes)."
)
FILE_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    "text/vcard": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
}


@exports_router.get(
    "/people",
    response={**ERRORS},
    operation_id="person_export",
    url_name="person_export",
    description=EXPORT_DOC,
    openapi_extra={"responses": {200: {"description": "The file.", "content": FILE_CONTENT}}},
)
def export_people(
    request: HttpRequest,
    format: Literal["csv", "vcard", "json"] = "csv",
    q: str = "",
    role: str = "",
    interest: str = "",
    organisation_id: int | None = None,
    archived: bool = False,
    include_archived: bool = False,
    stage: str = "",
    tag: str = "",
    bom: bool = False,
) -> StreamingHttpResponse:
    """Export people as a file (managers and owners)."""
    actor: User = request.auth  # type: ignore[attr-defined]
    filters = ExportFilters(
        q=q,
        role=role,
        interest=interest,
        organisation_id=organisation_id,
        archived=None if include_archived else archived,
        stage=stage,
        tag=tag,
    )
    export = people_export(actor=actor, format=format, filters=filters, bom=bom)
    response = StreamingHttpResponse(export.pieces, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@exports_router.get(
    "/feedback",
    response={**ERRORS},
    operation_id="feedback_export",
    url_name="feedback_export",
    openapi_extra={"responses": {200: {"description": "The CSV file.", "content": FILE_CONTENT}}},
)
def export_feedback(
    request: HttpRequest,
    status: str = "",
    category: str = "",
    sentiment: str = "",
    source: str = "",
    bom: bool = False,
) -> StreamingHttpResponse:
    """The feedback inbox as CSV, newest first, with its filters (managers and owners); every
    cell a spreadsheet would run as a formula starts with a `'`."""
    actor: User = request.auth  # type: ignore[attr-defined]
    chosen = {"status": status, "category": category, "sentiment": sentiment, "source": source}
    filters = {name: value or None for name, value in chosen.items()}
    filename, pieces = feedback_export(actor=actor, filters=filters, bom=bom)
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
