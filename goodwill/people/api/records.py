"""Organisation and household endpoints."""

from django.http import HttpRequest
from ninja import Router, Status

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.api import ERRORS, IDEMPOTENT, idempotent, limit_query, page_out
from goodwill.people.api.persons import actor
from goodwill.people.api.schemas import (
    HouseholdCreateIn,
    HouseholdCreateOut,
    HouseholdGetOut,
    HouseholdListOut,
    HouseholdOut,
    HouseholdUpdateIn,
    HouseholdUpdateOut,
    OrganisationArchiveOut,
    OrganisationCreateIn,
    OrganisationCreateOut,
    OrganisationGetOut,
    OrganisationListOut,
    OrganisationOut,
    OrganisationRestoreOut,
    OrganisationUpdateIn,
    OrganisationUpdateOut,
)
from goodwill.people.selectors import (
    household_get_for_user,
    household_list,
    organisation_get_for_user,
    organisation_list,
)
from goodwill.people.services import (
    household_create,
    household_delete,
    household_update,
    organisation_archive,
    organisation_create,
    organisation_delete,
    organisation_update,
)

organisations_router = Router(tags=["organisations"])
households_router = Router(tags=["households"])


@organisations_router.get(
    "",
    response={200: OrganisationListOut, **ERRORS},
    operation_id="organisation_list",
    url_name="organisation_list",
)
def list_organisations(
    request: HttpRequest,
    q: str = "",
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> OrganisationListOut:
    """Organisations by name; ``q`` keeps those whose name contains it."""
    page = organisation_list(user=actor(request), q=q, cursor=cursor, limit=limit)
    return page_out(OrganisationListOut, page)


@organisations_router.post(
    "",
    response={201: OrganisationCreateOut, **ERRORS},
    operation_id="organisation_create",
    url_name="organisation_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_organisation(
    request: HttpRequest, payload: OrganisationCreateIn
) -> Status[OrganisationOut]:
    """Add an organisation (a company, a supplier)."""
    org = organisation_create(actor=actor(request), **payload.model_dump())
    return Status(201, OrganisationCreateOut.from_orm(org))


@organisations_router.get(
    "/{organisation_id}",
    response={200: OrganisationGetOut, **ERRORS},
    operation_id="organisation_get",
    url_name="organisation_get",
)
def get_organisation(request: HttpRequest, organisation_id: int) -> OrganisationOut:
    """One organisation (archived ones for managers and owners only)."""
    org = organisation_get_for_user(user=actor(request), organisation_id=organisation_id)
    return OrganisationGetOut.from_orm(org)


@organisations_router.patch(
    "/{organisation_id}",
    response={200: OrganisationUpdateOut, **ERRORS},
    operation_id="organisation_update",
    url_name="organisation_update",
)
def update_organisation(
    request: HttpRequest, organisation_id: int, payload: OrganisationUpdateIn
) -> OrganisationOut:
    """Change the fields sent."""
    org = organisation_get_for_user(user=actor(request), organisation_id=organisation_id)
    org = organisation_update(
        actor=actor(request), organisation=org, **payload.model_dump(exclude_unset=True)
    )
    return OrganisationUpdateOut.from_orm(org)


@organisations_router.post(
    "/{organisation_id}/archive",
    response={200: OrganisationArchiveOut, **ERRORS},
    operation_id="organisation_archive",
    url_name="organisation_archive",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def archive_organisation(request: HttpRequest, organisation_id: int) -> OrganisationOut:
    """Hide an organisation from lists (managers); restorable."""
    require_role(actor(request), User.Role.MANAGER)
    org = organisation_get_for_user(user=actor(request), organisation_id=organisation_id)
    org = organisation_archive(actor=actor(request), organisation=org, archived=True)
    return OrganisationArchiveOut.from_orm(org)


@organisations_router.post(
    "/{organisation_id}/restore",
    response={200: OrganisationRestoreOut, **ERRORS},
    operation_id="organisation_restore",
    url_name="organisation_restore",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def restore_organisation(request: HttpRequest, organisation_id: int) -> OrganisationOut:
    """Bring an archived organisation back (managers)."""
    require_role(actor(request), User.Role.MANAGER)
    org = organisation_get_for_user(user=actor(request), organisation_id=organisation_id)
    org = organisation_archive(actor=actor(request), organisation=org, archived=False)
    return OrganisationRestoreOut.from_orm(org)


@organisations_router.delete(
    "/{organisation_id}",
    response={204: None, **ERRORS},
    operation_id="organisation_delete",
    url_name="organisation_delete",
)
def delete_organisation(request: HttpRequest, organisation_id: int) -> Status[None]:
    """Delete an organisation (owners); its people stay, without this membership."""
    require_role(actor(request), User.Role.OWNER)
    org = organisation_get_for_user(user=actor(request), organisation_id=organisation_id)
    organisation_delete(actor=actor(request), organisation=org)
    return Status(204, None)


@households_router.get(
    "",
    response={200: HouseholdListOut, **ERRORS},
    operation_id="household_list",
    url_name="household_list",
)
def list_households(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int | None = limit_query(),
) -> HouseholdListOut:
    """Households by name."""
    page = household_list(user=actor(request), cursor=cursor, limit=limit)
    return page_out(HouseholdListOut, page)


@households_router.post(
    "",
    response={201: HouseholdCreateOut, **ERRORS},
    operation_id="household_create",
    url_name="household_create",
    openapi_extra=IDEMPOTENT,
)
@idempotent
def create_household(request: HttpRequest, payload: HouseholdCreateIn) -> Status[HouseholdOut]:
    """Add a household, optionally moving people into it."""
    household = household_create(actor=actor(request), **payload.model_dump())
    return Status(201, HouseholdCreateOut.from_orm(household))


@households_router.get(
    "/{household_id}",
    response={200: HouseholdGetOut, **ERRORS},
    operation_id="household_get",
    url_name="household_get",
)
def get_household(request: HttpRequest, household_id: int) -> HouseholdOut:
    """One household."""
    household = household_get_for_user(user=actor(request), household_id=household_id)
    return HouseholdGetOut.from_orm(household)


@households_router.patch(
    "/{household_id}",
    response={200: HouseholdUpdateOut, **ERRORS},
    operation_id="household_update",
    url_name="household_update",
)
def update_household(
    request: HttpRequest, household_id: int, payload: HouseholdUpdateIn
) -> HouseholdOut:
    """Change the fields sent (name, shared address, notes)."""
    household = household_get_for_user(user=actor(request), household_id=household_id)
    household = household_update(
        actor=actor(request), household=household, **payload.model_dump(exclude_unset=True)
    )
    return HouseholdUpdateOut.from_orm(household)


@households_router.delete(
    "/{household_id}",
    response={204: None, **ERRORS},
    operation_id="household_delete",
    url_name="household_delete",
)
def delete_household(request: HttpRequest, household_id: int) -> Status[None]:
    """Dissolve a household (managers); its people stay."""
    require_role(actor(request), User.Role.MANAGER)
    household = household_get_for_user(user=actor(request), household_id=household_id)
    household_delete(actor=actor(request), household=household)
    return Status(204, None)
