"""The cells of a CSV contacts file: label cells ("* Home"), and cells holding several values
(Google joins them with " ::: "; people write commas or semicolons; Mailchimp quotes each of its
tags: ``"VIP","Blog"``). goodwill's own export writes a " ::: " inside one value with no-break
spaces (``KEPT_SEP``), which reading its file turns back into spaces."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import lru_cache

from goodwill.exchange.parse.records import OwnLabel, is_system_group

NEUTRALISED = frozenset("=+-@\t\r")  # what a formula-safe export puts a ' before
USUAL_LABELS = frozenset(
    ("home", "work", "other", "mobile", "cell", "main", "pager", "business", "personal")
    + ("fax", "home fax", "work fax", "other fax", "anniversary", "birthday")
)
MULTI = re.compile(r"\s*(?::::|[,;])\s*")
GOOGLE_MULTI = " ::: "
KEPT_SEP = "\u00a0:::\u00a0"  # " ::: " inside one value of goodwill's export
# ":::" between values, the spaces around it trimmed (" ::: Chair": no first title), but not
# the one inside a value that goodwill's export wrote with no-break spaces.
_SHARED = re.compile(r"(?<!\u00a0):::(?!\u00a0)")


def kept(value: str) -> str:
    """One value of a cell of goodwill's own export, its own " ::: " as the export wrote it."""
    return value.replace(KEPT_SEP, GOOGLE_MULTI) if KEPT_SEP in value else value


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


def shared(value: str) -> list[str]:
    """The values of a cell that Google or goodwill joined with " ::: " ("Inn ::: Co-op")."""
    return [kept(part.strip()) for part in _SHARED.split(value)]


def own_list(value: str) -> tuple[str, ...]:
    """A list cell of goodwill's own export: values joined with " ::: "."""
    return tuple(dict.fromkeys(kept(p.strip()) for p in value.split(GOOGLE_MULTI) if p.strip()))


def label_of(row: list[str], index: int) -> str:
    """The label in cell ``index`` of ``row`` (-1: the value has no label column)."""
    if index < 0 or index >= len(row):
        return ""
    return cell_label(row[index])


def labels_of(row: list[str], index: int, count: int) -> list[str]:
    """The labels of ``count`` values that share one cell, from the label cell ``index``: one
    each when it holds as many (" ::: " between them), else the one label for all."""
    if count > 1 and 0 <= index < len(row) and GOOGLE_MULTI in row[index]:
        parts = row[index].split(GOOGLE_MULTI)
        if len(parts) == count:
            return [cell_label(p) for p in parts]
    return [label_of(row, index)] * count


def own_labels(row: list[str], index: int, count: int) -> list[OwnLabel]:
    """The labels of ``count`` values that share one cell of goodwill's own export, exactly as
    it wrote them (``OwnLabel``: "Home fax", "text" and "mobile;cell" stay so), from the label
    cell ``index``: one each when it holds as many (" ::: " between them), else the cell for
    all."""
    cell = row[index] if 0 <= index < len(row) else ""
    if cell[:1] == "'" and neutralised(cell):
        cell = cell[1:]
    parts = cell.split(GOOGLE_MULTI) if count > 1 else [cell]
    if len(parts) != count:
        parts = [cell] * count
    return [OwnLabel(kept(part.strip())) for part in parts]


def kinds_of(row: list[str], index: int) -> Iterator[str] | None:
    """The kinds of a row's events, in the order of its Event columns, from goodwill's "Goodwill
    Event Kinds" cell ``index`` (None: the file does not say, and all are anniversaries)."""
    if index < 0 or index >= len(row) or not row[index].strip():
        return None
    return iter([kind.strip() for kind in row[index].split(GOOGLE_MULTI)])
