"""The values of vCard properties: 2.1 QUOTED-PRINTABLE decoded, structured values (N, ADR,
ORG) split at their unescaped semicolons, lists (CATEGORIES, NICKNAME) at their unescaped
commas, and backslash escapes undone (RFC 6350 §3.4)."""

from __future__ import annotations

import quopri
import re

from goodwill.exchange.parse.vcard_lines import Prop

_UNESCAPED = {"n": "\n", "N": "\n"}
# One value of a list (CATEGORIES, NICKNAME): a run of escaped characters and of characters
# other than the comma that separates the values (and a lone backslash, which escapes nothing).
_LIST_VALUE = re.compile(r"(?:\\.|\\\Z|[^\\,])+", re.DOTALL)
# One component of a structured value (N, ADR, ORG): escaped characters and characters other
# than the semicolon that ends it, and a lone backslash at the very end.
_COMPONENT = re.compile(r"(?:\\.|[^\\;])*(?:\\\Z)?", re.DOTALL)
# A comma that separates list values: not escaped (after an even number of backslashes).
_SEPARATOR = re.compile(r"(?<!\\)(?:\\\\)*,")
# A run of QUOTED-PRINTABLE escaped bytes ("=C5=81"): the only part of a value that is bytes.
_QUOTED_RUN = re.compile(r"(?:=[0-9A-Fa-f]{2})+")


def decoded(prop: Prop) -> str:
    """The value with 2.1 QUOTED-PRINTABLE decoded: each run of ``=XX`` bytes in its CHARSET
    (UTF-8, else Windows-1252), and the characters written as they are kept as they are (a
    UTF-8 file's ``Łódź =C5=81…``: they were text already). A backslash is the value's own."""
    encoding = prop.params.get("ENCODING", "").upper()
    if encoding != "QUOTED-PRINTABLE" and "quoted-printable" not in prop.types:
        return prop.value
    charset = prop.params.get("CHARSET", "utf-8")
    value = prop.value.removesuffix("=")  # a soft break with nothing after it, as quopri reads it
    text = _QUOTED_RUN.sub(lambda m: _unquoted(m[0], charset), value)
    return text.replace("\r\n", "\n").replace("\\", "\\\\")


def _unquoted(run: str, charset: str) -> str:
    """A run of ``=XX`` escapes as text: its bytes in ``charset``, else UTF-8, else
    Windows-1252 (an unknown or wrong CHARSET is common in old phones' files)."""
    raw = quopri.decodestring(run.encode("ascii"))
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return raw.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1")


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
