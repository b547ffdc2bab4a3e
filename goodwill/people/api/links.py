"""Relationship, interest and person-interest endpoints."""

from django.http import HttpRequest
from ninja import Router, Status

from goodwill.core.api import ERRORS, IDEMPOTENT, idempotent, limit_query, page_out, paginate_list
from goodwill.people.api.link_schemas import (
    InterestCreateIn,
    InterestCreateOut,
    InterestGetOut,
    InterestListOut,
    InterestOut,
    InterestUpdateIn,
    InterestUpdateOut,
    PersonInterestCreateIn,
    PersonInterestCreateOut,
    PersonInterestGetOut,
    PersonInterestListOut,
    PersonInterestOut,
    PersonInterestUpdateIn,
    PersonInterestUpdateOut,
    RelationshipCreateIn,
    RelationshipCreateOut,
    RelationshipGetOut,
    RelationshipListOut,
    RelationshipOut,
    RelationshipUpdateIn,
    RelationshipUpdateOut,
)
from goodwill.people.api.persons import actor
from goodwill.people.selectors import (
    interest_get_for_user,
    interest_list,
    person_get_for_user,
    person_interest_get_for_user,
    person_interest_list,
    relationship_get_for_user,
    relationship_list,
)
from goodwill.people.services import (
    interest_create,
    interest_delete,
    interest_update,
    person_interest_add,
    person_interest_remove,
    relationship_create,
    relationship_delete,
    relationship_update,
)

relationships_router = Router(tags=["relationships"])
interests_router = Router(tags=["interests"])
person_interests_router = Router(tags=["person interests"])


