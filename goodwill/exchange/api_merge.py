"""REST API of merges: fold a duplicate person into the one that stays (managers and owners)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent
from goodwill.core.errors import Invalid, NotFound
from goodwill.exchange.services.merge import person_merge
from goodwill.people.api.persons import with_facts
from goodwill.people.api.schemas import PersonOut
from goodwill.people.selectors import person_get_for_user

merge_router = Router(tags=["merges"])

Side = Literal["survivor", "other", "both"]


class PersonMergeIn(InSchema):
    other_id: int = Field(description="The person merged into this one, then deleted")
    fields: dict[str, Side] = Field(
        default_factory=dict,
        description="Per conflicting field, whose value to keep: survivor (default) or other; "
        "`notes` may also be `both`. Empty fields of the survivor are filled from the other. "
        "`birthday`: whose birthday to keep when both have one (the other one's history moves "
        "to it); the same day with and without a year is one birthday, kept with its year. "
        "`wedding`: whose wedding date to keep when both are tied to the same spouse with "
        "different dates (the other date's history moves to the kept one).",
    )


class PersonMergeOut(PersonOut):
    """The survivor, with everything of the merged person."""


@merge_router.post(
    "/{person_id}/merge",
    response={200: PersonMergeOut, **ERRORS},
    operation_id="person_merge",
    url_name="person_merge",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def merge_person(request: HttpRequest, person_id: int, payload: PersonMergeIn) -> PersonOut:
    """Merge ``other_id`` into this person (managers): emails, phones, roles, organisations,
    interests, tags, relationships, occasions, interactions, messages and history move; one birthday
    is kept (``fields.birthday``), and one wedding date per spouse both have
    (``fields.wedding``); the other person is deleted; one ``person.merge`` audit entry."""
    user: User = request.auth  # type: ignore[attr-defined]
    require_role(user, User.Role.MANAGER)
    survivor = person_get_for_user(user=user, person_id=person_id)
    try:
        other = person_get_for_user(user=user, person_id=payload.other_id)
    except NotFound as exc:
        raise Invalid.field("other_id", exc.message) from exc
    person = person_merge(actor=user, survivor=survivor, other=other, fields=dict(payload.fields))
    return PersonMergeOut.from_orm(with_facts([person])[0])
