"""Content lines of a vCard stream: physical lines (CR CR LF counted once), unfolded logical
lines (folding, 2.1 QUOTED-PRINTABLE soft breaks), and each line split into its parts with
vobject's line parser. Bulky values (PHOTO, LOGO, SOUND, KEY, …) are dropped as they stream by,
never kept in memory and never fetched."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TextIO

from vobject.base import ParseError, parseLine

DROPPED = frozenset(
    {"PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE", "X-MS-OL-DESIGN", "AGENT"}
)
MAX_LINE_CHARS = 1024 * 1024
_EMPTY_PARAMS = re.compile(r";+(?=;|$)")


@dataclass(slots=True)
class Prop:
    """One property of a card: ``params`` keys are upper-case, ``types`` lower-case;
    ``written_types`` are the TYPE values as the file wrote them (a custom label's case)."""

    line: int
    group: str
    name: str
    params: dict[str, str]
    types: set[str]
    value: str
    written_types: tuple[str, ...] = ()


def physical_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line; the stream must be opened with newline=""."""
    number = 0
    after_bare_cr = False
    for raw in stream:
        if after_bare_cr and raw in ("\r\n", "\n"):
            after_bare_cr = False  # the rest of a CR CR LF ending (iOS 6)
            continue
        number += 1
        after_bare_cr = raw.endswith("\r") and not raw.endswith("\r\n")
        yield number, raw.rstrip("\r\n")


def _head(text: str) -> str:
    """The name and parameters of a content line, upper-case ("ITEM1.TEL;TYPE=CELL")."""
    return text.split(":", 1)[0].upper()


def _name_of(head: str) -> str:
    return head.split(";", 1)[0].rsplit(".", 1)[-1]


def logical_lines(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of their first physical line."""
    start, size = 0, 0
    parts: list[str] = []
    dropping = quoted_printable = False
    for number, text in lines:
        if parts and text[:1] in (" ", "\t"):
            if not dropping and size < MAX_LINE_CHARS:
                parts.append(text[1:])
                size += len(text)
            continue
        if not text.strip():
            quoted_printable = False  # a blank line ends a QP soft-broken value
            continue
        if parts and quoted_printable and parts[-1].endswith("="):
            parts[-1] = parts[-1][:-1]
            parts.append(text)
            continue
        if parts:
            yield start, "".join(parts)
        head = _head(text)
        dropping = _name_of(head) in DROPPED
        quoted_printable = "QUOTED-PRINTABLE" in head
        start, parts, size = number, [head + ":" if dropping else text], len(text)
    if parts:
        yield start, "".join(parts)


def parse_prop(number: int, text: str) -> Prop | None:
    """The parts of one content line, or None for a line that is not a property."""
    head, sep, value = _split(text)
    if not sep:
        return None
    parsed = _parse_head(head)
    if parsed is None:
        return None
    group, name, params, types, written = parsed
    return Prop(number, group, name, dict(params), set(types), value, written)


@lru_cache(maxsize=4096)
def _parse_head(
    head: str,
) -> tuple[str, str, tuple[tuple[str, str], ...], frozenset[str], tuple[str, ...]] | None:
    # Cards repeat the same few heads ("TEL;TYPE=CELL"): parse each distinct one once.
    try:
        name, params, _value, group = parseLine(f"{_EMPTY_PARAMS.sub('', head)}:")
    except ParseError:
        return None
    if not name:
        return None
    out: dict[str, str] = {}
    types: set[str] = set()
    written: list[str] = []
    for param in params:
        key, values = param[0].upper(), [v for v in param[1:] if v is not None]
        if not values:
            types.add(key.lower())  # vCard 2.1 bare parameters: TEL;CELL;PREF
        elif key == "TYPE":
            written += [t.strip() for v in values for t in v.split(",") if t.strip()]
            types.update(t.lower() for t in written)
        else:
            out[key] = ",".join(values)
            if key == "PREF":
                types.add("pref")
    return (group or "").lower(), name.upper(), tuple(out.items()), frozenset(types), tuple(written)


def _split(text: str) -> tuple[str, str, str]:
    """Split at the first colon outside double quotes (X-SERVICE-TYPE="a: b")."""
    colon, quote = text.find(":"), text.find('"')
    if quote < 0 or quote > colon:
        return text.partition(":")
    quoted = False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return text[:i], ":", text[i + 1 :]
    return text, "", ""
