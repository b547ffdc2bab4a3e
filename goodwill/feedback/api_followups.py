"""“Did you ask them?” endpoints: the un-asked list, “I asked them”, and the follow-up rate.
Sending a survey by email is ``POST /api/v1/followups/{purchase_id}/survey`` (outreach)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent, limit_query, page_out
from goodwill.feedback.models import FollowUp
from goodwill.feedback.selectors.followups import (
    followup_purchase_get,
    followup_rates,
    followup_unasked,
)
from goodwill.feedback.services.followups import followup_mark_asked

followups_router = Router(tags=["followups"])


class UnaskedOut(Schema):
    """A purchase or stay nobody has asked about yet."""

    purchase_id: int = Field(alias="pk")
    person_id: int
    kind: str
    description: str
    category: str
    occurred_at: dt.datetime
    followup_due_at: dt.datetime


class UnaskedListOut(Schema):
    items: list[UnaskedOut]
    next_cursor: str | None


class FollowUpOut(Schema):
    id: int
    purchase_id: int
    person_id: int
    method: str
    asked_at: dt.datetime
    due_at: dt.datetime
    answer_id: int | None


class FollowUpAskedIn(InSchema):
    method: str = Field(description="in_person or phone")
    answer: str = Field("", description="What they said (becomes feedback in the inbox)")
    category: str = "other"
    sentiment: str = "neutral"


class RateOut(Schema):
    label: str
    due: int
    asked: int
    percent: int | None


class RatesOut(Schema):
    weeks: list[RateOut]
    staff: list[RateOut]


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


@followups_router.get("", response={200: UnaskedListOut, **ERRORS}, operation_id="followup_list")
def list_unasked(
    request: HttpRequest, cursor: str | None = None, limit: int | None = limit_query()
) -> UnaskedListOut:
    """Purchases and stays due for “how was it?” that nobody has asked about, newest due first."""
    page = followup_unasked(user=actor(request), cursor=cursor, limit=limit)
    return page_out(UnaskedListOut, page)


@followups_router.get("/rates", response={200: RatesOut, **ERRORS}, operation_id="followup_rates")
def rates(request: HttpRequest, weeks: int = 8) -> RatesOut:
    """Asked / due per week and per staff member (managers and owners)."""
    found = followup_rates(user=actor(request), weeks=weeks)
    return RatesOut(
        weeks=[
            RateOut(label=r.label, due=r.due, asked=r.asked, percent=r.percent)
            for r in found["weeks"]
        ],
        staff=[
            RateOut(label=r.label, due=r.due, asked=r.asked, percent=r.percent)
            for r in found["staff"]
        ],
    )


@followups_router.post(
    "/{purchase_id}/asked",
    response={201: FollowUpOut, **ERRORS},
    operation_id="followup_asked",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def asked(request: HttpRequest, purchase_id: int, payload: FollowUpAskedIn) -> Status[FollowUp]:
    """Record that someone asked how it was, in person or by phone, with the answer."""
    purchase = followup_purchase_get(user=actor(request), id=purchase_id)
    followup = followup_mark_asked(actor=actor(request), purchase=purchase, **payload.model_dump())
    return Status(201, followup)
