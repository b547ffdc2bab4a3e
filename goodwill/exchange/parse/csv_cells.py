"""The cells of a CSV contacts file: label cells ("* Home"), and cells holding several values
(Google joins them with " ::: "; people write commas or semicolons; Mailchimp quotes each of its
tags: ``"VIP","Blog"``)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from goodwill.exchange.parse.records import is_system_group

NEUTRALISED = frozenset("=+-@\t\r")  # what a formula-safe export puts a ' before
USUAL_LABELS = frozenset(
    ("home", "work", "other", "mobile", "cell", "main", "pager", "business", "personal")
    + ("fax", "home fax", "work fax", "other fax", "anniversary", "birthday")
)
MULTI = re.compile(r"\s*(?::::|[,;])\s*")
GOOGLE_MULTI = " ::: "


@lru_cache(maxsize=1024)
def cell_label(cell: str) -> str:
    """A label cell as people read it: the usual words in lower case ("* Home" -> "home"),
    a label of the file's own as written ("Front desk")."""
    cell = cell.strip()
    if cell[:1] == "'" and neutralised(cell):
        cell = cell[1:].strip()
    label = tidy_label(cell.removeprefix("* "))
    return label.lower() if label.casefold() in USUAL_LABELS else label


def neutralised(cell: str) -> bool:
    """Whether ``cell`` (starting with ``'``) is a value a formula-safe export marked: quotes
    before ``= + - @``, a tab or CR. One quote comes off: ``'=1`` is ``=1``, ``''=1`` ``'=1``."""
    return cell.lstrip("'")[:1] in NEUTRALISED


def tidy_label(label: str) -> str:
    label = label.strip()
    return "Anniversary" if label.casefold() == "anniversary" else label


@lru_cache(maxsize=4096)
def categories(value: str) -> tuple[str, ...]:
    """The values of a list cell, once each, without address books' system groups."""
    if value[:1] == '"' and value[-1:] == '"' and len(value) > 1:  # Mailchimp's "VIP","Blog"
        parts = next(csv.reader([value], skipinitialspace=True), [])
    else:
        parts = MULTI.split(value)
    out: list[str] = []
    for part in parts:
        part = part.strip().removeprefix("* ").strip()
        if part and not is_system_group(part) and part not in out:
            out.append(part)
    return tuple(out)


def own_list(value: str) -> tuple[str, ...]:
    """A list cell of goodwill's own export: values joined with " ::: "."""
    return tuple(dict.fromkeys(p.strip() for p in value.split(GOOGLE_MULTI) if p.strip()))
