"""One-to-one email endpoint: write to one person, through the consent and budget checks."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent
from goodwill.outreach.api_consent import actor
from goodwill.outreach.models import OutboxMessage
from goodwill.outreach.services.direct import direct_email_send
from goodwill.people.selectors import person_get_for_user

emails_router = Router(tags=["email"])


class EmailSendIn(InSchema):
    subject: str
    body: str
    intent: str = Field(description="giving or asking")
    override: bool = Field(
        False, description="Send despite the checks' warnings (managers; logged)"
    )


class EmailOut(Schema):
    """The queued email (the worker sends it)."""

    id: int
    recipients: list[str]
    subject: str
    state: str
    message_id: str
    created_at: dt.datetime


@emails_router.post(
    "/{person_id}/emails",
    response={201: EmailOut, **ERRORS},
    operation_id="email_send",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def send_email(request: HttpRequest, person_id: int, payload: EmailSendIn) -> Status[OutboxMessage]:
    """Queue a one-to-one email: refused (422, field "override" or "to") when a check warns,
    unless a manager sends it anyway with ``override``; a suppressed address is always refused."""
    user = actor(request)
    person = person_get_for_user(user=user, person_id=person_id)
    return Status(201, direct_email_send(actor=user, person=person, **payload.model_dump()))
