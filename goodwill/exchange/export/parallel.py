"""A whole-list export on several cores (``goodwill export --jobs N``).

Rendering a million people is Python work, one core's worth in one process. Here the people are
cut into id ranges of one chunk each (``export_bounds``), forked worker processes each read and
render a range (``export_range`` and the format's chunk renderer), and the pieces come back and
are written in order, so the file is byte for byte what one process writes. At most two ranges
per worker are under way at once, so memory does not grow with the list.

Only where the workers see what this process sees: with ``fork`` (Linux, macOS), outside a
transaction (they would not see its writes), and not on an in-memory SQLite database (the
tests'). Filtered and searched exports, and the web and API, render in one process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.pool import AsyncResult

from django.db import connection, connections

from goodwill.exchange.export.csv import csv_chunk, csv_head
from goodwill.exchange.export.json import JSON_HEAD, JSON_TAIL, json_chunk, json_join
from goodwill.exchange.export.selectors import CHUNK, Bounds, export_bounds, export_range
from goodwill.exchange.export.vcard import vcard_chunk

RENDER = {"csv": csv_chunk, "vcard": vcard_chunk, "json": json_chunk}
AHEAD = 2  # ranges under way per worker


def can_fork() -> bool:
    """Whether worker processes would read what this process sees."""
    if not hasattr(os, "fork") or connection.in_atomic_block:
        return False
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)  # SQLite's wrapper only
    return not in_memory()


def _worker_start() -> None:
    """In a new worker: close its database connection when it ends normally."""
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=10)


def _render(format: str, bounds: Bounds, archived: bool | None) -> tuple[int, str]:
    """In a worker: one range's people rendered, and how many they are."""
    chunk = export_range(bounds, archived=archived, full=format != "csv")
    return len(chunk.people), RENDER[format](chunk)


def parallel_pieces(
    format: str,
    *,
    archived: bool | None,
    jobs: int,
    bom: bool,
    counted: Callable[[int], None],
    size: int = CHUNK,
) -> Iterator[str]:
    """The export's text in pieces, rendered by ``jobs`` worker processes, ``size`` people a
    range; ``counted`` is told how many people each range held. Call ``export_require`` and
    check ``can_fork`` first."""
    ranges = iter(export_bounds(archived=archived, size=size))
    connections.close_all()  # each worker opens its own; none may share this one
    if format == "csv":
        yield csv_head(bom=bom)
    elif format == "json":
        yield JSON_HEAD
    first = True
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
        pending: deque[AsyncResult[tuple[int, str]]] = deque()

        def submit() -> None:
            bounds = next(ranges, None)
            if bounds is not None:
                pending.append(pool.apply_async(_render, (format, bounds, archived)))

        for _ in range(jobs * AHEAD):
            submit()
        while pending:
            count, body = pending.popleft().get()
            submit()
            counted(count)
            if body:
                yield json_join(body, first=first) if format == "json" else body
                first = False
        pool.close()  # the workers end normally (and close their connections) ...
        pool.join()  # ... where leaving the block early would stop them at once
    if format == "json":
        yield JSON_TAIL
