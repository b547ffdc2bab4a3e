"""Writes to tags: the business's own labels on people, one person at a time (web, API, command
line) or many at once (imports), and renaming or deleting a tag for everyone (managers).

Whoever may edit a person may tag them and take a tag off; a tag is created by its first use.
``Tag.people_count`` moves with every link added or removed here, so the tags page reads counts
instead of counting a million links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from goodwill.accounts.audit import audit_record
from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.errors import Conflict, Invalid, NotFound
from goodwill.people.models import FactSource, Person, PersonTag, Tag
from goodwill.people.normalize import TAG_MAX_LENGTH, tag_display, tag_key
from goodwill.people.services.bulk_sql import db_value, insert_rows
from goodwill.people.services.person_input import clean_source

DETAIL_MAX_LENGTH = 300
BULK_CHUNK = 1000  # people per transaction of ``person_tag_bulk_add``
# The columns the bulk path writes, as plain rows (``bulk_sql.insert_rows``).
LINK_FIELDS = ("person_id", "tag_id", "source", "source_detail", "added_by_id", "added_at")


def tag_name_clean(name: str, field: str = "name") -> tuple[str, str]:
    """``(display name, key)`` of a tag name; Invalid on ``field`` when it is empty after
    trimming or longer than the limit."""
    display = tag_display(name)
    if not display or not tag_key(display):
        raise Invalid.field(field, _("Enter a tag."))
    if len(display) > TAG_MAX_LENGTH:
        raise Invalid.field(field, _("At most %(n)d characters.") % {"n": TAG_MAX_LENGTH})
    return display, tag_key(display)


def _origin(source: str, source_detail: str) -> tuple[str, str]:
    detail = (source_detail or "").strip()
    if len(detail) > DETAIL_MAX_LENGTH:
        raise Invalid.field(
            "source_detail", _("At most %(n)d characters.") % {"n": DETAIL_MAX_LENGTH}
        )
    return clean_source(source), detail


def _count(tag_id: int, delta: int) -> None:
    """Add ``delta`` to the tag's count, never below 0 (a recount may have run meanwhile)."""
    if delta:
        Tag.objects.filter(pk=tag_id).update(people_count=Greatest(F("people_count") + delta, 0))


def person_tags_add(
    *,
    actor: User | None,
    person: Person,
    names: Sequence[str],
    source: str = FactSource.TOLD_US,
    source_detail: str = "",
) -> list[PersonTag]:
    """Tag ``person`` with each of ``names`` in any spelling (whoever may edit a person): every
    name is checked before anything is written; a tag they already have is kept as it was.
    Returns the links in the order of ``names``, one per distinct tag."""
    require_role(actor, User.Role.STAFF)
    cleaned: dict[str, str] = {}  # key -> the name as first typed
    for name in names:
        display, key = tag_name_clean(name)
        cleaned.setdefault(key, display)
    if not cleaned:
        raise Invalid.field("name", _("Enter a tag."))
    source, detail = _origin(source, source_detail)
    links = []
    with transaction.atomic():
        for key, display in cleaned.items():
            tag, _created = Tag.objects.get_or_create(key=key, defaults={"name": display})
            link, created = PersonTag.objects.get_or_create(
                person=person,
                tag=tag,
                defaults={
                    "source": source,
                    "source_detail": detail,
                    "added_by": actor,
                    "added_at": timezone.now(),
                },
            )
            link.person, link.tag = person, tag
            if created:
                _count(tag.pk, 1)
                _audit_added(actor, link)
            links.append(link)
    return links


def _audit_added(actor: User | None, link: PersonTag) -> None:
    changes = {"tag": [None, link.tag.name]}
    if link.source != FactSource.TOLD_US or link.source_detail:
        changes |= {"source": [None, link.source], "source_detail": [None, link.source_detail]}
    audit_record(
        actor=actor,
        action="person_tag.add",
        target=link,
        person_id=link.person_id,
        changes=changes,
    )


def person_tag_add(
    *,
    actor: User | None,
    person: Person,
    name: str,
    source: str = FactSource.TOLD_US,
    source_detail: str = "",
) -> PersonTag:
    """Tag ``person`` with ``name`` (see ``person_tags_add``)."""
    return person_tags_add(
        actor=actor, person=person, names=[name], source=source, source_detail=source_detail
    )[0]


