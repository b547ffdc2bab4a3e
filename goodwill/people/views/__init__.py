"""Web pages for people, their facts, organisations and households."""

from goodwill.people.views.facts import (
    membership_add,
    membership_remove,
    person_interest_add,
    person_interest_remove,
    relationship_add,
    relationship_remove,
)
from goodwill.people.views.households import (
    household_create,
    household_detail,
    household_edit,
    household_list,
    household_member_add,
    household_member_remove,
)
from goodwill.people.views.organisations import (
    organisation_create,
    organisation_detail,
    organisation_edit,
    organisation_list,
)
from goodwill.people.views.persons import (
    person_archive,
    person_create,
    person_delete,
    person_detail,
    person_edit,
    person_list,
    person_restore,
)

__all__ = [
    "household_create",
    "household_detail",
    "household_edit",
    "household_list",
    "household_member_add",
    "household_member_remove",
    "membership_add",
    "membership_remove",
    "organisation_create",
    "organisation_detail",
    "organisation_edit",
    "organisation_list",
    "person_archive",
    "person_create",
    "person_delete",
    "person_detail",
    "person_edit",
    "person_interest_add",
    "person_interest_remove",
    "person_list",
    "person_restore",
    "relationship_add",
    "relationship_remove",
]
