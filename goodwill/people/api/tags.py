"""Tag endpoints: the tags with their counts (managers rename and delete them), and a person's
tags (whoever may edit the person adds and removes them)."""

from django.http import HttpRequest
from ninja import Router, Status

from goodwill.core.api import ERRORS, IDEMPOTENT, idempotent, limit_query, page_out, paginate_list
from goodwill.people.api.link_schemas import (
    PersonTagAddIn,
    PersonTagAddOut,
    PersonTagListOut,
    TagGetOut,
    TagListOut,
    TagOut,
    TagRenameIn,
    TagRenameOut,
)
from goodwill.people.api.persons import actor
from goodwill.people.api.schemas import PersonTagOut
from goodwill.people.selectors import (
    person_get_for_user,
    person_tag_list,
    tag_get_for_user,
    tag_list,
)
from goodwill.people.services import person_tag_add, person_tag_remove, tag_delete, tag_rename

tags_router = Router(tags=["tags"])
person_tags_router = Router(tags=["tags"])


@tags_router.get(
    "", response={200: TagListOut, **ERRORS}, operation_id="tag_list", url_name="tag_list"
)
def list_tags(
    request: HttpRequest, q: str = "", cursor: str | None = None, limit: int | None = limit_query()
) -> TagListOut:
    """Every tag by name with how many people have it; ``q`` keeps those starting with it.
    Everyone with a tag: ``GET /people?tag=NAME``."""
    page = tag_list(user=actor(request), q=q, cursor=cursor, limit=limit)
    return page_out(TagListOut, page)


@tags_router.get(
    "/{tag_id}", response={200: TagGetOut, **ERRORS}, operation_id="tag_get", url_name="tag_get"
)
def get_tag(request: HttpRequest, tag_id: int) -> TagOut:
    """One tag, with how many people have it."""
    return TagGetOut.from_orm(tag_get_for_user(user=actor(request), tag_id=tag_id))


@tags_router.patch(
    "/{tag_id}",
    response={200: TagRenameOut, **ERRORS},
    operation_id="tag_rename",
    url_name="tag_rename",
)
def rename_tag(request: HttpRequest, tag_id: int, payload: TagRenameIn) -> TagOut:
    """Rename a tag for everyone (managers). Another tag's name in any spelling merges this tag
    into that one, which answers (with its own id and name)."""
    tag = tag_get_for_user(user=actor(request), tag_id=tag_id)
    return TagRenameOut.from_orm(tag_rename(actor=actor(request), tag=tag, name=payload.name))


@tags_router.delete(
    "/{tag_id}",
    response={204: None, **ERRORS},
    operation_id="tag_delete",
    url_name="tag_delete",
)
def delete_tag(request: HttpRequest, tag_id: int) -> Status[None]:
    """Delete a tag and take it off everyone (managers)."""
    tag = tag_get_for_user(user=actor(request), tag_id=tag_id)
    tag_delete(actor=actor(request), tag=tag)
    return Status(204, None)


@person_tags_router.get(
    "/{person_id}/tags",
    response={200: PersonTagListOut, **ERRORS},
    operation_id="person_tag_list",
    url_name="person_tag_list",
)
def list_person_tags(
    request: HttpRequest,
    person_id: int,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> PersonTagListOut:
    """A person's tags by name, each with its source, who added it and when."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    rows = person_tag_list(person_id=person.pk)
    page = paginate_list(rows, key=lambda link: [link.tag.key], cursor=cursor, limit=limit)
    return page_out(PersonTagListOut, page)


@person_tags_router.post(
    "/{person_id}/tags",
    response={201: PersonTagAddOut, **ERRORS},
    operation_id="person_tag_add",
    url_name="person_tag_add",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def add_person_tag(
    request: HttpRequest, person_id: int, payload: PersonTagAddIn
) -> Status[PersonTagOut]:
    """Tag a person with a tag's name in any spelling (a new name makes a new tag). Always 201
    with the tag on the person, whether this request put it there or it was there already."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    link = person_tag_add(actor=actor(request), person=person, **payload.model_dump())
    return Status(201, PersonTagAddOut.from_orm(link))


@person_tags_router.delete(
    "/{person_id}/tags/{tag_id}",
    response={204: None, **ERRORS},
    operation_id="person_tag_remove",
    url_name="person_tag_remove",
)
def remove_person_tag(request: HttpRequest, person_id: int, tag_id: int) -> Status[None]:
    """Take a tag off a person (404 when they do not have it)."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    tag = tag_get_for_user(user=actor(request), tag_id=tag_id)
    person_tag_remove(actor=actor(request), person=person, tag=tag)
    return Status(204, None)