def person_tags_remove(*, actor: User | None, person: Person, tags: Sequence[Tag]) -> None:
    """Take ``tags`` off ``person`` (whoever may edit a person); NotFound naming the first tag
    they do not have, and then nothing is removed."""
    require_role(actor, User.Role.STAFF)
    with transaction.atomic():
        found = {
            link.tag_id: link
            for link in PersonTag.objects.filter(person=person, tag__in=list(tags))
        }
        for tag in tags:
            if tag.pk not in found:
                message = _("%(person)s is not tagged “%(tag)s”.")
                raise NotFound(message % {"person": person.full_name, "tag": tag.name})
        for tag in {t.pk: t for t in tags}.values():
            link = found[tag.pk]
            link.person, link.tag = person, tag  # the audit entry's label, without queries
            audit_record(
                actor=actor,
                action="person_tag.remove",
                target=link,
                person_id=person.pk,
                changes={"tag": [tag.name, None]},
            )
            deleted, _by_model = PersonTag.objects.filter(pk=link.pk).delete()
            _count(tag.pk, -deleted)


def person_tag_remove(*, actor: User | None, person: Person, tag: Tag) -> None:
    """Take ``tag`` off ``person`` (see ``person_tags_remove``)."""
    person_tags_remove(actor=actor, person=person, tags=[tag])


