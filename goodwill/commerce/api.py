"""Purchase endpoints (log, list, get, remove) and a person's journey stage."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.commerce.models import Purchase
from goodwill.commerce.selectors import journey_of, purchase_get, purchase_list
from goodwill.commerce.services import loyalty_number_set, purchase_delete, purchase_log
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent, limit_query, page_out
from goodwill.core.errors import Invalid, NotFound
from goodwill.occasions.selectors.occasions import occasion_get
from goodwill.people.models import Person
from goodwill.people.selectors import person_get_for_user

purchases_router = Router(tags=["purchases"])
journey_router = Router(tags=["purchases"])


class PurchaseOut(Schema):
    """A purchase, stay, refund or inquiry."""

    id: int
    person_id: int
    kind: str
    occurred_at: dt.datetime
    check_in: dt.date | None
    check_out: dt.date | None
    amount: Decimal | None
    currency: str
    description: str
    category: str
    channel: str
    occasion_id: int | None
    refund_of_id: int | None
    source: str
    source_detail: str
    reference: str
    followup_due_at: dt.datetime | None
    interaction_id: int | None


class PurchaseListOut(Schema):
    items: list[PurchaseOut]
    next_cursor: str | None


class PurchaseCreateIn(InSchema):
    person_id: int
    kind: str = Field("purchase", description="purchase, stay, refund or inquiry")
    occurred_at: dt.datetime | None = Field(None, description="Default: now (a stay: check-in)")
    check_in: dt.date | None = None
    check_out: dt.date | None = None
    amount: str | None = Field(
        None, description='A positive amount as written: "12.50", "12,50 €", "EUR 12.50"'
    )
    currency: str = Field("", description="ISO 4217; default: the business's currency")
    description: str = ""
    category: str = ""
    channel: str = Field("in_store", description="in_store, online, phone or walk_in")
    occasion_id: int | None = None
    refund_of_id: int | None = None
    reference: str = ""


class JourneyOut(Schema):
    """A person's journey stage and why (stage null: nothing to go on yet)."""

    person_id: int
    stage: str | None
    reason: str
    purchases: int
    last_purchase_at: dt.datetime | None
    usual_interval_days: int | None


class LoyaltyNumberIn(InSchema):
    number: str = Field(description='The loyalty, member or card number; "" removes it')


class LoyaltyNumberOut(Schema):
    """A person's loyalty number as stored (no spaces or dashes, upper case); "" for none."""

    person_id: int
    number: str


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def _person_filter(user: User, person_id: int) -> Person:
    """The person a list is filtered by; NotFound naming ``person_id`` when unknown (or
    archived, for staff)."""
    try:
        return person_get_for_user(user=user, person_id=person_id)
    except NotFound as exc:
        message = _("No such person: %(id)s.") % {"id": person_id}
        raise NotFound(f"person_id: {message}", fields={"person_id": [message]}) from exc


@purchases_router.get("", response={200: PurchaseListOut, **ERRORS}, operation_id="purchase_list")
def list_purchases(
    request: HttpRequest,
    person_id: int | None = None,
    kind: str = "",
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> PurchaseListOut:
    """Purchases newest first; of one person with ``person_id`` (404 when there is no such
    person, as for a person's own endpoints)."""
    if person_id is not None:
        _person_filter(actor(request), person_id)
    page = purchase_list(
        user=actor(request), person_id=person_id, kind=kind or None, cursor=cursor, limit=limit
    )
    return page_out(PurchaseListOut, page)


@purchases_router.post(
    "",
    response={201: PurchaseOut, **ERRORS},
    operation_id="purchase_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_purchase(request: HttpRequest, payload: PurchaseCreateIn) -> Status[Purchase]:
    """Log a purchase, stay, refund or inquiry: it lands on the timeline, gets its "how was
    it?" date, and the person's journey stage is recomputed."""
    user = actor(request)
    data = payload.model_dump()
    person = person_get_for_user(user=user, person_id=data.pop("person_id"))
    occasion_id, refund_id = data.pop("occasion_id"), data.pop("refund_of_id")
    occasion = occasion_get(user=user, id=occasion_id) if occasion_id else None
    refund_of = purchase_get(user=user, id=refund_id) if refund_id else None
    try:
        purchase = purchase_log(
            actor=user, person=person, occasion=occasion, refund_of=refund_of, source="api", **data
        )
    except Invalid as exc:
        raise _api_fields(exc) from exc
    return Status(201, purchase)


def _api_fields(exc: Invalid) -> Invalid:
    """The service names ``occasion`` and ``refund_of``; the API's input names their ids."""
    names = {"occasion": "occasion_id", "refund_of": "refund_of_id"}
    fields = {names.get(name, name): messages for name, messages in exc.fields.items()}
    if fields == exc.fields:
        return exc
    name, messages = next(iter(fields.items()))
    return Invalid(f"{name}: {messages[0]}", fields=fields)


@purchases_router.get(
    "/{purchase_id}", response={200: PurchaseOut, **ERRORS}, operation_id="purchase_get"
)
def get_purchase(request: HttpRequest, purchase_id: int) -> Purchase:
    """One purchase."""
    return purchase_get(user=actor(request), id=purchase_id)


@purchases_router.delete(
    "/{purchase_id}", response={204: None, **ERRORS}, operation_id="purchase_delete"
)
def delete_purchase(request: HttpRequest, purchase_id: int) -> Status[None]:
    """Remove a purchase logged by mistake (managers and owners)."""
    purchase = purchase_get(user=actor(request), id=purchase_id)
    purchase_delete(actor=actor(request), purchase=purchase)
    return Status(204, None)


@journey_router.get(
    "/{person_id}/journey", response={200: JourneyOut, **ERRORS}, operation_id="journey_get"
)
def get_journey(request: HttpRequest, person_id: int) -> JourneyOut:
    """A person's journey stage, why, and the facts it rests on."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    journey = journey_of(person)
    if journey is None:
        return JourneyOut(
            person_id=person.pk,
            stage=None,
            reason="",
            purchases=0,
            last_purchase_at=None,
            usual_interval_days=None,
        )
    return JourneyOut(
        person_id=person.pk,
        stage=journey.stage,
        reason=journey.reason,
        purchases=journey.purchases,
        last_purchase_at=journey.last_purchase_at,
        usual_interval_days=journey.usual_interval_days,
    )


def _loyalty_out(person_id: int, numbers: list[str]) -> LoyaltyNumberOut:
    return LoyaltyNumberOut(person_id=person_id, number=", ".join(numbers))


@journey_router.get(
    "/{person_id}/loyalty-number",
    response={200: LoyaltyNumberOut, **ERRORS},
    operation_id="loyalty_number_get",
    tags=["loyalty"],
)
def get_loyalty_number(request: HttpRequest, person_id: int) -> LoyaltyNumberOut:
    """A person's loyalty number, by which point-of-sale imports find them."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    return _loyalty_out(person.pk, [n.number for n in person.loyalty_numbers.all()])


@journey_router.put(
    "/{person_id}/loyalty-number",
    response={200: LoyaltyNumberOut, **ERRORS},
    operation_id="loyalty_number_set",
    tags=["loyalty"],
)
def set_loyalty_number(
    request: HttpRequest, person_id: int, payload: LoyaltyNumberIn
) -> LoyaltyNumberOut:
    """Set a person's loyalty number ("" removes it); 409 when it is someone else's."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    stored = loyalty_number_set(actor=actor(request), person=person, number=payload.number)
    return _loyalty_out(person.pk, [stored.number] if stored else [])
