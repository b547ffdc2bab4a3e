"""Addresses nobody may write to again, whatever the ledger says: the erased people's.

The list itself belongs to a higher layer (``exchange`` keeps it as keyed hashes); it registers
a checker here when the app loads, so outreach can ask without importing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Checker = Callable[[Iterable[str]], set[str]]

_checkers: list[Checker] = []


def register(checker: Checker) -> None:
    """Add a checker: given addresses, it returns those that must never be written to."""
    if checker not in _checkers:
        _checkers.append(checker)


def suppressed(addresses: Iterable[str]) -> set[str]:
    """Which of ``addresses`` are on a suppression list (few queries, whatever the count)."""
    wanted = [a for a in addresses if a]
    found: set[str] = set()
    for checker in _checkers:
        found |= checker(wanted)
    return found
