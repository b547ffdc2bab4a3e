"""Reads of people: one person for a user, keyset-paginated lists, possible duplicates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from goodwill.accounts.models import User
from goodwill.accounts.permissions import has_role, require_role
from goodwill.core.errors import NotFound
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.people import list_filters
from goodwill.people.models import (
    Interest,
    Membership,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonRole,
    PersonTag,
    Tag,
)
from goodwill.people.normalize import fold, interest_key, name_keys
from goodwill.people.selectors.list_imports import imported_people_condition

T = TypeVar("T")
M = TypeVar("M", Interest, Tag)  # a vocabulary: a unique ``key`` to page by
MAX_LIMIT = 200


@dataclass
class Page(Generic[T]):
    """One page of a keyset-paginated list; ``next_cursor`` is None on the last page."""

    items: list[T]
    next_cursor: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def clamp_limit(limit: int | None, default: int = 50) -> int:
    return max(1, min(MAX_LIMIT, limit or default))


def page_by_key(qs: QuerySet[M], cursor: str | None, limit: int) -> Page[M]:
    """A keyset page of a vocabulary (interests, tags) in the order of its unique ``key``."""
    key = decode_cursor(cursor, types=(str,))
    if key is not None:
        qs = qs.filter(key__gt=key[0])
    rows = list(qs.order_by("key")[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, encode_cursor([rows[-1].key]))
    return Page(rows)


def list_prefetches() -> list[Prefetch[Any]]:
    """What a list row shows besides the person: roles, organisations and tags, as the plain
    lists ``role_list``, ``membership_list`` and ``tag_link_list`` (three queries a page, however
    many people it holds). Plain lists, not the related managers' caches: those build a queryset
    for every person and lookup, which cost more than the page's queries themselves."""
    return [
        Prefetch("roles", queryset=PersonRole.objects.order_by("role"), to_attr="role_list"),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation"),
            to_attr="membership_list",
        ),
        Prefetch(
            "tag_links",
            queryset=PersonTag.objects.select_related("tag").order_by("tag__key"),
            to_attr="tag_link_list",
        ),
    ]


def with_list_data(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.prefetch_related(*list_prefetches())


def person_get_for_user(*, user: User | None, person_id: int) -> Person:
    """One person; archived people exist only for managers and owners."""
    require_role(user, User.Role.STAFF)
    qs = Person.objects.select_related("household", "user", "created_by")
    if not has_role(user, User.Role.MANAGER):
        qs = qs.filter(archived_at=None)
    person = qs.filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def person_detail_related(person: Person) -> Person:
    """Load what the person page shows of the person itself (emails, phones, roles, orgs)."""
    person.email_list = list(PersonEmail.objects.filter(person=person))
    person.phone_list = list(PersonPhone.objects.filter(person=person))
    person.role_list = list(PersonRole.objects.filter(person=person).order_by("role"))
    person.membership_list = list(
        Membership.objects.filter(person=person).select_related("organisation")
    )
    return person


def person_list(
    *,
    user: User | None,
    role: str | None = None,
    interest: str | None = None,
    organisation_id: int | None = None,
    household_id: int | None = None,
    archived: bool = False,
    extra: Mapping[str, str] | None = None,
    import_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Person]:
    """People in name order, filtered; keyset pages so page 1,000 costs what page 1 does.
    ``extra`` holds the values of filters other apps registered (``people.list_filters``);
    ``import_id`` keeps the people that import added or changed (managers and owners)."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit)
    qs = Person.objects.all()
    if archived and has_role(user, User.Role.MANAGER):
        qs = qs.filter(archived_at__isnull=False)
    else:
        qs = qs.filter(archived_at=None)
    if role:
        qs = qs.filter(Exists(PersonRole.objects.filter(person=OuterRef("pk"), role=role)))
    if interest:
        qs = qs.filter(
            Exists(
                PersonInterest.objects.filter(
                    person=OuterRef("pk"),
                    interest__key=interest_key(interest),
                    attitude=PersonInterest.Attitude.LIKES,
                )
            )
        )
    if organisation_id:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(person=OuterRef("pk"), organisation_id=organisation_id)
            )
        )
    if household_id:
        qs = qs.filter(household_id=household_id)
    for condition in list_filters.conditions(extra or {}):
        qs = qs.filter(condition)
    if import_id:
        qs = qs.filter(imported_people_condition(user=user, import_id=import_id))
    key = decode_cursor(cursor, types=(str, int))
    if key is not None:
        qs = qs.filter(sort_key__gte=key[0]).filter(Q(sort_key__gt=key[0]) | Q(id__gt=key[1]))
    rows = list(with_list_data(qs.order_by("sort_key", "id"))[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].sort_key, rows[-1].pk])
    return Page(items=rows, next_cursor=next_cursor)


def person_find_duplicates(
    *,
    given_name: str,
    family_name: str,
    emails: Sequence[str],
    phones: Sequence[str],
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Person]:
    """People who may be the same: same normalised email or phone, or the same full name."""
    cond = Q(pk__in=PersonEmail.objects.filter(email__in=list(emails)).values("person_id"))
    cond |= Q(pk__in=PersonPhone.objects.filter(e164__in=list(phones)).values("person_id"))
    sort_key, _family = name_keys(given_name, family_name)
    if given_name and family_name:
        cond |= Q(sort_key=sort_key)
    qs = Person.objects.filter(cond, archived_at=None)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("sort_key", "id")[:limit])


def person_options(*, user: User | None, q: str, limit: int = 10) -> list[Person]:
    """A short name-prefix list for pickers ("relate to …")."""
    require_role(user, User.Role.STAFF)
    key = fold(q)
    if not key:
        return []
    from goodwill.people.selectors.search import person_search

    return person_search(user=user, q=key, limit=limit).items
