"""People search: one selector over SQLite FTS5 (trigram) and PostgreSQL pg_trgm.

Results come in tiers: exact matches (full name, given name, family name, email), then name
prefixes, then family-name prefixes, then substrings of the name, email, phone digits or
organisation. Every query below walks an index in the order it returns rows and stops at the
page size, so a page costs the same at a thousand or a million people.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, prefetch_related_objects

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.pagination import check_shape, decode_cursor, encode_cursor, invalid_cursor
from goodwill.people.models import Person
from goodwill.people.normalize import digits, fold
from goodwill.people.selectors.persons import Page, clamp_limit, list_prefetches

TOP = "\U0010ffff"  # sorts after every character: [q, q+TOP) is "starts with q"
MIN_SUBSTRING = 3
EXACT, NAME_PREFIX, FAMILY_PREFIX, SUBSTRING = range(4)
Key = tuple[Any, ...]


def _after(fields: list[str], key: Key | None) -> Q:
    """Rows strictly after ``key`` in (fields…) order, phrased so the index range is used."""
    if key is None:
        return Q()
    cond = Q(**{f"{fields[0]}__gte": key[0]})
    after = Q()
    for i, name in enumerate(fields):
        equal = {f"{f}": key[j] for j, f in enumerate(fields[:i])}
        after |= Q(**equal, **{f"{name}__gt": key[i]})
    return cond & after


def _walk(qs: QuerySet[Person], fields: list[str], key: Key | None, n: int) -> list[Key]:
    rows = qs.filter(_after(fields, key)).order_by(*fields).values_list(*fields)[:n]
    return [tuple(r) for r in rows]


def _exact(q: str, key: Key | None, n: int) -> list[Key]:
    """Full name, given name, family name or email equal to ``q``, by (sort_key, id).

    Three index-ordered walks merged, so the database never sorts thousands of Smiths.
    """
    base = Person.objects.filter(archived_at=None)
    fields = ["sort_key", "id"]
    name = base.filter(sort_key__gte=q, sort_key__lt=q + " " + TOP)
    walks = [_walk(name, fields, key, n), _walk(base.filter(family_key=q), fields, key, n)]
    if "@" in q:
        walks.append(_walk(base.filter(primary_email=q), fields, key, n))
    merged: list[Key] = []
    for row in heapq.merge(*walks):
        if not merged or merged[-1] != row:
            merged.append(row)
    return merged[:n]


def _name_prefix(q: str, key: Key | None, n: int) -> list[Key]:
    """Names that start with ``q`` but are not exact matches, by (sort_key, id)."""
    qs = Person.objects.filter(archived_at=None, sort_key__gte=q + "!", sort_key__lt=q + TOP)
    qs = qs.exclude(family_key=q).exclude(primary_email=q)
    return _walk(qs, ["sort_key", "id"], key, n)


def _family_prefix(q: str, key: Key | None, n: int) -> list[Key]:
    """Family names that start with ``q`` (not exactly), by (family_key, sort_key, id)."""
    qs = Person.objects.filter(archived_at=None, family_key__gt=q, family_key__lt=q + TOP)
    qs = qs.exclude(sort_key__gte=q, sort_key__lt=q + TOP).exclude(primary_email=q)
    return _walk(qs, ["family_key", "sort_key", "id"], key, n)


EXCLUDE_EARLIER_TIERS = (
    "p.archived_at IS NULL AND NOT (p.sort_key >= %s AND p.sort_key < %s)"
    " AND NOT (p.family_key >= %s AND p.family_key < %s) AND p.primary_email <> %s"
)
# PostgreSQL reads this many ids in id order before it falls back to the trigram index.
DENSE_WINDOW = 20_000


def _substring(q: str, key: Key | None, n: int) -> list[Key]:
    """Ids (ascending) whose search text contains ``q`` and that no earlier tier returned."""
    after_id = int(key[0]) if key else 0
    exclusion: list[str | int] = [q, q + TOP, q, q + TOP, q]
    if connection.vendor == "sqlite":
        phrase = '"' + q.replace('"', '""') + '"'
        ids = _ids(
            "SELECT p.id FROM people_person_fts f JOIN people_person p ON p.id = f.rowid"  # noqa: S608
            " WHERE people_person_fts MATCH %s AND f.rowid > %s AND "
            + EXCLUDE_EARLIER_TIERS
            + " ORDER BY f.rowid LIMIT %s",
            [phrase, after_id, *exclusion, n],
        )
        return [(i,) for i in ids]
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # A common fragment ("son") is found fastest by reading the next ids in order; the trigram
    # index would fetch every match before sorting. The expression keeps the index out of it.
    ids = _ids(
        "SELECT p.id FROM people_person p WHERE (p.search_doc || '') LIKE %s"  # noqa: S608
        " AND p.id > %s AND p.id <= %s AND " + EXCLUDE_EARLIER_TIERS + " ORDER BY p.id LIMIT %s",
        [pattern, after_id, after_id + DENSE_WINDOW, *exclusion, n],
    )
    if len(ids) < n:
        # A rare fragment: the trigram index finds its few matches past the window directly.
        ids += _ids(
            "SELECT p.id FROM people_person p WHERE p.search_doc LIKE %s AND p.id > %s AND "  # noqa: S608
            + EXCLUDE_EARLIER_TIERS
            + " ORDER BY p.id LIMIT %s",
            [pattern, after_id + DENSE_WINDOW, *exclusion, n - len(ids)],
        )
    return [(i,) for i in ids]


def _ids(sql: str, args: list[str | int]) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(sql, args)
        return [int(row[0]) for row in cur.fetchall()]


TIERS = {EXACT: _exact, NAME_PREFIX: _name_prefix, FAMILY_PREFIX: _family_prefix}


def _normalise_query(q: str) -> tuple[str, str]:
    """The folded text query and, for phone-like input, its digits."""
    text = fold(q)[:100]
    phone = digits(text) if text and all(c.isdigit() or c in " +-()." for c in text) else ""
    return text, phone


def _keys(text: str, phone: str, start: int, key: Key | None, n: int) -> Iterator[tuple[int, Key]]:
    """(tier, key) for up to ``n`` matches from the cursor position on, best tier first."""
    found = 0
    for tier in (EXACT, NAME_PREFIX, FAMILY_PREFIX, SUBSTRING):
        if tier < start or found >= n:
            continue
        after = key if tier == start else None
        if tier == SUBSTRING:
            needle = phone or text
            rows = _substring(needle, after, n - found) if len(needle) >= MIN_SUBSTRING else []
        elif phone:
            rows = []
        else:
            rows = TIERS[tier](text, after, n - found)
        for row in rows:
            found += 1
            yield tier, row


def _archived_keys(needle: str, key: Key | None, n: int) -> list[Key]:
    """Up to ``n`` archived people whose search text holds ``needle``, after ``key``, by
    (sort_key, id): the archived people's own index, walked in order."""
    archived = Person.objects.filter(archived_at__isnull=False, search_doc__contains=needle)
    return _walk(archived, ["sort_key", "id"], key, n)


