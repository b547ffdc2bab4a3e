"""A full name ("Dr. Gina Maria Generic Jr.") split into a given and a family name, for files
that give only a display name (a CSV "Name" column, a vCard with FN and no N).

nameparser does the work: titles of address and suffixes ("Dr.", "Jr.", "PhD") are neither
name, family name particles stay with the family name ("Ludwig van Beethoven"), "Generic, Gina"
is read family name first, and middle names join the given name. A single word stays a given
name. Only common titles of address (``TITLES``) are left out: nameparser knows hundreds
("First", "Baron", "Count", "Judge"), which are also people's names, and "Count Basie" keeps
both words.
The common two-word name without any of those takes a shortcut: parsing costs 0.1 ms a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nameparser import HumanName
from nameparser.config import CONSTANTS, Constants

_PLAIN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Titles of address never given as a name (compared lower-case, without a final dot).
TITLES = frozenset(
    (
        *("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "rev", "revd"),
        *("reverend", "fr", "sir", "dame", "hon", "mme", "mlle", "mmes", "messrs"),
        *("madame", "mademoiselle", "monsieur", "herr", "frau", "sr", "sra", "srta", "dott"),
        *("ing", "mag", "dipl", "capt", "col", "lt", "sgt", "gen", "cdr", "dra", "prof.dr"),
    )
)


@lru_cache(maxsize=1)
def _constants() -> Constants:
    """nameparser's rules with only ``TITLES`` as titles."""
    return Constants(titles=TITLES, first_name_titles=())


@lru_cache(maxsize=1)
def _special_words() -> frozenset[str]:
    """Words nameparser reads as something other than a plain given or family name."""
    return frozenset(
        (
            *TITLES,
            *CONSTANTS.suffix_acronyms,
            *CONSTANTS.suffix_not_acronyms,
            *CONSTANTS.prefixes,
            *CONSTANTS.conjunctions,
        )
    )


def _shortcut(full: str) -> tuple[str, str] | None:
    """ "Gina Generic": two plain words, neither a title, suffix, particle or conjunction."""
    words = full.split(" ")
    if len(words) != 2 or not all(_PLAIN_WORD.fullmatch(w) for w in words):
        return None
    special = _special_words()
    if any(w.lower().rstrip(".") in special for w in words):
        return None
    return words[0], words[1]


@lru_cache(maxsize=4096)
def split_full_name(full: str) -> tuple[str, str, str]:
    """(given, family, nickname) of ``full``; a name that is only a title or suffix ("Dr.")
    is kept whole as the given name."""
    full = " ".join(full.split())
    if not full:
        return "", "", ""
    if (pair := _shortcut(full)) is not None:
        return pair[0], pair[1], ""
    name = HumanName(full, constants=_constants())
    given = " ".join(p for p in (name.first, name.middle) if p)
    family, nickname = name.last, name.nickname
    if not (given or family):
        return full, "", nickname
    if not given and not name.title and " " not in family:
        return family, "", nickname  # a single word ("Madonna", "毛泽东") is a given name
    return given, family, nickname
