"""Which people a narrowed export holds, in the people list's own order: its ranked search
(``q``), the archived people's search, or its filters.

A search is walked once, in rank order, by the people search's own ``person_search_ids``: each
step asks the search's tiers (exact, name prefix, family prefix, substring) for the next
``size`` ids after the last one found, which is what the list's pages do 200 at a time
(``export_chunks`` then reads those people's rows by id, as plain tuples). So an export of
100,000 matches costs a few dozen index walks, not 500 searches and their pages of model
objects; its rows and their order are those of the list's pages, one after the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from goodwill.accounts.models import User
from goodwill.people.selectors import person_list, person_search_ids

if TYPE_CHECKING:
    from goodwill.exchange.export.selectors import ExportFilters

PAGE = 200  # rows a page of the people list's selectors (their maximum)


def _list_ids(actor: User | None, filters: ExportFilters) -> Iterator[list[int]]:
    """The ids of the people list's filtered pages (not archived, or archived), page by page."""
    cursor: str | None = None
    while True:
        page = person_list(
            user=actor,
            role=filters.role or None,
            interest=filters.interest or None,
            organisation_id=filters.organisation_id,
            archived=bool(filters.archived),
            extra={"stage": filters.stage, "tag": filters.tag},
            cursor=cursor,
            limit=PAGE,
        )
        yield [p.pk for p in page.items]
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def narrowed_ids(actor: User | None, filters: ExportFilters, size: int) -> Iterator[list[int]]:
    """The ids the people list shows for these filters (ranked search with ``q``; among
    archived people, a search of theirs), first to last; for everyone, the list's (or the
    search's) and then the archived people's."""
    if filters.archived is None:
        yield from narrowed_ids(actor, replace(filters, archived=False), size)
        yield from narrowed_ids(actor, replace(filters, archived=True), size)
    elif filters.q.strip():
        yield from person_search_ids(
            user=actor, q=filters.q, archived=bool(filters.archived), size=size
        )
    else:
        yield from _list_ids(actor, filters)
