"""Offer endpoints: list, add, read, change and archive offers, and render one for a person (what
they would receive and whether it would be held for review)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.core.api import (
    ERRORS,
    IDEMPOTENT,
    InSchema,
    idempotent,
    limit_query,
    page_out,
    paginate_list,
)
from goodwill.core.errors import Invalid
from goodwill.occasions.selectors.occasions import occasion_get
from goodwill.outreach.models_campaigns import Offer
from goodwill.outreach.selectors.offers import offer_get, offer_list, offer_preview
from goodwill.outreach.services.offers import offer_archive, offer_create, offer_update
from goodwill.people.selectors import person_get_for_user

offers_router = Router(tags=["offers"])

# The services name the topic ``topic``; the API's field is ``topic_id``.
API_FIELDS = {"topic": "topic_id"}


class InterestRefOut(Schema):
    id: int
    name: str


class OfferOut(Schema):
    """An offer: its topic, who it is for, the templates, whether it gives or asks, its dates
    and the prefix of its per-person codes (empty: no codes)."""

    id: int
    name: str
    topic_id: int
    interests: list[InterestRefOut]
    occasion_kinds: list[str]
    categories: list[str]
    subject_template: str
    body_template: str
    intent: str = Field(description="giving or asking")
    valid_from: dt.date | None
    valid_until: dt.date | None
    code_prefix: str
    archived_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_interests(offer: Offer) -> list[dict[str, Any]]:
        return [{"id": i.pk, "name": i.name} for i in offer.interests.all()]


class OfferCreateOut(OfferOut):
    pass


class OfferGetOut(OfferOut):
    pass


class OfferUpdateOut(OfferOut):
    pass


class OfferArchiveOut(OfferOut):
    pass


class OfferListOut(Schema):
    items: list[OfferOut]
    next_cursor: str | None


INTERESTS = "Interest ids or names (existing ones)"
OCCASIONS = "birthday, wedding_anniversary, anniversary, custom"


class OfferCreateIn(InSchema):
    name: str
    topic_id: int | None = None
    interests: list[int | str] = Field(default_factory=list, description=INTERESTS)
    occasion_kinds: list[str] = Field(default_factory=list, description=OCCASIONS)
    categories: list[str] = Field(default_factory=list, description="Purchase categories")
    subject_template: str = Field(description="One line; placeholders like {{ preferred_name }}")
    body_template: str = Field(description="Its first line greets by name")
    intent: str = Field("giving", description="giving or asking")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    code_prefix: str = Field("", description="Up to 12 letters and digits; empty: no codes")


class OfferUpdateIn(InSchema):
    name: str | None = None
    topic_id: int | None = None
    interests: list[int | str] | None = Field(None, description=INTERESTS)
    occasion_kinds: list[str] | None = Field(None, description=OCCASIONS)
    categories: list[str] | None = None
    subject_template: str | None = None
    body_template: str | None = None
    intent: str | None = None
    valid_from: dt.date | None = Field(None, description="null clears it")
    valid_until: dt.date | None = Field(None, description="null clears it")
    code_prefix: str | None = None


class OfferRenderIn(InSchema):
    person_id: int
    occasion_id: int | None = Field(None, description="Render for this occasion (years, names)")
    code: str | None = Field(None, description="The code to show (default: a sample)")


class OfferRenderOut(Schema):
    """What the person would receive; ``held_reason`` says why it would be held for review."""

    subject: str
    body: str
    body_html: str
    held_reason: str
    urgent: bool = Field(description="The subject uses urgency words (once a quarter at most)")


def actor(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def _api_fields(exc: Invalid) -> Invalid:
    fields = {API_FIELDS.get(k, k): v for k, v in exc.fields.items()}
    return Invalid(exc.message.replace("topic:", "topic_id:", 1), fields=fields)


def _service_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """The payload as service arguments: ``topic_id`` as ``topic``, a null list as empty."""
    if "topic_id" in data:
        data["topic"] = data.pop("topic_id")
    for name in ("interests", "occasion_kinds", "categories"):
        if name in data and data[name] is None:
            data[name] = []
    return data


@offers_router.get("", response={200: OfferListOut, **ERRORS}, operation_id="offer_list")
def list_offers(
    request: HttpRequest,
    archived: bool = False,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> OfferListOut:
    """The offers, newest first (any staff member)."""
    offers = offer_list(user=actor(request), include_archived=archived)
    return page_out(
        OfferListOut, paginate_list(offers, key=lambda o: [-o.pk], cursor=cursor, limit=limit)
    )


@offers_router.post(
    "",
    response={201: OfferCreateOut, **ERRORS},
    operation_id="offer_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_offer(request: HttpRequest, payload: OfferCreateIn) -> Status[Offer]:
    """Add an offer (managers and owners); every fault comes back at once, field by field."""
    try:
        offer = offer_create(actor=actor(request), **_service_kwargs(payload.model_dump()))
    except Invalid as exc:
        raise _api_fields(exc) from exc
    return Status(201, offer)


@offers_router.get("/{offer_id}", response={200: OfferGetOut, **ERRORS}, operation_id="offer_get")
def get_offer(request: HttpRequest, offer_id: int) -> Offer:
    """One offer, archived or not."""
    return offer_get(user=actor(request), offer_id=offer_id)


@offers_router.patch(
    "/{offer_id}", response={200: OfferUpdateOut, **ERRORS}, operation_id="offer_update"
)
def update_offer(request: HttpRequest, offer_id: int, payload: OfferUpdateIn) -> Offer:
    """Change some fields (managers and owners); an archived offer answers 409."""
    user = actor(request)
    offer = offer_get(user=user, offer_id=offer_id)
    changes = _service_kwargs(payload.model_dump(exclude_unset=True))
    try:
        offer_update(actor=user, offer=offer, **changes)
    except Invalid as exc:
        raise _api_fields(exc) from exc
    return offer_get(user=user, offer_id=offer.pk)


@offers_router.delete(
    "/{offer_id}", response={200: OfferArchiveOut, **ERRORS}, operation_id="offer_archive"
)
def archive_offer(request: HttpRequest, offer_id: int) -> Offer:
    """Archive an offer (managers and owners): it is kept with its campaigns, never sent again."""
    user = actor(request)
    return offer_archive(actor=user, offer=offer_get(user=user, offer_id=offer_id))


@offers_router.post(
    "/{offer_id}/render", response={200: OfferRenderOut, **ERRORS}, operation_id="offer_render"
)
def render_offer(request: HttpRequest, offer_id: int, payload: OfferRenderIn) -> OfferRenderOut:
    """Render the offer for one person: subject, body and, when the greeting would not carry
    their own name, why the message would be held for review. Nothing is sent or stored."""
    user = actor(request)
    offer = offer_get(user=user, offer_id=offer_id)
    person = person_get_for_user(user=user, person_id=payload.person_id)
    occasion = occasion_get(user=user, id=payload.occasion_id) if payload.occasion_id else None
    preview = offer_preview(offer=offer, person=person, occasion=occasion, code=payload.code)
    return OfferRenderOut(
        subject=preview.subject,
        body=preview.body,
        body_html=preview.body_html,
        held_reason=preview.held_reason,
        urgent=preview.urgent,
    )
