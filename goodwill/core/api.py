"""API plumbing shared by every app's router: bearer tokens, errors as JSON, idempotent POSTs and
cursor pages. The error hierarchy of ``goodwill.core.errors`` is mapped to JSON here, once."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.params import functions as param_functions
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict

from goodwill.core.errors import Conflict, GoodwillError, Invalid
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.core.services import idempotent_response_get, idempotent_response_record

JSON = "application/json; charset=utf-8"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
MAX_LIMIT = 200
S = TypeVar("S", bound=Schema)
T = TypeVar("T")


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer gw_…``: the request acts as the token's user, with their role.

    ``authenticate`` returns the active user behind a live token or None (then 401); it is passed
    in so that the shared kernel does not depend on the accounts app.
    """

    def __init__(self, authenticate: Callable[[str], Any | None]) -> None:
        super().__init__()
        self._authenticate = authenticate

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return self._authenticate(token)


# --- schemas ---------------------------------------------------------------------------------


class InSchema(Schema):
    """Base of every input schema: unknown fields are rejected (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetailOut(Schema):
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """Every error: ``{"error": {"message": …, "fields": {name: [messages]}}}``."""

    error: ErrorDetailOut


ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)

IDEMPOTENT: dict[str, Any] = {
    "parameters": [
        {
            "in": "header",
            "name": IDEMPOTENCY_HEADER,
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
            "description": "Send the same key again with the same body to get the first "
            "response back, without doing the work twice; the key with another body is a 409.",
        }
    ]
}


# --- errors ----------------------------------------------------------------------------------


def error_body(message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "fields": fields or {}}}


def _field_name(loc: Sequence[Any]) -> str:
    """The input field an error is about: ``("body", "payload", "emails", 0)`` -> ``emails``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["body"]
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    names = [p for p in parts if not p.isdigit()]
    return names[0] if names else "__all__"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "missing":
        return _("This field is required.")
    return str(error.get("msg", _("This value is not valid.")))


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_message(error))
    return fields


def _goodwill_error(request: HttpRequest, exc: GoodwillError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    fields = validation_fields(exc.errors)
    name, messages = next(iter(fields.items()))
    return api.create_response(request, error_body(f"{name}: {messages[0]}", fields), status=422)


def _authentication_error(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    message = _("Send a valid API token: Authorization: Bearer gw_…")
    response = api.create_response(request, error_body(message), status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body(exc.message), status=exc.status_code)


def _not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body(_("Not found.")), status=404)


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every expected failure as ``{"error": {"message", "fields"}}`` with its status."""
    api.add_exception_handler(GoodwillError, partial(_goodwill_error, api=api))
    api.add_exception_handler(ValidationError, partial(_validation_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(_authentication_error, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))


# --- idempotent POSTs ------------------------------------------------------------------------


def _render(result: Any) -> HttpResponse:
    """The response ninja would build for a view's result (a schema, or Status(code, schema))."""
    if isinstance(result, HttpResponse):
        return result
    status = 200
    if isinstance(result, Status):
        status, result = result.status_code, result.value
    data = result.model_dump() if isinstance(result, BaseModel) else result
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type=JSON)


def _multipart_hash(request: HttpRequest) -> str:
    """SHA-256 of a form upload's fields and files (its raw body is gone once it is parsed)."""
    digest = hashlib.sha256()
    for key in sorted(request.POST):
        digest.update(json.dumps([key, request.POST.getlist(key)]).encode())
    for key in sorted(request.FILES):
        for upload in request.FILES.getlist(key):
            digest.update(json.dumps([key, upload.name]).encode())
            for piece in upload.chunks():
                digest.update(piece)
            upload.seek(0)
    return digest.hexdigest()


def request_hash(request: HttpRequest) -> str:
    """SHA-256 of the request body; JSON is hashed in canonical form (key order, spacing)."""
    if request.content_type == "multipart/form-data":
        return _multipart_hash(request)
    raw = request.body
    with contextlib.suppress(ValueError):  # not JSON: the bytes as sent
        raw = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()


def _reused(message: str) -> Conflict:
    return Conflict(message, fields={IDEMPOTENCY_HEADER: [_("Use a new key for a new request.")]})


def _replay(request: HttpRequest, user_id: int, key: str, digest: str) -> HttpResponse | None:
    stored = idempotent_response_get(user_id=user_id, key=key)
    if stored is None:
        return None
    if (stored.method, stored.path) != (request.method, request.path):
        raise _reused(_("This Idempotency-Key was already used for another request."))
    if stored.request_hash and stored.request_hash != digest:
        raise _reused(_("This Idempotency-Key was already used with another request body."))
    response = HttpResponse(stored.body, status=stored.status, content_type=JSON)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a POST carry ``Idempotency-Key``: the first successful response for the same user and
    key is stored in the transaction that did the work, and replayed for every repeat with the
    same method, path and body (another request reusing the key is a 409)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key:
            return view(request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            message = _("At most %(n)d characters.") % {"n": MAX_KEY_LENGTH}
            raise Invalid.field(IDEMPOTENCY_HEADER, message)
        user_id = int(request.auth.pk)  # type: ignore[attr-defined]
        digest = request_hash(request)
        replay = _replay(request, user_id, key, digest)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                response = _render(view(request, *args, **kwargs))
                if 200 <= response.status_code < 300:
                    idempotent_response_record(
                        user_id=user_id,
                        key=key,
                        method=request.method or "POST",
                        path=request.path,
                        request_hash=digest,
                        status=response.status_code,
                        body=response.content.decode(),
                    )
        except IntegrityError:
            # A concurrent request with the same key won; our work was rolled back.
            replay = _replay(request, user_id, key, digest)
            if replay is None:
                raise
            return replay
        return response

    return wrapper


# --- cursor pages ----------------------------------------------------------------------------


class PageLike(Protocol):
    @property
    def items(self) -> Sequence[Any]: ...

    @property
    def next_cursor(self) -> str | None: ...


def page_out(out: type[S], page: PageLike) -> S:
    """``{"items": [...], "next_cursor": ...}`` from a selector's keyset page."""
    return out.model_validate({"items": list(page.items), "next_cursor": page.next_cursor})


def limit_query() -> Any:
    """The ``limit`` query parameter of every list: 1 to 200 rows a page."""
    return param_functions.Query(None, ge=1, le=MAX_LIMIT, description="Rows a page (1-200).")


class ListPage:
    """A page cut from a short list that is already in memory (a person's interests)."""

    def __init__(self, items: list[Any], next_cursor: str | None) -> None:
        self.items = items
        self.next_cursor = next_cursor


def paginate_list(
    rows: Sequence[T], *, key: Callable[[T], list[Any]], cursor: str | None, limit: int | None
) -> ListPage:
    """Keyset-paginate ``rows`` (sorted by ``key``, unique): rows after the cursor's key."""
    size = max(1, min(MAX_LIMIT, limit or 50))
    types = tuple(type(v) for v in key(rows[0])) if rows else ()
    after = decode_cursor(cursor, types=types) if cursor and rows else None
    remaining = [r for r in rows if after is None or key(r) > after]
    page = remaining[:size]
    next_cursor = encode_cursor(key(page[-1])) if len(remaining) > size else None
    return ListPage(page, next_cursor)
