"""Consent endpoints: the topics, and each person's consent ledger and status."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent
from goodwill.outreach.models_consent import Consent, Topic
from goodwill.outreach.selectors.consent import consent_overview, topic_get, topic_list
from goodwill.outreach.services.consent import consent_record, topic_create
from goodwill.people.selectors import person_get_for_user

topics_router = Router(tags=["consent"])
consents_router = Router(tags=["consent"])


class TopicOut(Schema):
    """Something the business writes about."""

    id: int
    name: str
    key: str
    description: str
    legitimate_interest: bool


class TopicCreateIn(InSchema):
    name: str
    description: str = ""
    legitimate_interest: bool = Field(
        False, description="The business relies on legitimate interest for this topic"
    )


class ConsentOut(Schema):
    """One ledger row: an opt-in or a withdrawal (topic_id null: every topic)."""

    id: int
    address: str
    topic_id: int | None
    basis: str
    source: str
    source_detail: str
    evidence: str
    recorded_at: dt.datetime
    recorded_by_id: int | None


class ConsentStatusOut(Schema):
    """Whether we may write to an address about a topic (topic_id null: everything), and why."""

    address: str
    topic_id: int | None
    valid: bool
    basis: str = Field(
        description="express, implied_purchase, implied_inquiry, legitimate_interest or none"
    )
    reason: str
    since: dt.datetime | None
    until: dt.datetime | None


class ConsentListOut(Schema):
    """A person's ledger, newest first, and the status per address and topic."""

    history: list[ConsentOut]
    statuses: list[ConsentStatusOut]


class ConsentCreateIn(InSchema):
    address: str
    topic_id: int | None = Field(None, description="null: every topic")
    basis: str = Field(description="express, legitimate_interest or withdrawn")
    evidence: str = Field("", description="What they said, or the wording they agreed to")


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


@topics_router.get("", response={200: list[TopicOut], **ERRORS}, operation_id="topic_list")
def list_topics(request: HttpRequest) -> list[Topic]:
    """Every topic, by name."""
    return topic_list()


@topics_router.post(
    "", response={201: TopicOut, **ERRORS}, operation_id="topic_create", openapi_extra=IDEMPOTENT
)
@idempotent
def create_topic(request: HttpRequest, payload: TopicCreateIn) -> Status[Topic]:
    """Add a topic (managers and owners); names are unique regardless of case and accents."""
    return Status(201, topic_create(actor=actor(request), **payload.model_dump()))


@consents_router.get(
    "/{person_id}/consents", response={200: ConsentListOut, **ERRORS}, operation_id="consent_list"
)
def list_consents(request: HttpRequest, person_id: int) -> ConsentListOut:
    """A person's consent ledger and the status of each of their addresses per topic."""
    user = actor(request)
    person = person_get_for_user(user=user, person_id=person_id)
    addresses = [e.email for e in person.emails.all()]
    overview = consent_overview(user=user, person=person, addresses=addresses)
    return ConsentListOut(
        history=[ConsentOut.model_validate(row) for row in overview.history],
        statuses=[
            ConsentStatusOut(
                address=address,
                topic_id=topic.pk if topic is not None else None,
                valid=status.valid,
                basis=status.basis,
                reason=status.reason,
                since=status.since,
                until=status.until,
            )
            for address, topic, status in overview.statuses
        ],
    )


@consents_router.post(
    "/{person_id}/consents",
    response={201: ConsentOut, **ERRORS},
    operation_id="consent_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_consent(
    request: HttpRequest, person_id: int, payload: ConsentCreateIn
) -> Status[Consent]:
    """Record an opt-in or a withdrawal the person gave through your system (source "api")."""
    user = actor(request)
    person = person_get_for_user(user=user, person_id=person_id)
    topic = topic_get(topic_id=payload.topic_id) if payload.topic_id is not None else None
    row = consent_record(
        actor=user,
        person=person,
        address=payload.address,
        topic=topic,
        basis=payload.basis,
        source=Consent.Source.API,
        evidence=payload.evidence,
    )
    return Status(201, row)
