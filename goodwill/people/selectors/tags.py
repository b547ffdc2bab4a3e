"""Reads of tags: all of them with counts, one person's, many people's at once, and the people
list's ``?tag=`` filter."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import NotFound
from goodwill.people.list_filters import ListFilter
from goodwill.people.models import PersonTag, StrOrPromise, Tag
from goodwill.people.normalize import tag_key
from goodwill.people.selectors.persons import MAX_LIMIT, Page, clamp_limit, page_by_key


def tag_list(
    *, user: User | None, q: str = "", cursor: str | None = None, limit: int | None = None
) -> Page[Tag]:
    """Every tag by name (``q``: those starting with it), with how many people have it; keyset
    pages over the unique key, so the count is read, never counted."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit)
    qs = Tag.objects.all()
    if q.strip():
        qs = qs.filter(key__startswith=tag_key(q))
    return page_by_key(qs, cursor, limit)


def tag_get_for_user(*, user: User | None, tag_id: int) -> Tag:
    require_role(user, User.Role.STAFF)
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise NotFound(_("No such tag."))
    return tag


def tag_get_by_name(*, user: User | None, name: str) -> Tag:
    """The tag called ``name`` in any spelling ("vip " finds "VIP"); NotFound naming it."""
    require_role(user, User.Role.STAFF)
    tag = Tag.objects.filter(key=tag_key(name)).first() if tag_key(name) else None
    if tag is None:
        raise NotFound(_("No tag is called “%(name)s”.") % {"name": name.strip()[:100]})
    return tag


def person_tag_list(*, person_id: int) -> list[PersonTag]:
    """One person's tags by name, each with its source, who added it and when."""
    return list(
        PersonTag.objects.filter(person_id=person_id)
        .select_related("tag", "added_by")
        .order_by("tag__key")
    )


def person_tag_names(*, person_ids: Collection[int]) -> dict[int, list[str]]:
    """The tag names (by name) of each of ``person_ids`` that has any, in one query: an
    export's chunk of people, say. People without tags are left out of the dict."""
    names: dict[int, list[str]] = {}
    rows = (
        PersonTag.objects.filter(person_id__in=list(person_ids))
        .order_by("person_id", "tag__key")
        .values_list("person_id", "tag__name")
    )
    for person_id, name in rows:
        names.setdefault(person_id, []).append(name)
    return names


def tag_options(limit: int = MAX_LIMIT) -> list[tuple[str, StrOrPromise]]:
    """The names to suggest where a tag is typed (a datalist): the first ``limit`` by name."""
    names = Tag.objects.order_by("key").values_list("name", flat=True)[:limit]
    return [(name, name) for name in names]


# Up to this many people, "everyone tagged X" is read through the tag's index and sorted by
# name; above it, the list walks people in name order and probes each (a common tag: the first
# page is found within the first few thousand people).
FEW_PEOPLE = 10_000


def tag_condition(name: str) -> Q:
    """People who have the tag called ``name`` in any spelling (nobody for an unknown name).

    One query finds the tag and its count, which chooses how the list reads the links: a
    rare tag's few people through the (tag, person) index, a common tag's by probing the
    (person, tag) index as people are walked in name order. Either way a page costs about the
    same at a thousand people or a million."""
    found = Tag.objects.filter(key=tag_key(name)).values_list("id", "people_count").first()
    if found is None:
        return Q(pk__in=[])
    tag_id, people_count = found
    if people_count <= FEW_PEOPLE:
        return Q(pk__in=PersonTag.objects.filter(tag_id=tag_id).values("person_id"))
    return Q(Exists(PersonTag.objects.filter(person=OuterRef("pk"), tag_id=tag_id)))


def tag_filter() -> ListFilter:
    """``?tag=NAME`` on the people list, the people API and the export: any spelling of a tag's
    name, suggested from the tags there are."""
    return ListFilter(
        name="tag",
        label=gettext_lazy("Tag"),
        any_label=gettext_lazy("Any tag"),
        choices=tag_options,
        condition=tag_condition,
        free_text=True,
    )
