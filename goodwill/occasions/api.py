"""Occasion endpoints (a person's, couple's or household's yearly dates, with the memory of what we
did each year) and the agenda of a day."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, ListPage, idempotent, limit_query, page_out
from goodwill.core.errors import Invalid
from goodwill.occasions.api_schemas import (
    AgendaEntryOut,
    AgendaOut,
    OccasionCreateIn,
    OccasionCreateOut,
    OccasionDoneIn,
    OccasionDoneOut,
    OccasionGetOut,
    OccasionHistoryOut,
    OccasionListOut,
    OccasionOut,
    OccasionTouchCreateIn,
    OccasionTouchCreateOut,
    OccasionTouchUpdateIn,
    OccasionTouchUpdateOut,
    OccasionUpdateIn,
    OccasionUpdateOut,
    TouchOut,
)
from goodwill.occasions.models import Occasion, OccasionSettings
from goodwill.occasions.selectors.agenda import (
    AgendaEntry,
    agenda,
    occasion_next_date,
    occasion_turning,
)
from goodwill.occasions.selectors.occasions import (
    occasion_get,
    occasion_history,
    occasion_list,
    occasion_touch_get,
)
from goodwill.occasions.selectors.settings import business_today, occasion_settings
from goodwill.occasions.services.memory import (
    occasion_mark_done,
    occasion_mark_undone,
    occasion_offer_outcome,
    occasion_touch_log,
)
from goodwill.occasions.services.occasions import (
    occasion_create,
    occasion_delete,
    occasion_update,
)
from goodwill.people.selectors import (
    household_get_for_user,
    person_get_for_user,
    relationship_get_for_user,
)

occasions_router = Router(tags=["occasions"])
agenda_router = Router(tags=["agenda"])

OWNER_FIELDS = {
    "person": "person_id",
    "relationship": "relationship_id",
    "household": "household_id",
}
NULLABLE = {"year", "lead_days"}


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def _out(schema: type[OccasionOut], occasion: Occasion, conf: OccasionSettings) -> OccasionOut:
    """An occasion with its next date and turning, as of the business's today."""
    next_date = occasion_next_date(occasion, on_or_after=business_today(), rule=conf.feb29_rule)
    turning, turning_label = occasion_turning(occasion, next_date)
    lead = occasion.lead_days
    data = {f: getattr(occasion, f) for f in OccasionOut.model_fields if hasattr(occasion, f)}
    data |= {
        "title": occasion.title,
        "date": occasion.date_label,
        "effective_lead_days": lead if lead is not None else conf.lead_for(occasion.kind),
        "next_date": next_date,
        "turning": turning,
        "turning_label": turning_label,
    }
    return schema.model_validate(data)


def _api_fields(exc: Invalid) -> Invalid:
    """The service names an owner (``person``); the API's input names its id (``person_id``)."""
    fields = {OWNER_FIELDS.get(name, name): messages for name, messages in exc.fields.items()}
    if fields == exc.fields:
        return exc
    name, messages = next(iter(fields.items()))
    return Invalid(f"{name}: {messages[0]}", fields=fields)


