"""Pausing Python's cyclic garbage collector around bulk work (imports, exports).

Building thousands of rows allocates millions of small objects; each allocation burst makes the
collector walk every live object again, which cost imports and exports a fifth of their time.
Their objects form no cycles, so the collector is paused while a chunk is built and, at most,
the young generations are collected afterwards: after every tenth chunk (``chunk_paused``), as
collecting walks the objects still alive then (the reader's next rows), 25 ms each time, while
the garbage it finds is a few objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

COLLECT_EVERY = 10  # chunks


@contextmanager
def gc_paused(*, collect_young: bool = False) -> Iterator[None]:
    """No cyclic collection inside the block (process-wide, so keep blocks to one chunk of
    work); ``collect_young`` collects generations 0 and 1 on leaving it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if collect_young:
            gc.collect(1)


class ChunkPauses:
    """``gc_paused`` for each chunk of a long loop (``with pauses():``), the young generations
    collected after every ``every``-th chunk."""

    def __init__(self, every: int = COLLECT_EVERY) -> None:
        self.every = max(1, every)
        self.chunks = 0

    def __call__(self) -> AbstractContextManager[None]:
        self.chunks += 1
        return gc_paused(collect_young=self.chunks % self.every == 0)
