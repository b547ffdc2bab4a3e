"""Feedback endpoints: note what a customer said (any role), the manager's inbox with
acknowledge and "acted on", and the survey scores."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent, limit_query, page_out
from goodwill.feedback.selectors.feedback import feedback_get_for_user, feedback_inbox
from goodwill.feedback.selectors.scores import ScoreRow, feedback_scores
from goodwill.feedback.services.feedback import (
    feedback_acknowledge,
    feedback_act,
    feedback_heard_create,
)
from goodwill.people.selectors import person_get_for_user

feedback_router = Router(tags=["feedback"])


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


class FeedbackOut(Schema):
    """Something a customer told us; ``text`` is exactly what was noted (plain text)."""

    id: int
    source: str = Field(description="counter, phone or survey")
    text: str
    category: str
    sentiment: str = Field(description="positive, negative or neutral")
    person_id: int | None = Field(description="Null: we do not know who said it")
    heard_by_id: int | None
    heard_at: dt.datetime
    score: int | None = Field(description="0-10, surveys only")
    thumbs_up: bool | None = Field(description="Surveys only")
    status: str = Field(description="new, acknowledged or acted_on")
    handled_by_id: int | None
    handled_at: dt.datetime | None
    action: str = Field(description="What was done about it")
    created_at: dt.datetime


class FeedbackGetOut(FeedbackOut):
    """One piece of feedback."""


class FeedbackListOut(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


class FeedbackHeardIn(InSchema):
    text: str = Field(description="What they said (up to 2000 characters)")
    category: str = Field(description="price, product, service, staff, place, competitor or other")
    sentiment: str = Field(description="positive, negative or neutral")
    person_id: int | None = Field(None, description="Who said it; anonymous if left out")
    source: str = Field("counter", description="counter or phone")


class FeedbackHeardOut(FeedbackOut):
    """The noted feedback; ``heard_by_id`` is you."""


class FeedbackActIn(InSchema):
    action: str = Field(description="What you did about it")


class FeedbackAcknowledgeOut(FeedbackOut):
    """The feedback, acknowledged (feedback already handled is returned unchanged)."""


class FeedbackActOut(FeedbackOut):
    """The feedback, acted on."""


@feedback_router.post(
    "/heard",
    response={201: FeedbackHeardOut, **ERRORS},
    operation_id="feedback_heard_create",
    url_name="feedback_heard_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_heard(request: HttpRequest, payload: FeedbackHeardIn) -> Status[FeedbackOut]:
    """Note what a customer said (any active user)."""
    data = payload.model_dump()
    person_id = data.pop("person_id")
    person = None
    if person_id is not None:
        person = person_get_for_user(user=actor(request), person_id=person_id)
    feedback = feedback_heard_create(actor=actor(request), person=person, **data)
    return Status(201, FeedbackHeardOut.from_orm(feedback))


@feedback_router.get(
    "",
    response={200: FeedbackListOut, **ERRORS},
    operation_id="feedback_list",
    url_name="feedback_list",
)
def list_feedback(
    request: HttpRequest,
    status: str | None = None,
    category: str | None = None,
    sentiment: str | None = None,
    source: str | None = None,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> FeedbackListOut:
    """The inbox, newest first (managers and owners); filter by status, category, sentiment and
    source."""
    page = feedback_inbox(
        user=actor(request),
        status=status,
        category=category,
        sentiment=sentiment,
        source=source,
        cursor=cursor,
        limit=limit,
    )
    return page_out(FeedbackListOut, page)


class ScoreRowOut(Schema):
    """One group's survey answers; ``nps`` and ``satisfaction`` are null without scores or
    thumbs."""

    key: str = Field(description="YYYY-MM, a user id, or a category ('' when unknown)")
    label: str
    answers: int
    scored: int = Field(description="Answers with a 0-10 score")
    promoters: int = Field(description="Scores of 9 or 10")
    detractors: int = Field(description="Scores of 0 to 6")
    nps: int | None = Field(description="% promoters minus % detractors, -100 to 100")
    thumbs: int = Field(description="Answers with a thumb")
    thumbs_up: int
    satisfaction: int | None = Field(description="% of thumbs that were up")


class FeedbackScoresOut(Schema):
    """Survey scores from ``since`` (the first of the month, where the business is)."""

    months: int
    since: dt.datetime
    total: ScoreRowOut
    by_month: list[ScoreRowOut] = Field(description="Oldest month first")
    by_staff: list[ScoreRowOut] = Field(description="By who logged the purchase asked about")
    by_category: list[ScoreRowOut] = Field(description="By the purchase's category")


def _score_out(row: ScoreRow) -> ScoreRowOut:
    return ScoreRowOut(
        key=row.key,
        label=row.label,
        answers=row.answers,
        scored=row.scored,
        promoters=row.promoters,
        detractors=row.detractors,
        nps=row.nps,
        thumbs=row.thumbs,
        thumbs_up=row.ups,
        satisfaction=row.satisfaction,
    )


@feedback_router.get(
    "/scores",
    response={200: FeedbackScoresOut, **ERRORS},
    operation_id="feedback_scores",
    url_name="feedback_scores",
)
def scores(request: HttpRequest, months: int = 12) -> FeedbackScoresOut:
    """Survey NPS and satisfaction of the last ``months`` months (1-24, this month included), by
    month, staff member and category (managers and owners)."""
    found = feedback_scores(user=actor(request), months=months)
    return FeedbackScoresOut(
        months=found.months,
        since=found.since,
        total=_score_out(found.total),
        by_month=[_score_out(r) for r in found.by_month],
        by_staff=[_score_out(r) for r in found.by_staff],
        by_category=[_score_out(r) for r in found.by_category],
    )


@feedback_router.get(
    "/{feedback_id}",
    response={200: FeedbackGetOut, **ERRORS},
    operation_id="feedback_get",
    url_name="feedback_get",
)
def get_feedback(request: HttpRequest, feedback_id: int) -> FeedbackOut:
    """One piece of feedback (managers and owners)."""
    feedback = feedback_get_for_user(user=actor(request), feedback_id=feedback_id)
    return FeedbackGetOut.from_orm(feedback)


@feedback_router.post(
    "/{feedback_id}/acknowledge",
    response={200: FeedbackAcknowledgeOut, **ERRORS},
    operation_id="feedback_acknowledge",
    url_name="feedback_acknowledge",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def acknowledge(request: HttpRequest, feedback_id: int) -> FeedbackOut:
    """Mark feedback as seen (managers and owners)."""
    feedback = feedback_get_for_user(user=actor(request), feedback_id=feedback_id)
    feedback = feedback_acknowledge(actor=actor(request), feedback=feedback)
    return FeedbackAcknowledgeOut.from_orm(feedback)


@feedback_router.post(
    "/{feedback_id}/act",
    response={200: FeedbackActOut, **ERRORS},
    operation_id="feedback_act",
    url_name="feedback_act",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def act(request: HttpRequest, feedback_id: int, payload: FeedbackActIn) -> FeedbackOut:
    """Record what was done about feedback (managers and owners)."""
    feedback = feedback_get_for_user(user=actor(request), feedback_id=feedback_id)
    feedback = feedback_act(actor=actor(request), feedback=feedback, action=payload.action)
    return FeedbackActOut.from_orm(feedback)