def _owners(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The one person, couple or household named by id (404 when unknown)."""
    ids = {name: data.pop(f"{name}_id") for name in OWNER_FIELDS}
    if sum(v is not None for v in ids.values()) != 1:
        raise Invalid.field(
            "person_id", _("Give exactly one of person_id, relationship_id or household_id.")
        )
    user = actor(request)
    if ids["person"] is not None:
        return {"person": person_get_for_user(user=user, person_id=ids["person"])}
    if ids["relationship"] is not None:
        rel = relationship_get_for_user(user=user, relationship_id=ids["relationship"])
        return {"relationship": rel}
    return {"household": household_get_for_user(user=user, household_id=ids["household"])}


@occasions_router.get(
    "",
    response={200: OccasionListOut, **ERRORS},
    operation_id="occasion_list",
    url_name="occasion_list",
)
def list_occasions(
    request: HttpRequest,
    person_id: int | None = None,
    relationship_id: int | None = None,
    household_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> OccasionListOut:
    """Occasions in calendar order; filter by one person, couple or household."""
    page = occasion_list(
        user=actor(request),
        person_id=person_id,
        relationship_id=relationship_id,
        household_id=household_id,
        cursor=cursor,
        limit=limit,
    )
    conf = occasion_settings()
    items = [_out(OccasionOut, o, conf) for o in page.items]
    return page_out(OccasionListOut, ListPage(items, page.next_cursor))


@occasions_router.post(
    "",
    response={201: OccasionCreateOut, **ERRORS},
    operation_id="occasion_create",
    url_name="occasion_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_occasion(request: HttpRequest, payload: OccasionCreateIn) -> Status[OccasionOut]:
    """Add a birthday (a person), a wedding anniversary (a couple), an anniversary or a custom
    date (a person, couple or household)."""
    data = payload.model_dump()
    owners = _owners(request, data)
    try:
        occasion = occasion_create(actor=actor(request), **owners, **data)
    except Invalid as exc:
        raise _api_fields(exc) from exc
    return Status(201, _out(OccasionCreateOut, occasion, occasion_settings()))


@occasions_router.get(
    "/{occasion_id}",
    response={200: OccasionGetOut, **ERRORS},
    operation_id="occasion_get",
    url_name="occasion_get",
)
def get_occasion(request: HttpRequest, occasion_id: int) -> OccasionOut:
    """One occasion, with its next date and the age or years then."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    return _out(OccasionGetOut, occasion, occasion_settings())


@occasions_router.patch(
    "/{occasion_id}",
    response={200: OccasionUpdateOut, **ERRORS},
    operation_id="occasion_update",
    url_name="occasion_update",
)
def update_occasion(
    request: HttpRequest, occasion_id: int, payload: OccasionUpdateIn
) -> OccasionOut:
    """Correct the date, label, lead time, source or note (null year or lead_days clears it)."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    changes = {
        k: v
        for k, v in payload.model_dump(exclude_unset=True).items()
        if v is not None or k in NULLABLE
    }
    occasion = occasion_update(actor=actor(request), occasion=occasion, **changes)
    return _out(OccasionUpdateOut, occasion, occasion_settings())


@occasions_router.delete(
    "/{occasion_id}",
    response={204: None, **ERRORS},
    operation_id="occasion_delete",
    url_name="occasion_delete",
)
def delete_occasion(request: HttpRequest, occasion_id: int) -> Status[None]:
    """Remove an occasion and its yearly memory (managers)."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    occasion_delete(actor=actor(request), occasion=occasion)
    return Status(204, None)


@occasions_router.get(
    "/{occasion_id}/history",
    response={200: OccasionHistoryOut, **ERRORS},
    operation_id="occasion_history",
    url_name="occasion_history",
)
def occasion_years(request: HttpRequest, occasion_id: int) -> OccasionHistoryOut:
    """What we did each year, newest first."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    return page_out(OccasionHistoryOut, ListPage(occasion_history(occasion=occasion), None))


@occasions_router.post(
    "/{occasion_id}/done",
    response={200: OccasionDoneOut, **ERRORS},
    operation_id="occasion_done",
    url_name="occasion_done",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def mark_done(request: HttpRequest, occasion_id: int, payload: OccasionDoneIn) -> OccasionDoneOut:
    """Mark the occasion congratulated for a year (again: no change)."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    record = occasion_mark_done(actor=actor(request), occasion=occasion, **payload.model_dump())
    return OccasionDoneOut.from_orm(record)


@occasions_router.delete(
    "/{occasion_id}/done/{year}",
    response={204: None, **ERRORS},
    operation_id="occasion_undone",
    url_name="occasion_undone",
)
def mark_undone(request: HttpRequest, occasion_id: int, year: int) -> Status[None]:
    """Take back the done mark of a year; what we did stays."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    occasion_mark_undone(actor=actor(request), occasion=occasion, year=year)
    return Status(204, None)


@occasions_router.post(
    "/{occasion_id}/touches",
    response={201: OccasionTouchCreateOut, **ERRORS},
    operation_id="occasion_touch_create",
    url_name="occasion_touch_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_touch(
    request: HttpRequest, occasion_id: int, payload: OccasionTouchCreateIn
) -> Status[TouchOut]:
    """Remember what we did (a couple gets one touch, logged on both timelines)."""
    occasion = occasion_get(user=actor(request), id=occasion_id)
    touch = occasion_touch_log(actor=actor(request), occasion=occasion, **payload.model_dump())
    return Status(201, OccasionTouchCreateOut.from_orm(touch))


@occasions_router.patch(
    "/touches/{touch_id}",
    response={200: OccasionTouchUpdateOut, **ERRORS},
    operation_id="occasion_touch_update",
    url_name="occasion_touch_update",
)
def update_touch(request: HttpRequest, touch_id: int, payload: OccasionTouchUpdateIn) -> TouchOut:
    """Record whether an offer was used."""
    touch = occasion_touch_get(user=actor(request), id=touch_id)
    touch = occasion_offer_outcome(actor=actor(request), touch=touch, used=payload.offer_used)
    return OccasionTouchUpdateOut.from_orm(touch)


def _entry_out(entry: AgendaEntry) -> AgendaEntryOut:
    last = entry.last_year
    last_year = None
    if last is not None:
        touches = [
            {"kind": t.kind, "summary": t.summary, "offer_used": t.offer_used}
            for t in last.touches.all()
        ]
        last_year = {"year": last.year, "done": last.done_at is not None, "touches": touches}
    return AgendaEntryOut.model_validate(
        {
            "occasion_id": entry.occasion.pk,
            "kind": entry.occasion.kind,
            "title": entry.occasion.title,
            "date": entry.date,
            "days_until": entry.days_until,
            "turning": entry.turning,
            "turning_label": entry.turning_label,
            "people": [
                {"id": p.pk, "name": p.full_name, "call_name": p.call_name} for p in entry.people
            ],
            "call_names": entry.call_names,
            "done": entry.done,
            "last_year": last_year,
        }
    )


def _parse_date(value: str | None) -> dt.date:
    if not value:
        return business_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid.field("date", _("Give the date as YYYY-MM-DD.")) from exc


@agenda_router.get(
    "", response={200: AgendaOut, **ERRORS}, operation_id="agenda_get", url_name="agenda_get"
)
def get_agenda(
    request: HttpRequest,
    date: str | None = None,
    days: int | None = None,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> AgendaOut:
    """The agenda of a day (the business's today if left out): occasions within their lead time,
    or within ``days``, soonest first."""
    page = agenda(
        user=actor(request), date=_parse_date(date), days=days, cursor=cursor, limit=limit or 50
    )
    entries = [_entry_out(e) for e in page.entries]
    return AgendaOut(date=page.date, entries=entries, next_cursor=page.next_cursor)
