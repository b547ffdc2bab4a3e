"""Interaction endpoints: a person's timeline, logging, correcting and removing touches."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.accounts.selectors import user_list_active
from goodwill.core.api import ERRORS, IDEMPOTENT, InSchema, idempotent, limit_query, page_out
from goodwill.core.errors import Invalid
from goodwill.people.selectors import person_get_for_user
from goodwill.timeline.selectors import interaction_get_for_user, interaction_list_for_person
from goodwill.timeline.services import interaction_delete, interaction_log, interaction_update

interactions_router = Router(tags=["interactions"])


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def _staff_member(caller: User, staff_id: int | None) -> User | None:
    """The active user named by ``staff_id`` (None: the caller); anyone else is a 422."""
    if staff_id is None:
        return None
    staff = user_list_active(actor=caller).filter(pk=staff_id).first()
    if staff is None:
        raise Invalid.field("staff_id", _("No active user with this id."))
    return staff


class InteractionOut(Schema):
    id: int
    person_id: int
    kind: str
    direction: str
    intent: str
    channel: str
    staff_id: int | None
    occurred_at: dt.datetime
    summary: str
    body: str
    created_by_id: int | None
    created_at: dt.datetime


class InteractionGetOut(InteractionOut):
    """One touch."""


class InteractionListOut(Schema):
    items: list[InteractionOut]
    next_cursor: str | None


class InteractionCreateIn(InSchema):
    person_id: int
    kind: str = Field(description="visit, stay, purchase, call, email, meeting, message, …")
    summary: str
    direction: str = Field("in_person", description="inbound, outbound or in_person")
    intent: str = Field("neutral", description="giving, asking or neutral")
    channel: str = ""
    occurred_at: dt.datetime | None = Field(
        None, description="With its time zone; now if left out."
    )
    body: str = ""
    staff_id: int | None = Field(
        None, description="The active user who had the touch; you if left out."
    )


class InteractionCreateOut(InteractionOut):
    """The logged touch; ``staff_id`` is you unless you named someone else."""


class InteractionUpdateIn(InSchema):
    kind: str | None = None
    summary: str | None = None
    direction: str | None = None
    intent: str | None = None
    channel: str | None = None
    occurred_at: dt.datetime | None = None
    body: str | None = None


class InteractionUpdateOut(InteractionOut):
    """The touch after the correction."""


@interactions_router.get(
    "",
    response={200: InteractionListOut, **ERRORS},
    operation_id="interaction_list",
    url_name="interaction_list",
)
def list_interactions(
    request: HttpRequest,
    person_id: int,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> InteractionListOut:
    """One person's timeline, newest first."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    page = interaction_list_for_person(
        user=actor(request), person=person, cursor=cursor, limit=limit
    )
    return page_out(InteractionListOut, page)


@interactions_router.post(
    "",
    response={201: InteractionCreateOut, **ERRORS},
    operation_id="interaction_create",
    url_name="interaction_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_interaction(
    request: HttpRequest, payload: InteractionCreateIn
) -> Status[InteractionOut]:
    """Log a touch on a person's timeline (any active user), for you or a named colleague."""
    data = payload.model_dump()
    staff = _staff_member(actor(request), data.pop("staff_id"))
    person = person_get_for_user(user=actor(request), person_id=data.pop("person_id"))
    interaction = interaction_log(actor=actor(request), person=person, staff=staff, **data)
    return Status(201, InteractionCreateOut.from_orm(interaction))


@interactions_router.get(
    "/{interaction_id}",
    response={200: InteractionGetOut, **ERRORS},
    operation_id="interaction_get",
    url_name="interaction_get",
)
def get_interaction(request: HttpRequest, interaction_id: int) -> InteractionOut:
    """One touch."""
    interaction = interaction_get_for_user(user=actor(request), interaction_id=interaction_id)
    return InteractionGetOut.from_orm(interaction)


@interactions_router.patch(
    "/{interaction_id}",
    response={200: InteractionUpdateOut, **ERRORS},
    operation_id="interaction_update",
    url_name="interaction_update",
)
def update_interaction(
    request: HttpRequest, interaction_id: int, payload: InteractionUpdateIn
) -> InteractionOut:
    """Correct a touch: its author, or a manager."""
    interaction = interaction_get_for_user(user=actor(request), interaction_id=interaction_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    interaction = interaction_update(actor=actor(request), interaction=interaction, **changes)
    return InteractionUpdateOut.from_orm(interaction)


@interactions_router.delete(
    "/{interaction_id}",
    response={204: None, **ERRORS},
    operation_id="interaction_delete",
    url_name="interaction_delete",
)
def delete_interaction(request: HttpRequest, interaction_id: int) -> Status[None]:
    """Remove a touch (managers)."""
    require_role(actor(request), User.Role.MANAGER)
    interaction = interaction_get_for_user(user=actor(request), interaction_id=interaction_id)
    interaction_delete(actor=actor(request), interaction=interaction)
    return Status(204, None)
