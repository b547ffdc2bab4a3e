"""Content lines of a vCard stream: physical lines (CR CR LF counted once), unfolded logical
lines (folding, 2.1 QUOTED-PRINTABLE soft breaks, a value's own bare CR in a file whose lines
end in LF), decoded once unfolded (a character a fold split in two is whole again), and each
line split into its parts with vobject's line parser. Bulky values (PHOTO, LOGO, SOUND, KEY,
…) are dropped as they stream by, never kept in memory and never fetched.

A value whose bytes are not text in the file's encoding (an old phone's Latin-1 name written
``N;CHARSET=ISO-8859-1`` into a file otherwise UTF-8) is decoded in the CHARSET it declares;
without one, or in one that is unknown or does not fit, those bytes become U+FFFD, which the
reader reports as the line's error. Parameter values are RFC 6868 decoded (``^'`` a double
quote, ``^n`` a line break, ``^^`` a caret), and a quoted TYPE value stays one label
(``TYPE="Office, 2nd"``) unless it is a list of standard types (``TYPE="work,voice"``, as in
RFC 6350's own examples)."""

from __future__ import annotations

import codecs
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
# Bytes that were not text in the file's encoding, as the surrogateescape error handler keeps
# them (U+DC80-U+DCFF); any other lone surrogate is no text either.
_SURROGATE = re.compile("[\ud800-\udfff]")
# The start of a content line: a name (with a group) and then its parameters or its value.
_CONTENT_LINE = re.compile(r"(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+[;:]")
_CARET = re.compile(r"\^(['nN^])")
_CARETS = {"'": '"', "n": "\n", "N": "\n", "^": "^"}
# TYPE values of vCard 2.1 to 4.0 and of the big address books: a quoted value made only of
# these ("work,voice") is a list of them, any other quoted value one label of the user's.
TYPE_WORDS = frozenset(
    {
        *("home", "work", "pref", "other", "main", "internet", "x400", "smtp", "voice", "fax"),
        *("cell", "mobile", "iphone", "pager", "text", "textphone", "video", "msg", "bbs"),
        *("modem", "car", "isdn", "pcs", "dom", "intl", "postal", "parcel", "contact"),
        *("acquaintance", "friend", "met", "co-worker", "colleague", "co-resident", "neighbor"),
        *("child", "parent", "sibling", "spouse", "kin", "muse", "crush", "date", "sweetheart"),
        *("me", "agent", "emergency"),
    }
)


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
    """(line number, text) for each line; the stream must be opened with newline="". Bytes
    that are not text in the stream's encoding stay as it gives them (surrogate escapes), for
    ``logical_lines`` to decode once a folded line is whole again. A byte order mark that
    begins a line is left out: it began a file that was joined to the one before it. In a
    file whose lines end in LF (or CR LF), a bare CR is a line break of the value (Thunderbird
    writes a value's own CR as it is): the text after it that is no property goes on with that
    value, after a line break, and its line is still counted."""
    number = 0
    held: tuple[int, str] | None = None  # a line that ended in a bare CR
    line_feeds = False
    for raw in stream:
        if held is not None and raw in ("\r\n", "\n"):
            yield held  # the rest of a CR CR LF ending (iOS 6)
            held = None
            continue
        number += 1
        start, text = number, raw.rstrip("\r\n")
        if text[:1] == "\ufeff":
            text = text.lstrip("\ufeff")
        if held is not None and line_feeds and _goes_on(held[1], text):
            start, text = held[0], f"{held[1]}\n{text}"
        elif held is not None:
            yield held
        held = (start, text) if raw.endswith("\r") else None
        line_feeds = line_feeds or raw.endswith("\n")
        if held is None:
            yield start, text
    if held is not None:
        yield held


def _goes_on(before: str, text: str) -> bool:
    """Whether ``text``, after a bare CR, is more of the value before it: not a property, a
    folded line, a blank line or the rest of a QUOTED-PRINTABLE soft break."""
    return (
        bool(text.strip())
        and text[0] not in " \t"
        and not before.endswith("=")
        and not _CONTENT_LINE.match(text)
    )


def line_encoding(stream: TextIO) -> str | None:
    """The encoding that gives back the bytes of the stream's lines, or None (UTF-16 files, a
    stream of text). ``ImportFile.open_text`` keeps a vCard's undecodable bytes as surrogate
    escapes, so that a line's CHARSET can decode them: replaced by U+FFFD, they are lost."""
    return ascii_codec(getattr(stream, "encoding", None) or "")


def ascii_codec(name: str) -> str | None:
    """Python's name of the encoding ``name`` (utf-8 for utf-8-sig), or None when it is unknown
    or writes ASCII text as other bytes (UTF-16): no encoding a vCard line can be read in."""
    try:
        name = codecs.lookup(name).name
        name = "utf-8" if name == "utf-8-sig" else name
        return name if "BEGIN:VCARD;=".encode(name) == b"BEGIN:VCARD;=" else None
    except (LookupError, UnicodeError):
        return None


def _as_utf8(text: str, encoding: str | None) -> str:
    """An unfolded line that holds bytes that are not text (surrogate escapes): its bytes
    decoded again in the file's encoding, whole, so that a character a fold split in two (RFC
    6350 3.2 folds at 75 bytes, not characters) is one again; when they are still not text,
    its bytes as UTF-8 with surrogate escapes, which ``_in_charset`` decodes again in the
    line's CHARSET, whatever the file's encoding was; U+FFFD for those bytes when they cannot
    be had back."""
    if not _SURROGATE.search(text):
        return text
    try:
        if encoding is not None:
            raw = text.encode(encoding, "surrogateescape")
            whole = raw.decode(encoding, "surrogateescape")
            return whole if not _SURROGATE.search(whole) else raw.decode("utf-8", "surrogateescape")
    except UnicodeError:
        pass
    return _SURROGATE.sub("\ufffd", text)


