"""People endpoints: list and search, get, create, update, archive, restore, delete, membership,
login."""

from collections.abc import Sequence

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.accounts.selectors import user_get
from goodwill.core.api import ERRORS, IDEMPOTENT, idempotent, limit_query, page_out
from goodwill.core.errors import Invalid, NotFound
from goodwill.people import list_filters
from goodwill.people.api.schemas import (
    MembershipSetIn,
    MembershipSetOut,
    PersonArchiveOut,
    PersonCreateIn,
    PersonCreateOut,
    PersonDuplicateOut,
    PersonGetOut,
    PersonLinkUserIn,
    PersonLinkUserOut,
    PersonListOut,
    PersonOut,
    PersonRestoreOut,
    PersonUpdateIn,
    PersonUpdateOut,
)
from goodwill.people.models import Person
from goodwill.people.selectors import (
    organisation_get_for_user,
    person_get_for_user,
    person_list,
    person_search,
    person_search_archived,
)
from goodwill.people.selectors.persons import list_prefetches
from goodwill.people.services import (
    membership_remove,
    membership_set,
    person_archive,
    person_create,
    person_delete,
    person_link_user,
    person_restore,
    person_update,
)

router = Router(tags=["people"])


def actor(request: HttpRequest) -> User:
    """The user behind the request's token (ninja's auth has already checked it)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def with_facts(people: Sequence[Person]) -> Sequence[Person]:
    """Load what PersonOut shows besides the row: emails, phones, roles, organisations, tags (as
    the plain lists its resolvers read)."""
    facts = [Prefetch("emails", to_attr="email_list"), Prefetch("phones", to_attr="phone_list")]
    prefetch_related_objects(list(people), *facts, *list_prefetches())
    return people


def _out(schema: type[PersonOut], person: Person) -> PersonOut:
    return schema.from_orm(with_facts([person])[0])


@router.get(
    "", response={200: PersonListOut, **ERRORS}, operation_id="person_list", url_name="person_list"
)
def list_people(
    request: HttpRequest,
    q: str = "",
    role: str = "",
    interest: str = "",
    organisation_id: int | None = None,
    household_id: int | None = None,
    archived: bool = False,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> PersonListOut:
    """People by name, filtered by role, interest, organisation or household, by `tag` (a tag's
    name in any spelling) and by journey `stage` (prospect, first_time, returning, regular,
    lapsed, advocate); with ``q``, ranked search by any part of the name, email, phone digits or
    organisation (filters ignored; with ``archived``, managers search the archived people)."""
    if q.strip() and archived and has_role(actor(request), User.Role.MANAGER):
        page = person_search_archived(user=actor(request), q=q, cursor=cursor, limit=limit)
    elif q.strip():
        page = person_search(user=actor(request), q=q, cursor=cursor, limit=limit)
    else:
        page = person_list(
            user=actor(request),
            role=role or None,
            interest=interest or None,
            organisation_id=organisation_id,
            household_id=household_id,
            archived=archived,
            extra={f.name: request.GET.get(f.name, "") for f in list_filters.registered()},
            cursor=cursor,
            limit=limit,
        )
    with_facts(page.items)
    return page_out(PersonListOut, page)


@router.post(
    "",
    response={201: PersonCreateOut, **ERRORS},
    operation_id="person_create",
    url_name="person_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_person(request: HttpRequest, payload: PersonCreateIn) -> Status[PersonOut]:
    """Add a person; possible duplicates come back in ``duplicates`` (never blocked)."""
    result = person_create(actor=actor(request), **payload.model_dump())
    out = _out(PersonCreateOut, result.person)
    duplicates = [PersonDuplicateOut.from_orm(p) for p in result.duplicates]
    return Status(201, out.model_copy(update={"duplicates": duplicates}))


@router.get(
    "/{person_id}",
    response={200: PersonGetOut, **ERRORS},
    operation_id="person_get",
    url_name="person_get",
)
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    """One person (archived people exist for managers and owners only)."""
    return _out(PersonGetOut, person_get_for_user(user=actor(request), person_id=person_id))


@router.patch(
    "/{person_id}",
    response={200: PersonUpdateOut, **ERRORS},
    operation_id="person_update",
    url_name="person_update",
)
def update_person(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> PersonOut:
    """Change the fields sent; lists sent replace the stored ones (the first is primary)."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    result = person_update(
        actor=actor(request), person=person, **payload.model_dump(exclude_unset=True)
    )
    return _out(PersonUpdateOut, result.person)


