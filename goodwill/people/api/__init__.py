"""The people API's routers, mounted by ``goodwill.api`` under /api/v1/."""

from goodwill.people.api.links import (
    interests_router,
    person_interests_router,
    relationships_router,
)
from goodwill.people.api.persons import router as people_router
from goodwill.people.api.records import households_router, organisations_router
from goodwill.people.api.tags import person_tags_router, tags_router

__all__ = [
    "households_router",
    "interests_router",
    "organisations_router",
    "people_router",
    "person_interests_router",
    "person_tags_router",
    "relationships_router",
    "tags_router",
]
