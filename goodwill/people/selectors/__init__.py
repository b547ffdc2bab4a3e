"""Every read of people and what is known about them."""

from goodwill.people.selectors.connections import Connection, person_connections
from goodwill.people.selectors.persons import (
    Page,
    person_detail_related,
    person_find_duplicates,
    person_get_for_user,
    person_list,
    person_options,
)
from goodwill.people.selectors.records import (
    household_get_for_user,
    household_list,
    household_members,
    interest_get_for_user,
    interest_list,
    organisation_get_for_user,
    organisation_list,
    organisation_members,
    person_interest_get_for_user,
    person_interest_list,
    relationship_get_for_user,
    relationship_list,
    relationship_list_for_person,
)
from goodwill.people.selectors.search import (
    person_search,
    person_search_archived,
    person_search_ids,
)
from goodwill.people.selectors.tags import (
    person_tag_list,
    person_tag_names,
    tag_get_by_name,
    tag_get_for_user,
    tag_list,
    tag_options,
)

__all__ = [
    "Connection",
    "Page",
    "household_get_for_user",
    "household_list",
    "household_members",
    "interest_get_for_user",
    "interest_list",
    "organisation_get_for_user",
    "organisation_list",
    "organisation_members",
    "person_connections",
    "person_detail_related",
    "person_find_duplicates",
    "person_get_for_user",
    "person_interest_get_for_user",
    "person_interest_list",
    "person_list",
    "person_options",
    "person_search",
    "person_search_archived",
    "person_search_ids",
    "person_tag_list",
    "person_tag_names",
    "relationship_get_for_user",
    "relationship_list",
    "relationship_list_for_person",
    "tag_get_by_name",
    "tag_get_for_user",
    "tag_list",
    "tag_options",
]
