"""The label of an email or phone as people read it: another address book's TYPE words and
markers tidied ("* Home" is "Home", "cell,pref" is "mobile"), goodwill's own (an ``OwnLabel``)
kept exactly as its export wrote it."""

from __future__ import annotations

import re
from functools import lru_cache

from goodwill.exchange.parse.records import OwnLabel

MAX_LABEL = 40
# vCard TYPE values and export markers that say nothing a person would call a label.
_LABEL_NOISE = frozenset({"pref", "internet", "voice", "x400", "x-internet", "smtp"})
_LABEL_WORDS = {"cell": "mobile", "cellular": "mobile", "business": "work"}
_LABEL_PARTS = re.compile(r"\s*[,;]\s*")


def contact_label(raw: str) -> str:
    """The file's label of an email or phone as people read it ("* Home" -> "Home",
    "cell,pref" -> "mobile"), at most 40 characters; "" when it is only noise ("pref"). A label
    goodwill's own export wrote (an ``OwnLabel``) comes back exactly as it was ("text",
    "mobile;cell", "Business, 2nd")."""
    if isinstance(raw, OwnLabel):
        return raw.strip()[:MAX_LABEL].strip()
    return _their_label(raw)


@lru_cache(maxsize=1024)
def _their_label(raw: str) -> str:
    """Another address book's label, its vCard types and markers read as people say them."""
    parts: list[str] = []
    for part in _LABEL_PARTS.split(raw.strip().removeprefix("*")):
        word = _LABEL_WORDS.get(part.strip().casefold(), part.strip())
        if word and word.casefold() not in _LABEL_NOISE and word not in parts:
            parts.append(word)
    return ", ".join(parts)[:MAX_LABEL].strip()
