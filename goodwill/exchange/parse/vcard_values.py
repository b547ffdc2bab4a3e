"""The values of vCard properties: 2.1 QUOTED-PRINTABLE decoded, structured values (N, ADR,
ORG) split at their unescaped semicolons, lists (CATEGORIES, NICKNAME) at their unescaped
commas, and backslash escapes undone (RFC 6350 §3.4)."""

from __future__ import annotations

import re

from goodwill.exchange.parse.vcard_lines import Prop, ascii_codec

_UNESCAPED = {"n": "\n", "N": "\n"}
# One value of a list (CATEGORIES, NICKNAME): a run of escaped characters and of characters
# other than the comma that separates the values (and a lone backslash, which escapes nothing).
_LIST_VALUE = re.compile(r"(?:\\.|\\\Z|[^\\,])+", re.DOTALL)
# One component of a structured value (N, ADR, ORG): escaped characters and characters other
# than the semicolon that ends it, and a lone backslash at the very end.
_COMPONENT = re.compile(r"(?:\\.|[^\\;])*(?:\\\Z)?", re.DOTALL)
# A comma that separates list values: not escaped (after an even number of backslashes).
_SEPARATOR = re.compile(r"(?<!\\)(?:\\\\)*,")
# A QUOTED-PRINTABLE escaped byte ("=C5"), and the letters a value holds as text already (a
# UTF-8 file's "Łódź =C5=81…"): everything else in a value is ASCII, one byte a character.
_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_LITERAL = re.compile(r"([^\x00-\x7f]+)")
# One UTF-8 character of two to four bytes: a value's bytes with one in them are UTF-8.
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_SURROGATE = re.compile("[\udc80-\udcff]")  # a byte that is not text, as surrogateescape keeps it


def decoded(prop: Prop) -> str:
    """The value with 2.1 QUOTED-PRINTABLE decoded: its ``=XX`` bytes read together in its
    CHARSET (``_charset``), and the characters written as they are kept as they are (a UTF-8
    file's ``Łódź =C5=81…``: they were text already). Bytes that are not text (UTF-8 with a byte
    broken off) are left out: ``not_text`` gives them. A backslash is the value's own."""
    if not _quoted_printable(prop):
        return prop.value
    return _read(prop)[0].replace("\r\n", "\n").replace("\\", "\\\\")


def not_text(prop: Prop) -> bytes:
    """The bytes of a QUOTED-PRINTABLE value that ``decoded`` leaves out because they are not
    text (``M=C3=BC=80ller`` in UTF-8: ``=80``); empty for a value that is all text."""
    return _read(prop)[1] if _quoted_printable(prop) else b""


def _quoted_printable(prop: Prop) -> bool:
    encoding = prop.params.get("ENCODING", "").upper()
    return encoding == "QUOTED-PRINTABLE" or "quoted-printable" in prop.types


def _read(prop: Prop) -> tuple[str, bytes]:
    """The text of a QUOTED-PRINTABLE value and the bytes that are not text in it. Literal
    letters split the value into pieces of bytes, all read in the one charset they fit."""
    value = prop.value.removesuffix("=")  # a soft break with nothing after it, as quopri reads it
    pieces = _LITERAL.split(value)  # bytes (ASCII and =XX) at even places, letters at odd ones
    raw = [_ESCAPE.sub(lambda m: bytes.fromhex(m[1].decode()), p.encode()) for p in pieces[::2]]
    charset = _charset(raw, prop.params.get("CHARSET", ""))
    read = [_as_text(piece, charset) for piece in raw]
    text = "".join(read[i // 2][0] if i % 2 == 0 else piece for i, piece in enumerate(pieces))
    bad = b"".join(bad for _text, bad in read)
    if "\x00" in text:  # ``=00``: no text either (and PostgreSQL refuses it)
        bad += b"\x00" * text.count("\x00")
        text = text.replace("\x00", "")
    return text, bad


def _charset(raw: list[bytes], declared: str) -> str:
    """The charset to read a value's bytes in: the CHARSET it declares when they are text in it,
    else UTF-8 when they are UTF-8; bytes with no UTF-8 character among them are Windows-1252 (an
    old phone's wrong or unknown CHARSET); "" for UTF-8 with bytes that are not text."""
    for candidate in (ascii_codec(declared) if declared else None, "utf-8"):
        if candidate is not None and all(_fits(piece, candidate) for piece in raw):
            return candidate
    return "" if any(_UTF8_CHARACTER.search(piece) for piece in raw) else "cp1252"


def _fits(raw: bytes, charset: str) -> bool:
    try:
        raw.decode(charset)
    except UnicodeDecodeError:
        return False
    return True


def _as_text(raw: bytes, charset: str) -> tuple[str, bytes]:
    """Bytes as text in ``charset`` (Latin-1 for Windows-1252's five unused bytes), and with
    charset "" as UTF-8 without the bytes that are not text, which come second."""
    if charset == "":
        text = raw.decode("utf-8", "surrogateescape")
        bad = bytes(ord(char) - 0xDC00 for char in _SURROGATE.findall(text))
        return _SURROGATE.sub("", text), bad
    return (raw.decode(charset) if _fits(raw, charset) else raw.decode("latin-1")), b""


def components(value: str) -> list[str]:
    """Split a structured value (N, ADR, ORG) at semicolons that are not escaped; two
    backslashes before a semicolon are an escaped backslash, and the semicolon separates."""
    out: list[str] = []
    at = 0
    while True:
        found = _COMPONENT.match(value, at)  # never None: it matches the empty string
        end = found.end() if found else len(value)
        out.append(value[at:end])
        at = end + 1  # past the semicolon
        if at > len(value):
            return out


def join_list(component: str) -> str:
    return " ".join(p for p in list_values(component) if p)


def categories(value: str, *, legacy: bool) -> list[str]:
    """CATEGORIES split at the commas that are not escaped. Before vCard 4.0, a value whose
    commas are all escaped is split at those: Thunderbird escapes its separators
    (``a\\, b\\, c``); goodwill writes 4.0, where ``rock\\, paper`` is one interest."""
    if legacy and not _SEPARATOR.search(value):
        return [part.strip() for part in unescape(value).split(",") if part.strip()]
    return list_values(value)


def list_values(value: str) -> list[str]:
    """The values of a list split at the commas that are not escaped, each unescaped and
    stripped (``jazz,rock\\, paper``: "jazz" and "rock, paper")."""
    return [unescape(part).strip() for part in _LIST_VALUE.findall(value)]


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: _UNESCAPED.get(m[1], m[1]), text)
