"""REST API of the right of access and erasure: one person's data out, or gone for good."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.api import ERRORS, InSchema
from goodwill.exchange.services.access import person_access_export
from goodwill.exchange.services.erase import person_erase
from goodwill.people.selectors import person_get_for_user

access_router = Router(tags=["privacy"])

EXPORT_DOC = (
    "Everything goodwill holds about one person (the right of access): their facts (names, "
    "emails, phones, address, roles, organisations, household, source, who created them), "
    "interests with their source and who noted them, relationships, occasions with what was "
    "done each year, interactions, messages sent to them (subject, state, dates) and the audit "
    "entries about them. Managers and owners; the read is itself audited."
)
ERASE_DOC = (
    "Erase a person (owners): they and everything about them leave every table; only a keyed "
    "hash of each of their email addresses stays, so no import resubscribes them. "
    "`confirm_name` must be their full name (any other field is a 422). A person with a login "
    "is a 409 until the login is unlinked from them. The erasure is audited without their data."
)


class PersonEraseIn(InSchema):
    confirm_name: str


def _actor(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    return user


@access_router.get(
    "/{person_id}/export",
    response={200: dict[str, Any], **ERRORS},
    operation_id="person_access",
    url_name="person_access",
    description=EXPORT_DOC,
)
def person_access(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """Everything about one person as JSON (managers and owners)."""
    require_role(_actor(request), User.Role.MANAGER)
    person = person_get_for_user(user=_actor(request), person_id=person_id)
    return person_access_export(actor=_actor(request), person=person)


@access_router.delete(
    "/{person_id}/data",
    response={204: None, **ERRORS},
    operation_id="person_erase",
    url_name="person_erase",
    description=ERASE_DOC,
)
def erase(request: HttpRequest, person_id: int, payload: PersonEraseIn) -> Status[None]:
    """Erase a person and everything about them (owners)."""
    require_role(_actor(request), User.Role.OWNER)
    person = person_get_for_user(user=_actor(request), person_id=person_id)
    person_erase(actor=_actor(request), person=person, confirm_name=payload.confirm_name)
    return Status(204, None)
