"""Reads of organisations, households, relationships, interests and a person's facts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.core.errors import NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.people.models import (
    Household,
    Interest,
    Membership,
    Organisation,
    Person,
    PersonInterest,
    Relationship,
)
from goodwill.people.normalize import fold, interest_key
from goodwill.people.selectors.persons import Page, clamp_limit, page_by_key


def organisation_get_for_user(*, user: User | None, organisation_id: int) -> Organisation:
    require_role(user, User.Role.STAFF)
    qs = Organisation.objects.all()
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(archived_at=None)
    org = qs.filter(pk=organisation_id).first()
    if org is None:
        raise NotFound(_("No such organisation."))
    return org


def organisation_list(
    *, user: User | None, q: str = "", cursor: str | None = None, limit: int | None = None
) -> Page[Organisation]:
    """Organisations by name (prefix filter with ``q``), keyset-paginated."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit)
    qs = Organisation.objects.filter(archived_at=None).annotate(people_count=Count("memberships"))
    key_q = fold(q)
    if key_q:
        qs = qs.filter(name_key__contains=key_q)
    key = decode_cursor(cursor, types=(str, int))
    if key is not None:
        qs = qs.filter(name_key__gte=key[0]).filter(Q(name_key__gt=key[0]) | Q(id__gt=key[1]))
    rows: list[Organisation] = list(qs.order_by("name_key", "id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].name_key, rows[-1].pk]))
    return Page(rows)


def organisation_members(*, organisation: Organisation, limit: int = 200) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation, person__archived_at=None)
        .select_related("person")
        .order_by("person__sort_key", "person_id")[:limit]
    )


def household_get_for_user(*, user: User | None, household_id: int) -> Household:
    require_role(user, User.Role.STAFF)
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise NotFound(_("No such household."))
    return household


def household_list(
    *, user: User | None, cursor: str | None = None, limit: int | None = None
) -> Page[Household]:
    """Households by name, keyset-paginated."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit)
    qs = Household.objects.annotate(people_count=Count("members"))
    key = decode_cursor(cursor, types=(str, int))
    if key is not None:
        qs = qs.filter(name__gte=key[0]).filter(Q(name__gt=key[0]) | Q(id__gt=key[1]))
    rows: list[Household] = list(qs.order_by("name", "id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].name, rows[-1].pk]))
    return Page(rows)


def household_members(*, household: Household) -> list[Person]:
    return list(household.members.filter(archived_at=None).order_by("sort_key", "id"))


# A relationship whose either side is archived exists only for managers and owners.
ARCHIVED_HIDDEN = Q(from_person__archived_at=None, to_person__archived_at=None)


def relationship_get_for_user(*, user: User | None, relationship_id: int) -> Relationship:
    require_role(user, User.Role.STAFF)
    qs = Relationship.objects.select_related("from_person", "to_person")
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(ARCHIVED_HIDDEN)
    rel = qs.filter(pk=relationship_id).first()
    if rel is None:
        raise NotFound(_("No such relationship."))
    return rel


def relationship_list_for_person(*, person: Person) -> list[Relationship]:
    """Both directions, each able to say how the other person relates to ``person``.

    Ties to archived people are left out, as archived people are left out of every list.
    """
    return list(
        Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))
        .filter(ARCHIVED_HIDDEN)
        .select_related("from_person", "to_person")
        .order_by("kind", "id")
    )


def relationship_list(
    *,
    user: User | None,
    person_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Relationship]:
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit)
    qs = Relationship.objects.select_related("from_person", "to_person")
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(ARCHIVED_HIDDEN)
    if person_id:
        qs = qs.filter(Q(from_person_id=person_id) | Q(to_person_id=person_id))
    key = decode_cursor(cursor, types=(int,))
    if key is not None:
        qs = qs.filter(id__gt=key[0])
    rows = list(qs.order_by("id")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].pk]))
    return Page(rows)


def person_interest_list(*, person: Person) -> list[PersonInterest]:
    """A person's likes then dislikes, each with its source and who noted it."""
    return list(
        PersonInterest.objects.filter(person=person)
        .select_related("interest", "noted_by")
        .order_by("attitude", "interest__key")
    )


def person_interest_get_for_user(*, user: User | None, person_interest_id: int) -> PersonInterest:
    require_role(user, User.Role.STAFF)
    pi = (
        PersonInterest.objects.select_related("interest", "person")
        .filter(pk=person_interest_id, person__archived_at=None)
        .first()
    )
    if pi is None:
        raise NotFound(_("No such interest."))
    return pi


def interest_list(
    *, user: User | None, q: str = "", cursor: str | None = None, limit: int | None = None
) -> Page[Interest]:
    """The shared vocabulary by key, with how many people like each."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit)
    qs: QuerySet[Interest] = Interest.objects.all()
    if q:
        qs = qs.filter(key__startswith=interest_key(q))
    return page_by_key(qs, cursor, limit)


def interest_get_for_user(*, user: User | None, interest_id: int) -> Interest:
    require_role(user, User.Role.STAFF)
    interest = Interest.objects.filter(pk=interest_id).first()
    if interest is None:
        raise NotFound(_("No such interest."))
    return interest