@relationships_router.get(
    "",
    response={200: RelationshipListOut, **ERRORS},
    operation_id="relationship_list",
    url_name="relationship_list",
)
def list_relationships(
    request: HttpRequest,
    person_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> RelationshipListOut:
    """Relationships, oldest first; ``person_id`` keeps those of one person (either side)."""
    if person_id is not None:
        person_get_for_user(user=actor(request), person_id=person_id)
    page = relationship_list(user=actor(request), person_id=person_id, cursor=cursor, limit=limit)
    return page_out(RelationshipListOut, page)


@relationships_router.post(
    "",
    response={201: RelationshipCreateOut, **ERRORS},
    operation_id="relationship_create",
    url_name="relationship_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_relationship(
    request: HttpRequest, payload: RelationshipCreateIn
) -> Status[RelationshipOut]:
    """``person_id`` is the ``kind`` of ``other_id`` ("Jack is Ann's spouse"); never oneself."""
    data = payload.model_dump()
    person = person_get_for_user(user=actor(request), person_id=data.pop("person_id"))
    other = person_get_for_user(user=actor(request), person_id=data.pop("other_id"))
    rel = relationship_create(actor=actor(request), person=person, other=other, **data)
    return Status(201, RelationshipCreateOut.from_orm(rel))


@relationships_router.get(
    "/{relationship_id}",
    response={200: RelationshipGetOut, **ERRORS},
    operation_id="relationship_get",
    url_name="relationship_get",
)
def get_relationship(request: HttpRequest, relationship_id: int) -> RelationshipOut:
    """One relationship."""
    rel = relationship_get_for_user(user=actor(request), relationship_id=relationship_id)
    return RelationshipGetOut.from_orm(rel)


@relationships_router.patch(
    "/{relationship_id}",
    response={200: RelationshipUpdateOut, **ERRORS},
    operation_id="relationship_update",
    url_name="relationship_update",
)
def update_relationship(
    request: HttpRequest, relationship_id: int, payload: RelationshipUpdateIn
) -> RelationshipOut:
    """Change the since-date, notes or (for a custom kind) the label."""
    rel = relationship_get_for_user(user=actor(request), relationship_id=relationship_id)
    rel = relationship_update(
        actor=actor(request), relationship=rel, **payload.model_dump(exclude_unset=True)
    )
    return RelationshipUpdateOut.from_orm(rel)


@relationships_router.delete(
    "/{relationship_id}",
    response={204: None, **ERRORS},
    operation_id="relationship_delete",
    url_name="relationship_delete",
)
def delete_relationship(request: HttpRequest, relationship_id: int) -> Status[None]:
    """Remove a relationship from both people."""
    rel = relationship_get_for_user(user=actor(request), relationship_id=relationship_id)
    relationship_delete(actor=actor(request), relationship=rel)
    return Status(204, None)


@interests_router.get(
    "",
    response={200: InterestListOut, **ERRORS},
    operation_id="interest_list",
    url_name="interest_list",
)
def list_interests(
    request: HttpRequest, q: str = "", cursor: str | None = None, limit: int | None = limit_query()
) -> InterestListOut:
    """The shared vocabulary in key order; ``q`` keeps interests starting with it."""
    page = interest_list(user=actor(request), q=q, cursor=cursor, limit=limit)
    return page_out(InterestListOut, page)


@interests_router.post(
    "",
    response={201: InterestCreateOut, **ERRORS},
    operation_id="interest_create",
    url_name="interest_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_interest(request: HttpRequest, payload: InterestCreateIn) -> Status[InterestOut]:
    """The one interest for this name in any spelling ("Storm-chasing" = "storm chasing").

    Always 201 with that interest, whether this request added it or it was there already, as a
    person-interest POST answers 201 for an interest the person already had."""
    interest = interest_create(actor=actor(request), name=payload.name)
    return Status(201, InterestCreateOut.from_orm(interest))


@interests_router.get(
    "/{interest_id}",
    response={200: InterestGetOut, **ERRORS},
    operation_id="interest_get",
    url_name="interest_get",
)
def get_interest(request: HttpRequest, interest_id: int) -> InterestOut:
    """One interest, with how many people like it."""
    interest = interest_get_for_user(user=actor(request), interest_id=interest_id)
    return InterestGetOut.from_orm(interest)


@interests_router.patch(
    "/{interest_id}",
    response={200: InterestUpdateOut, **ERRORS},
    operation_id="interest_update",
    url_name="interest_update",
)
def update_interest(
    request: HttpRequest, interest_id: int, payload: InterestUpdateIn
) -> InterestOut:
    """Rename an interest (managers); 409 if the new name is another interest's."""
    interest = interest_get_for_user(user=actor(request), interest_id=interest_id)
    interest = interest_update(actor=actor(request), interest=interest, name=payload.name)
    return InterestUpdateOut.from_orm(interest)


@interests_router.delete(
    "/{interest_id}",
    response={204: None, **ERRORS},
    operation_id="interest_delete",
    url_name="interest_delete",
)
def delete_interest(request: HttpRequest, interest_id: int) -> Status[None]:
    """Remove an interest from the vocabulary (managers); 409 while anyone holds it."""
    interest = interest_get_for_user(user=actor(request), interest_id=interest_id)
    interest_delete(actor=actor(request), interest=interest)
    return Status(204, None)


@person_interests_router.get(
    "",
    response={200: PersonInterestListOut, **ERRORS},
    operation_id="person_interest_list",
    url_name="person_interest_list",
)
def list_person_interests(
    request: HttpRequest,
    person_id: int,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> PersonInterestListOut:
    """What one person likes, then dislikes, each with its source and who noted it."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    rows = person_interest_list(person=person)
    page = paginate_list(
        rows, key=lambda pi: [pi.attitude, pi.interest.key], cursor=cursor, limit=limit
    )
    return page_out(PersonInterestListOut, page)


@person_interests_router.post(
    "",
    response={201: PersonInterestCreateOut, **ERRORS},
    operation_id="person_interest_create",
    url_name="person_interest_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_person_interest(
    request: HttpRequest, payload: PersonInterestCreateIn
) -> Status[PersonInterestOut]:
    """Record that a person likes or dislikes something, and how we know."""
    data = payload.model_dump()
    person = person_get_for_user(user=actor(request), person_id=data.pop("person_id"))
    pi = person_interest_add(actor=actor(request), person=person, name=data.pop("interest"), **data)
    return Status(201, PersonInterestCreateOut.from_orm(pi))


@person_interests_router.get(
    "/{person_interest_id}",
    response={200: PersonInterestGetOut, **ERRORS},
    operation_id="person_interest_get",
    url_name="person_interest_get",
)
def get_person_interest(request: HttpRequest, person_interest_id: int) -> PersonInterestOut:
    """One thing a person likes or dislikes."""
    pi = person_interest_get_for_user(user=actor(request), person_interest_id=person_interest_id)
    return PersonInterestGetOut.from_orm(pi)


@person_interests_router.patch(
    "/{person_interest_id}",
    response={200: PersonInterestUpdateOut, **ERRORS},
    operation_id="person_interest_update",
    url_name="person_interest_update",
)
def update_person_interest(
    request: HttpRequest, person_interest_id: int, payload: PersonInterestUpdateIn
) -> PersonInterestOut:
    """Change the attitude, source or note (noted by and when become yours and now)."""
    pi = person_interest_get_for_user(user=actor(request), person_interest_id=person_interest_id)
    values = {"attitude": pi.attitude, "source": pi.source, "note": pi.note}
    values.update(
        {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    )
    pi = person_interest_add(
        actor=actor(request), person=pi.person, name=pi.interest.name, **values
    )
    return PersonInterestUpdateOut.from_orm(pi)


@person_interests_router.delete(
    "/{person_interest_id}",
    response={204: None, **ERRORS},
    operation_id="person_interest_delete",
    url_name="person_interest_delete",
)
def delete_person_interest(request: HttpRequest, person_interest_id: int) -> Status[None]:
    """Forget one interest of a person."""
    pi = person_interest_get_for_user(user=actor(request), person_interest_id=person_interest_id)
    person_interest_remove(actor=actor(request), person_interest=pi)
    return Status(204, None)