KEY_TYPES: dict[int, tuple[type, ...]] = {
    EXACT: (str, int),
    NAME_PREFIX: (str, int),
    FAMILY_PREFIX: (str, str, int),
    SUBSTRING: (int,),
}


def _position(cursor: str | None) -> tuple[int, Key | None]:
    """The tier and key a cursor continues from; Invalid on ``cursor`` if it is not one of ours."""
    position = decode_cursor(cursor, types=(int, list))
    if position is None:
        return EXACT, None
    tier, key = position
    if tier not in KEY_TYPES:
        raise invalid_cursor()
    return tier, tuple(check_shape(key, KEY_TYPES[tier]))


def person_search(
    *, user: User | None, q: str, cursor: str | None = None, limit: int | None = None
) -> Page[Person]:
    """Ranked search by any part of name, email, phone digits or organisation; keyset pages."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit, default=25)
    text, phone = _normalise_query(q)
    if not text:
        return Page(items=[])
    start, key = _position(cursor)
    hits = list(_keys(text, phone, start, key, limit + 1))
    next_cursor = None
    if len(hits) > limit:
        hits = hits[:limit]
        next_cursor = encode_cursor([hits[-1][0], list(hits[-1][1])])
    by_id = Person.objects.in_bulk([k[-1] for _t, k in hits])
    people = [by_id[k[-1]] for _t, k in hits if k[-1] in by_id]
    prefetch_related_objects(people, *list_prefetches())
    return Page(items=people, next_cursor=next_cursor)


def person_search_archived(
    *, user: User | None, q: str, cursor: str | None = None, limit: int | None = None
) -> Page[Person]:
    """Archived people whose name, email, phone digits or organisation holds ``q`` (managers),
    in name order, keyset pages. It walks the archived people's own index (they are few next to
    everyone) and reads their search text; a staff member's search never finds them."""
    require_role(user, User.Role.MANAGER)
    limit = clamp_limit(limit, default=25)
    text, phone = _normalise_query(q)
    needle = phone or text
    if not needle:
        return Page(items=[])
    position = decode_cursor(cursor, types=(str, int))
    keys = _archived_keys(needle, tuple(position) if position else None, limit + 1)
    next_cursor = encode_cursor(list(keys[limit - 1])) if len(keys) > limit else None
    by_id = Person.objects.in_bulk([k[1] for k in keys[:limit]])
    people = [by_id[k[1]] for k in keys[:limit] if k[1] in by_id]
    prefetch_related_objects(people, *list_prefetches())
    return Page(items=people, next_cursor=next_cursor)


def _ranked_ids(text: str, phone: str, size: int) -> Iterator[list[int]]:
    """``person_search``'s matches, ``size`` at a time: each step continues from the last
    match, as its pages' cursors do."""
    start, key = EXACT, None
    while True:
        hits = list(_keys(text, phone, start, key, size))
        if hits:
            yield [k[-1] for _tier, k in hits]
        if len(hits) < size:
            return
        start, key = hits[-1]


def _archived_ids(needle: str, size: int) -> Iterator[list[int]]:
    """``person_search_archived``'s matches, ``size`` at a time."""
    key: Key | None = None
    while keys := _archived_keys(needle, key, size):
        yield [k[1] for k in keys]
        if len(keys) < size:
            return
        key = keys[-1]


def person_search_ids(
    *, user: User | None, q: str, archived: bool = False, size: int = 200
) -> Iterator[list[int]]:
    """The ids ``person_search`` (``archived``: ``person_search_archived``) finds for ``q``, in
    the order its pages show them, ``size`` at a time, without reading the people: each step
    walks the same tiers (or index) as a page, for the next ``size`` matches. For a search's
    export: a few dozen index walks for 100,000 matches, not 500 pages of model objects."""
    require_role(user, User.Role.MANAGER if archived else User.Role.STAFF)
    text, phone = _normalise_query(q)
    if archived:
        return _archived_ids(phone or text, size) if phone or text else iter(())
    return _ranked_ids(text, phone, size) if text else iter(())