def _head(text: str) -> str:
    """The name and parameters of a content line, upper-case ("ITEM1.TEL;TYPE=CELL")."""
    return text.split(":", 1)[0].upper()


def _name_of(head: str) -> str:
    return head.split(";", 1)[0].rsplit(".", 1)[-1]


def prop_name(text: str) -> str:
    """The name of a content line's property, upper-case, without its group ("TEL")."""
    return _name_of(_head(text))


def logical_lines(
    lines: Iterable[tuple[int, str]], encoding: str | None = "utf-8"
) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of their first physical line, decoded once
    whole (``_as_utf8``: ``encoding`` is the file's, ``line_encoding``). After a
    QUOTED-PRINTABLE soft break (a value's line ending in ``=``) the next line goes on with the
    value as it is, a leading space included (Python's quopri breaks before a space); only
    other lines that begin with a space or tab are folded, that one character dropped. A
    dropped bulky value's lines that are no property (2.1's BASE64 photo, not indented, up to a
    blank line) are dropped with it. vCard 2.1's ``AGENT:BEGIN:VCARD`` (the AGENT's own card
    on the lines after it) is an ``AGENT:`` line and a ``BEGIN:VCARD`` line of the same number,
    for the reader to skip that card."""
    start, size = 0, 0
    parts: list[str] = []
    dropping = quoted_printable = base64 = False
    for number, text in lines:
        if parts and quoted_printable and parts[-1].endswith("=") and text.strip():
            if not dropping and size < MAX_LINE_CHARS:
                parts[-1] = parts[-1][:-1]
                parts.append(text)
                size += len(text)
            elif not text.endswith("="):  # past the limit: the value's last line ends it
                parts[-1] = parts[-1][:-1]
            continue
        if parts and text[:1] in (" ", "\t"):
            if not dropping and size < MAX_LINE_CHARS:
                parts.append(text[1:])
                size += len(text)
            continue
        if not text.strip():
            quoted_printable = base64 = False  # a blank line ends a QP or BASE64 value
            continue
        if base64 and not _CONTENT_LINE.match(text):
            continue  # more of a dropped photo
        if parts:
            yield start, _decoded(parts, encoding)
        head = _head(text)
        name = _name_of(head)
        if name == "AGENT" and _split(text)[2].strip().upper() == "BEGIN:VCARD":
            yield number, f"{head}:"
            head = text = name = "BEGIN:VCARD"
        dropping = base64 = name in DROPPED
        quoted_printable = "QUOTED-PRINTABLE" in head
        start, parts, size = number, [head + ":" if dropping else text], len(text)
    if parts:
        yield start, _decoded(parts, encoding)


def _decoded(parts: list[str], encoding: str | None) -> str:
    """One content line from its unfolded parts, decoded whole (``_as_utf8``, ``_in_charset``)."""
    text = "".join(parts)
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _in_charset(_as_utf8(text, encoding))


def _in_charset(text: str) -> str:
    """A content line, its value decoded in the CHARSET the line declares when it holds bytes
    that are not text in the file's encoding (``_as_utf8``); with no CHARSET, or one that is
    unknown or does not fit them, those bytes are U+FFFD: the reader reports the line. A value
    that is text already is kept as it is, whatever its CHARSET says (a file converted to UTF-8
    often keeps its old CHARSET parameters)."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    head, sep, value = _split(text)
    parsed = _parse_head(head) if sep and not _SURROGATE.search(head) else None
    charset = ascii_codec(dict(parsed[2]).get("CHARSET", "")) if parsed else None
    if charset is not None:
        try:
            return f"{head}:{value.encode('utf-8', 'surrogateescape').decode(charset)}"
        except UnicodeError:
            pass
    return _SURROGATE.sub("\ufffd", text)


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
        key, values = param[0].upper(), [_uncaret(v) for v in param[1:] if v is not None]
        if not values:
            types.add(key.lower())  # vCard 2.1 bare parameters: TEL;CELL;PREF
        elif key == "TYPE":
            written += [t for v in values for t in _type_values(v)]
            types.update(t.lower() for t in written)
        else:
            out[key] = ",".join(values)
            if key == "PREF":
                types.add("pref")
    return (group or "").lower(), name.upper(), tuple(out.items()), frozenset(types), tuple(written)


def _uncaret(value: str) -> str:
    """A parameter value with RFC 6868's escapes undone (``^'`` ", ``^n`` a line break,
    ``^^`` ^); a caret before anything else is the value's own."""
    if "^" not in value:
        return value
    return _CARET.sub(lambda m: _CARETS[m[1]], value)


def _type_values(value: str) -> list[str]:
    """The TYPE values in one parameter value. vobject splits unquoted lists (``TYPE=work,home``)
    already, so a comma here was inside quotes: a list of standard types (``"work,voice"``) is
    split at it, a label of the user's (``"Office, 2nd"``) stays whole."""
    parts = [part.strip() for part in value.split(",")]
    if len(parts) > 1 and all(
        part.lower() in TYPE_WORDS or part.lower().startswith("x-") for part in parts if part
    ):
        return [part for part in parts if part]
    return [value.strip()] if value.strip() else []


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
