"""Every write to people, organisations, households, relationships and interests."""

from goodwill.people.services.households import (
    household_add_member,
    household_create,
    household_delete,
    household_remove_member,
    household_update,
)
from goodwill.people.services.interests import (
    interest_create,
    interest_delete,
    interest_get_or_create,
    interest_update,
    person_interest_add,
    person_interest_remove,
)
from goodwill.people.services.organisations import (
    membership_remove,
    membership_set,
    organisation_archive,
    organisation_create,
    organisation_delete,
    organisation_update,
)
from goodwill.people.services.persons import (
    PersonResult,
    person_archive,
    person_create,
    person_delete,
    person_link_user,
    person_reindex,
    person_restore,
    person_update,
)
from goodwill.people.services.relationships import (
    KIND_CHOICES,
    relationship_create,
    relationship_delete,
    relationship_update,
)

__all__ = [
    "KIND_CHOICES",
    "PersonResult",
    "household_add_member",
    "household_create",
    "household_delete",
    "household_remove_member",
    "household_update",
    "interest_create",
    "interest_delete",
    "interest_get_or_create",
    "interest_update",
    "membership_remove",
    "membership_set",
    "organisation_archive",
    "organisation_create",
    "organisation_delete",
    "organisation_update",
    "person_archive",
    "person_create",
    "person_delete",
    "person_interest_add",
    "person_interest_remove",
    "person_link_user",
    "person_reindex",
    "person_restore",
    "person_update",
    "relationship_create",
    "relationship_delete",
    "relationship_update",
]
