"""The collector pauses of long bulk loops (imports): cyclic garbage is still freed."""

from __future__ import annotations

import gc
import weakref

from goodwill.core.gc import ChunkPauses


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_cycles_made_in_chunks_are_freed_after_every_tenth() -> None:
    pauses = ChunkPauses(every=10)
    gc.collect()
    thresholds = gc.get_threshold()
    gc.set_threshold(10**9)  # no automatic collection between the chunks of this test
    try:
        made: list[weakref.ref[_Node]] = []
        for _ in range(9):
            with pauses():
                assert not gc.isenabled()
                made.append(weakref.ref(_Node()))
            assert gc.isenabled()
        assert all(ref() is not None for ref in made)  # kept while paused chunk after chunk
        with pauses():
            made.append(weakref.ref(_Node()))
        assert all(ref() is None for ref in made)  # the tenth chunk's end frees them all
    finally:
        gc.set_threshold(*thresholds)


def test_the_collector_stays_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with ChunkPauses(every=1)():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
