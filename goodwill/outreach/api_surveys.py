"""Sending a survey link by email about one purchase or stay."""

from django.http import HttpRequest
from ninja import Router, Status

from goodwill.accounts.models import User
from goodwill.core.api import ERRORS, IDEMPOTENT, idempotent
from goodwill.feedback.api_followups import FollowUpOut
from goodwill.feedback.models import FollowUp
from goodwill.feedback.selectors.followups import followup_purchase_get
from goodwill.outreach.services.surveys import survey_send

surveys_router = Router(tags=["followups"])


@surveys_router.post(
    "/{purchase_id}/survey",
    response={201: FollowUpOut, **ERRORS},
    operation_id="followup_survey",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def send(request: HttpRequest, purchase_id: int) -> Status[FollowUp]:
    """Email the person a single-use survey link (queued in the outbox; 422 without an email
    address or a name of their own; 409 when someone already asked)."""
    user: User = request.auth  # type: ignore[attr-defined]
    purchase = followup_purchase_get(user=user, id=purchase_id)
    return Status(201, survey_send(actor=user, purchase=purchase))