@router.post(
    "/{person_id}/archive",
    response={200: PersonArchiveOut, **ERRORS},
    operation_id="person_archive",
    url_name="person_archive",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def archive_person(request: HttpRequest, person_id: int) -> PersonOut:
    """Hide a person from lists and search (managers); restorable."""
    require_role(actor(request), User.Role.MANAGER)
    person = person_get_for_user(user=actor(request), person_id=person_id)
    return _out(PersonArchiveOut, person_archive(actor=actor(request), person=person))


@router.post(
    "/{person_id}/restore",
    response={200: PersonRestoreOut, **ERRORS},
    operation_id="person_restore",
    url_name="person_restore",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def restore_person(request: HttpRequest, person_id: int) -> PersonOut:
    """Bring an archived person back (managers)."""
    require_role(actor(request), User.Role.MANAGER)
    person = person_get_for_user(user=actor(request), person_id=person_id)
    return _out(PersonRestoreOut, person_restore(actor=actor(request), person=person))


@router.delete(
    "/{person_id}",
    response={204: None, **ERRORS},
    operation_id="person_delete",
    url_name="person_delete",
)
def delete_person(request: HttpRequest, person_id: int) -> Status[None]:
    """Delete a person and everything about them, for good (owners)."""
    require_role(actor(request), User.Role.OWNER)
    person = person_get_for_user(user=actor(request), person_id=person_id)
    person_delete(actor=actor(request), person=person)
    return Status(204, None)


@router.put(
    "/{person_id}/user",
    response={200: PersonLinkUserOut, **ERRORS},
    operation_id="person_link_user",
    url_name="person_link_user",
)
def link_user(request: HttpRequest, person_id: int, payload: PersonLinkUserIn) -> PersonOut:
    """Link a login to the person, or unlink it with ``null`` (owners): staff are people too."""
    require_role(actor(request), User.Role.OWNER)
    person = person_get_for_user(user=actor(request), person_id=person_id)
    user = None
    if payload.user_id is not None:
        try:
            user = user_get(actor=actor(request), user_id=payload.user_id)
        except NotFound as exc:
            raise Invalid.field("user_id", _("No such user.")) from exc
    person_link_user(actor=actor(request), person=person, user=user)
    return _out(PersonLinkUserOut, person)


@router.put(
    "/{person_id}/organisations/{organisation_id}",
    response={200: MembershipSetOut, **ERRORS},
    operation_id="membership_set",
    url_name="membership_set",
)
def set_membership(
    request: HttpRequest, person_id: int, organisation_id: int, payload: MembershipSetIn
) -> PersonOut:
    """Put the person in the organisation with a job title (or change the title)."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    org = organisation_get_for_user(user=actor(request), organisation_id=organisation_id)
    membership_set(
        actor=actor(request), person=person, organisation=org, job_title=payload.job_title
    )
    return _out(MembershipSetOut, person)


@router.delete(
    "/{person_id}/organisations/{organisation_id}",
    response={204: None, **ERRORS},
    operation_id="membership_remove",
    url_name="membership_remove",
)
def remove_membership(request: HttpRequest, person_id: int, organisation_id: int) -> Status[None]:
    """Take the person out of the organisation."""
    person = person_get_for_user(user=actor(request), person_id=person_id)
    membership = (
        person.memberships.select_related("organisation", "person")
        .filter(organisation_id=organisation_id)
        .first()
    )
    if membership is None:
        raise NotFound(_("This person is not in that organisation."))
    membership_remove(actor=actor(request), membership=membership)
    return Status(204, None)