def tag_counts_refresh(tag_ids: Iterable[int]) -> None:
    """Recount how many people have each of these tags (after links went with a person who was
    deleted, erased or merged, which the cascade does not count)."""
    ids = list(set(tag_ids))
    if not ids:
        return
    # Counted in the UPDATE itself, so a link added or removed meanwhile is never lost.
    links = (
        PersonTag.objects.filter(tag_id=OuterRef("pk"))
        .order_by()
        .values("tag_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    Tag.objects.filter(pk__in=ids).update(people_count=Coalesce(Subquery(links), 0))


def _merge(actor: User | None, tag: Tag, into: Tag) -> Tag:
    """Move ``tag``'s links to ``into`` (kept as they were where someone has both), then delete
    ``tag``; returns ``into``, recounted."""
    theirs = PersonTag.objects.filter(tag=into).values("person_id")
    moved = PersonTag.objects.filter(tag=tag).exclude(person_id__in=theirs).update(tag=into)
    audit_record(
        actor=actor,
        action="tag.merge",
        target=into,
        changes={
            "name": [tag.name, into.name],
            "tag_id": [tag.pk, into.pk],
            "people_moved": [None, moved],
        },
    )
    PersonTag.objects.filter(tag=tag).delete()
    tag.delete()
    tag_counts_refresh([into.pk])
    into.refresh_from_db(fields=["people_count"])
    return into


def tag_rename(*, actor: User | None, tag: Tag, name: str) -> Tag:
    """Rename a tag for everyone (managers). When the new name is another tag's in any spelling,
    this tag is merged into that one, which keeps its name and is returned."""
    require_role(actor, User.Role.MANAGER)
    display, key = tag_name_clean(name)
    with transaction.atomic():
        other = Tag.objects.select_for_update().filter(key=key).exclude(pk=tag.pk).first()
        if other is not None:
            return _merge(actor, tag, other)
        if display == tag.name:
            return tag
        before, before_key = tag.name, tag.key
        tag.name, tag.key = display, key
        try:
            with transaction.atomic():
                tag.save(update_fields=["name", "key"])
        except IntegrityError as exc:  # another tag took the name meanwhile
            tag.name, tag.key = before, before_key
            message = _("Another tag is already called “%(name)s”.") % {"name": display}
            raise Conflict(message, fields={"name": [message]}) from exc
        audit_record(
            actor=actor, action="tag.rename", target=tag, changes={"name": [before, display]}
        )
    return tag


def tag_delete(*, actor: User | None, tag: Tag) -> int:
    """Delete a tag and take it off everyone (managers); returns how many people had it."""
    require_role(actor, User.Role.MANAGER)
    with transaction.atomic():
        removed, _by_model = PersonTag.objects.filter(tag=tag).delete()
        audit_record(
            actor=actor,
            action="tag.delete",
            target=tag,
            changes={"name": [tag.name, None], "people": [removed, None]},
        )
        tag.delete()
    return removed


def _chunks(
    pairs: Iterable[tuple[int, Iterable[str]]], size: int
) -> Iterable[list[tuple[int, list[str]]]]:
    it = ((int(pid), list(names)) for pid, names in pairs)
    while chunk := list(islice(it, size)):
        yield chunk


def _stored_tags(names: dict[str, str]) -> dict[str, tuple[int, str]]:
    """The id and stored name of the tag for each key of ``names`` (key -> name as typed),
    creating the missing ones: two queries, three when some are new."""
    found = Tag.objects.filter(key__in=list(names)).values_list("key", "id", "name")
    tags = {key: (pk, name) for key, pk, name in found}
    missing = [Tag(key=key, name=name) for key, name in names.items() if key not in tags]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        created = Tag.objects.filter(key__in=[t.key for t in missing])
        tags |= {key: (pk, name) for key, pk, name in created.values_list("key", "id", "name")}
    return tags


def _wanted(
    chunk: list[tuple[int, list[str]]],
) -> tuple[dict[str, str], dict[int, set[str]]]:
    """The tags a chunk names (key -> name as first typed) and each person's tag keys, every
    name checked first; Invalid names the person of a bad one."""
    wanted: dict[str, str] = {}
    keys_of: dict[int, set[str]] = {}
    for person_id, names in chunk:
        for name in names:
            try:
                display, key = tag_name_clean(name, field="tags")
            except Invalid as exc:
                message = _("person %(id)d: %(reason)s") % {"id": person_id, "reason": exc.message}
                raise Invalid(message, fields=exc.fields) from exc
            wanted.setdefault(key, display)
            keys_of.setdefault(person_id, set()).add(key)
    return wanted, keys_of


def _bulk_chunk(
    actor: User | None, chunk: list[tuple[int, list[str]]], origin: tuple[str, str]
) -> int:
    """Tag one chunk of people in one short transaction; returns the links added."""
    wanted, keys_of = _wanted(chunk)
    if not wanted:
        return 0
    with transaction.atomic():
        tags = _stored_tags(wanted)
        have = set(
            PersonTag.objects.filter(
                person_id__in=list(keys_of), tag_id__in=[pk for pk, _name in tags.values()]
            ).values_list("person_id", "tag_id")
        )
        added_at = db_value(PersonTag, "added_at", timezone.now())
        actor_id = actor.pk if actor is not None else None
        new = [
            (person_id, tags[key][0], *origin, actor_id, added_at)
            for person_id, keys in keys_of.items()
            for key in sorted(keys)
            if (person_id, tags[key][0]) not in have
        ]
        if not new:
            return 0
        insert_rows(PersonTag, LINK_FIELDS, new, skip_conflicts=True)
        added: dict[int, int] = {}
        for _person_id, tag_id, *_rest in new:
            added[tag_id] = added.get(tag_id, 0) + 1
        for tag_id, n in added.items():
            _count(tag_id, n)
        _audit_bulk(
            actor, new, [tags[key] for key in sorted(tags) if tags[key][0] in added], origin
        )
    return len(new)


def _audit_bulk(
    actor: User | None,
    new: list[tuple[Any, ...]],
    tags: list[tuple[int, str]],
    origin: tuple[str, str],
) -> None:
    """One entry for a chunk of the bulk path: how many links and people, which tags, whence."""
    audit_record(
        actor=actor,
        action="person_tag.bulk_add",
        target=Tag(pk=tags[0][0], name=tags[0][1]),
        changes={
            "links": [None, len(new)],
            "people": [None, len({row[0] for row in new})],
            "tags": [None, [name for _pk, name in tags[:20]]],
            "source": [None, origin[0]],
            "source_detail": [None, origin[1]],
        },
    )


def person_tag_bulk_add(
    *,
    actor: User | None,
    pairs: Iterable[tuple[int, Iterable[str]]],
    source: str = FactSource.IMPORTED,
    source_detail: str = "",
) -> int:
    """Tag many people at once (an import): ``pairs`` are ``(person_id, tag names)``; missing
    tags are created, links people already have are left as they were. Returns how many links
    were added, so running it again adds none (idempotent).

    Whoever may edit a person may do it. The person ids must exist (the caller has just created
    or matched them). Every ``BULK_CHUNK`` people go in one short transaction of a few queries
    with one audit entry; an invalid name raises Invalid naming its person, and the chunks before
    it stay written. (On PostgreSQL, a link another transaction adds at the same instant is
    ignored but counted; ``tag_counts_refresh`` puts such a count right.)
    """
    require_role(actor, User.Role.STAFF)
    origin = _origin(source, (source_detail or "").strip()[:DETAIL_MAX_LENGTH])
    added = 0
    for chunk in _chunks(pairs, BULK_CHUNK):
        added += _bulk_chunk(actor, chunk, origin)
    return added
