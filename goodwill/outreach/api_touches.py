"""Touch budget endpoints: the policy, a person's balance and own limits, logging a call or visit,
and the people to stay in touch with."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.core.api import (
    ERRORS,
    IDEMPOTENT,
    InSchema,
    ListPage,
    idempotent,
    limit_query,
    page_out,
)
from goodwill.outreach.api_consent import actor
from goodwill.outreach.models_touch import Touch, TouchPolicy
from goodwill.outreach.selectors.balance import person_balance, stay_in_touch_page
from goodwill.outreach.selectors.budget import LIMIT_FIELDS, touch_policy
from goodwill.outreach.services.touch_policy import person_touch_policy_set, touch_policy_update
from goodwill.outreach.services.touches import touch_log
from goodwill.people.selectors import person_get_for_user

policy_router = Router(tags=["touches"])
people_router = Router(tags=["touches"])
stay_router = Router(tags=["touches"])


class TouchPolicyOut(Schema):
    """The business's touch budget."""

    short_max: int
    short_days: int
    long_max: int
    long_days: int
    min_gap_hours: int
    quiet_start: str = Field(description="HH:MM on the person's clock")
    quiet_end: str
    giving_before_asking: bool
    stay_in_touch_days: int
    stay_in_touch_stages: list[str]


class TouchPolicyUpdateIn(InSchema):
    short_max: int | None = Field(None, description="0-50 marketing touches per short window")
    short_days: int | None = Field(None, description="1-365 days")
    long_max: int | None = Field(None, description="0-50 marketing touches per long window")
    long_days: int | None = Field(None, description="1-365 days")
    min_gap_hours: int | None = Field(None, description="0-336 hours after any touch")
    quiet_start: str | None = Field(None, description="HH:MM")
    quiet_end: str | None = Field(None, description="HH:MM")
    giving_before_asking: bool | None = None
    stay_in_touch_days: int | None = Field(None, description="1-1095 days")
    stay_in_touch_stages: list[str] | None = Field(None, description="journey stages")


class VerdictOut(Schema):
    allowed: bool
    reason: str


class LimitsOut(Schema):
    short_max: int
    short_days: int
    long_max: int
    long_days: int
    min_gap_hours: int


class BalanceOut(Schema):
    """A person's last 365 days of touches and what the budget allows now."""

    person_id: int
    giving: int
    asking: int
    transactional: int
    last_giving: dt.datetime | None
    last_asking: dt.datetime | None
    next_ask: VerdictOut
    marketing: VerdictOut
    limits: LimitsOut = Field(description="in force: the person's own where set")
    own_limits: dict[str, int | None]


class TouchLogIn(InSchema):
    channel: str = Field(description="phone, in_person, letter, text or email")
    intent: str = Field(description="giving or asking")
    summary: str
    at: dt.datetime | None = Field(None, description="when (default now)")


class TouchOut(Schema):
    id: int
    person_id: int
    at: dt.datetime
    purpose: str
    intent: str
    channel: str
    counts: bool
    summary: str
    interaction_id: int | None


class PersonTouchPolicyIn(InSchema):
    short_max: int | None = Field(None, description="null: the business's")
    short_days: int | None = None
    long_max: int | None = None
    long_days: int | None = None
    min_gap_hours: int | None = None
    note: str = ""


class StayInTouchOut(Schema):
    person_id: int
    name: str
    stage: str
    last_given: dt.datetime | None


class StayInTouchListOut(Schema):
    items: list[StayInTouchOut]
    next_cursor: str | None


def _policy_out(policy: TouchPolicy) -> TouchPolicyOut:
    return TouchPolicyOut(
        **{n: getattr(policy, n) for n in LIMIT_FIELDS},
        quiet_start=policy.quiet_start.strftime("%H:%M"),
        quiet_end=policy.quiet_end.strftime("%H:%M"),
        giving_before_asking=policy.giving_before_asking,
        stay_in_touch_days=policy.stay_in_touch_days,
        stay_in_touch_stages=list(policy.stay_in_touch_stages),
    )


@policy_router.get("", response={200: TouchPolicyOut, **ERRORS}, operation_id="touch_policy_get")
def get_policy(request: HttpRequest) -> TouchPolicyOut:
    """The touch policy (any staff member)."""
    return _policy_out(touch_policy())


@policy_router.patch(
    "", response={200: TouchPolicyOut, **ERRORS}, operation_id="touch_policy_update"
)
def update_policy(request: HttpRequest, payload: TouchPolicyUpdateIn) -> TouchPolicyOut:
    """Change the fields given (managers and owners); a bad value is a 422 naming the field."""
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return _policy_out(touch_policy_update(actor=actor(request), **changes))


@people_router.get(
    "/{person_id}/balance", response={200: BalanceOut, **ERRORS}, operation_id="balance_get"
)
def get_balance(request: HttpRequest, person_id: int) -> BalanceOut:
    """Giving, asking and transactional touches over the last 365 days, and what may go now."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    found = person_balance(person=person)
    return BalanceOut(
        person_id=person.pk,
        giving=found.giving,
        asking=found.asking,
        transactional=found.transactional,
        last_giving=found.last_giving,
        last_asking=found.last_asking,
        next_ask=VerdictOut(allowed=found.next_ask.allowed, reason=found.next_ask.reason),
        marketing=VerdictOut(allowed=found.marketing.allowed, reason=found.marketing.reason),
        limits=LimitsOut(**{n: getattr(found.limits, n) for n in LIMIT_FIELDS}),
        own_limits={n: getattr(found.own, n, None) for n in LIMIT_FIELDS},
    )


@people_router.post(
    "/{person_id}/touches",
    response={201: TouchOut, **ERRORS},
    operation_id="touch_log",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def log_touch(request: HttpRequest, person_id: int, payload: TouchLogIn) -> Status[Touch]:
    """Log a call, visit, letter, text or email to the person as giving or asking."""
    user = actor(request)
    person = person_get_for_user(user=user, person_id=person_id)
    return Status(201, touch_log(actor=user, person=person, **payload.model_dump()))


@people_router.put(
    "/{person_id}/touch-policy",
    response={200: BalanceOut, **ERRORS},
    operation_id="person_touch_policy_set",
)
def set_person_policy(
    request: HttpRequest, person_id: int, payload: PersonTouchPolicyIn
) -> BalanceOut:
    """Replace the person's own limits (null: the business's); answers their balance."""
    user = actor(request)
    person = person_get_for_user(user=user, person_id=person_id)
    person_touch_policy_set(actor=user, person=person, **payload.model_dump())
    return get_balance(request, person_id)


@stay_router.get(
    "", response={200: StayInTouchListOut, **ERRORS}, operation_id="stay_in_touch_list"
)
def list_stay_in_touch(
    request: HttpRequest, cursor: str | None = None, limit: int | None = limit_query()
) -> StayInTouchListOut:
    """People in the policy's journey stages with no giving touch in its time, longest first."""
    page = stay_in_touch_page(user=actor(request), cursor=cursor, limit=limit or 50)
    items = [
        {
            "person_id": p.pk,
            "name": p.full_name,
            "stage": p.journey.stage,
            "last_given": p.last_given,
        }
        for p in page.items
    ]
    return page_out(StayInTouchListOut, ListPage(items, page.next_cursor))
