"""Reads of occasions: one for a user, those of a person, couple or household, who an occasion is
for and how to address them, and the yearly memory of what we did."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.core.errors import NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.occasions.models import Occasion, OccasionTouch, OccasionYear
from goodwill.people.models import Household, Person, Relationship
from goodwill.people.selectors import Page
from goodwill.people.selectors.persons import clamp_limit

# An occasion of an archived person (or of a couple with an archived side) exists only for
# managers and owners, like the person.
ARCHIVED_HIDDEN = Q(person__archived_at=None) & Q(
    relationship__from_person__archived_at=None, relationship__to_person__archived_at=None
)


def _visible(user: User | None) -> QuerySet[Occasion]:
    require_role(user, User.Role.STAFF)
    qs = Occasion.objects.select_related(
        "person", "relationship__from_person", "relationship__to_person", "household"
    )
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(ARCHIVED_HIDDEN)
    return qs


def occasion_get(*, user: User | None, id: int) -> Occasion:
    """One occasion; those of archived people exist only for managers and owners."""
    occasion = _visible(user).filter(pk=id).first()
    if occasion is None:
        raise NotFound(_("No such occasion."))
    return occasion


def occasions_for(
    *,
    user: User | None,
    person: Person | None = None,
    relationship: Relationship | None = None,
    household: Household | None = None,
) -> list[Occasion]:
    """The occasions owned by exactly the given person, couple or household, in calendar order."""
    qs = _visible(user)
    if person is not None:
        qs = qs.filter(person=person)
    if relationship is not None:
        qs = qs.filter(relationship=relationship)
    if household is not None:
        qs = qs.filter(household=household)
    return list(qs.order_by("md", "id"))


def occasion_list(
    *,
    user: User | None,
    person_id: int | None = None,
    relationship_id: int | None = None,
    household_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Occasion]:
    """Occasions in calendar order (month, day, id), keyset-paginated; filters by owner."""
    limit = clamp_limit(limit)
    qs = _visible(user)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if relationship_id is not None:
        qs = qs.filter(relationship_id=relationship_id)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    key = decode_cursor(cursor, types=(int, int))
    if key is not None:
        qs = qs.filter(Q(md__gt=key[0]) | Q(md=key[0], id__gt=key[1]))
    rows = list(qs.order_by("md", "id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].md, rows[-1].pk]))
    return Page(rows)


def occasion_people(occasion: Occasion) -> list[Person]:
    """Who the occasion is for: the person, both of a couple, or a household's members (archived
    people left out, except the one person an occasion belongs to)."""
    if occasion.person_id is not None:
        return [occasion.person] if occasion.person is not None else []
    if occasion.relationship is not None:
        rel = occasion.relationship
        return [p for p in (rel.from_person, rel.to_person) if p.archived_at is None]
    if occasion.household_id is not None:
        members = getattr(occasion, "member_list", None)
        if members is None:
            members = list(
                Person.objects.filter(
                    household_id=occasion.household_id, archived_at=None
                ).order_by("sort_key", "id")
            )
        return list(members)
    return []


def call_names(people: list[Person]) -> str:
    """“Anne”, “Anne and Ben”, “Anne, Ben and Lily”."""
    return join_names([p.call_name for p in people])


def join_names(names: list[str]) -> str:
    """“Anne”, “Anne and Ben”, “Anne, Ben and Lily”."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def occasion_call_names(occasion: Occasion) -> str:
    """How to address everyone the occasion is for, by the names they like to be called."""
    return call_names(occasion_people(occasion))


def occasion_history(*, occasion: Occasion) -> list[OccasionYear]:
    """What we did for ``occasion`` each year, newest first, with the touches of each year."""
    touches = OccasionTouch.objects.select_related("created_by").order_by("occurred_at", "id")
    return list(
        OccasionYear.objects.filter(occasion=occasion)
        .select_related("done_by")
        .prefetch_related(Prefetch("touches", queryset=touches))
        .order_by("-year")
    )


def occasion_touch_get(*, user: User | None, id: int) -> OccasionTouch:
    """One thing we did for an occasion; hidden like its occasion."""
    require_role(user, User.Role.STAFF)
    qs = OccasionTouch.objects.select_related("record__occasion__relationship")
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(
            Q(record__occasion__person__archived_at=None)
            & Q(
                record__occasion__relationship__from_person__archived_at=None,
                record__occasion__relationship__to_person__archived_at=None,
            )
        )
    touch = qs.filter(pk=id).first()
    if touch is None:
        raise NotFound(_("No such touch."))
    return touch
