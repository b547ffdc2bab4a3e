"""People search: one selector over SQLite FTS5 (trigram) and PostgreSQL pg_trgm.

Results come in tiers, each read in the order of an index so a page costs the same at a million
people: exact matches (full name, given name, family name, email), then name prefixes, then family
name prefixes, then substrings of the name, email, phone digits or organisation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import Q, QuerySet, prefetch_related_objects

from goodwill.accounts.models import User
from goodwill.accounts.permissions import require_role
from goodwill.core.pagination import decode_cursor, encode_cursor
from goodwill.people.models import Person
from goodwill.people.normalize import digits, fold
from goodwill.people.selectors.persons import Page, clamp_limit, list_prefetches

TOP = "\U0010ffff"  # sorts after every character: [q, q+TOP) is "starts with q"
MIN_SUBSTRING = 3


def _prefix(field: str, q: str) -> Q:
    return Q(**{f"{field}__gte": q, f"{field}__lt": q + TOP})


def _exact(q: str) -> Q:
    return Q(sort_key=q) | _prefix("sort_key", q + " ") | Q(family_key=q) | Q(primary_email=q)


def _tier_querysets(q: str) -> list[tuple[Callable[[], QuerySet[Person]], str]]:
    """(queryset, sort field) per index-ordered tier; later tiers exclude earlier matches."""
    base = Person.objects.filter(archived_at=None)
    exact, by_name, by_family = _exact(q), _prefix("sort_key", q), _prefix("family_key", q)
    return [
        (lambda: base.filter(exact), "sort_key"),
        (lambda: base.filter(by_name).exclude(exact), "sort_key"),
        (lambda: base.filter(by_family).exclude(exact).exclude(by_name), "family_key"),
    ]


def _substring_ids(q: str, after_id: int, limit: int) -> list[int]:
    """Ids (ascending) whose search text contains ``q`` and that no earlier tier returned."""
    hi = q + TOP
    exclusion = (
        "p.archived_at IS NULL AND NOT (p.sort_key >= %s AND p.sort_key < %s)"
        " AND NOT (p.family_key >= %s AND p.family_key < %s) AND p.primary_email <> %s"
    )
    params: list[str | int] = [q, hi, q, hi, q]
    if connection.vendor == "sqlite":
        phrase = '"' + q.replace('"', '""') + '"'
        sql = (
            "SELECT p.id FROM people_person_fts f JOIN people_person p ON p.id = f.rowid"  # noqa: S608
            " WHERE people_person_fts MATCH %s AND f.rowid > %s AND "
            + exclusion
            + " ORDER BY f.rowid LIMIT %s"
        )
        args = [phrase, after_id, *params, limit]
    else:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = (
            "SELECT p.id FROM people_person p WHERE p.search_doc LIKE %s AND p.id > %s AND "  # noqa: S608
            + exclusion
            + " ORDER BY p.id LIMIT %s"
        )
        args = [pattern, after_id, *params, limit]
    with connection.cursor() as cur:
        cur.execute(sql, args)
        return [row[0] for row in cur.fetchall()]


def _normalise_query(q: str) -> tuple[str, str]:
    """The folded text query and, for phone-like input, its digits."""
    text = fold(q)[:100]
    phone = digits(text) if text and all(c.isdigit() or c in " +-()." for c in text) else ""
    return text, phone


def person_search(
    *, user: User | None, q: str, cursor: str | None = None, limit: int | None = None
) -> Page[Person]:
    """Ranked search by any part of name, email, phone digits or organisation; keyset pages."""
    require_role(user, User.Role.STAFF)
    limit = clamp_limit(limit, default=25)
    text, phone = _normalise_query(q)
    if not text:
        return Page(items=[])
    key = decode_cursor(cursor, size=3) or [0, None, 0]
    start_tier, last_sort, last_id = int(key[0]), key[1], int(key[2])
    found: list[tuple[int, str, Person]] = []
    tiers = [] if phone else _tier_querysets(text)
    for index, (make_qs, sort_field) in enumerate(tiers):
        if index < start_tier or len(found) > limit:
            continue
        qs = make_qs()
        if index == start_tier and last_sort is not None:
            qs = qs.filter(**{f"{sort_field}__gte": last_sort}).filter(
                Q(**{f"{sort_field}__gt": last_sort}) | Q(id__gt=last_id)
            )
        for person in qs.order_by(sort_field, "id")[: limit + 1 - len(found)]:
            found.append((index, getattr(person, sort_field), person))
    needle = phone or text
    if len(found) <= limit and len(needle) >= MIN_SUBSTRING:
        after = last_id if start_tier == 3 else 0
        ids = _substring_ids(needle, after, limit + 1 - len(found))
        by_id = Person.objects.in_bulk(ids)
        found += [(3, "", by_id[i]) for i in ids if i in by_id]
    next_cursor = None
    if len(found) > limit:
        found = found[:limit]
        tier, sort_value, last = found[-1]
        next_cursor = encode_cursor([tier, sort_value if tier < 3 else None, last.pk])
    people = [p for _t, _s, p in found]
    prefetch_related_objects(people, *list_prefetches())
    return Page(items=people, next_cursor=next_cursor)
