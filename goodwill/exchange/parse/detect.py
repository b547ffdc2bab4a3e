"""Open an import file: check its size, find its encoding (BOM, then a detector) and its format
(vCard or CSV) from the content, and hand out the right reader.

The encoding is found from the first 64 KiB. When those are plain ASCII (an export whose first
thousands of rows have no accents), the file is read on in blocks up to its first non-ASCII
bytes, and the encoding is found from the text around them. Text that reads as Windows-1252
there is checked against the rest of the file: a UTF-8 file with a damaged byte early on is
still UTF-8.

A few stray high bytes in ASCII text are damage, not a legacy East-Asian or Cyrillic encoding:
"B\\x81o" would read as GB18030 "B乷", its "o" eaten. Such a guess is kept only when its
characters stand apart from ASCII letters and digits, as words in those scripts do; otherwise
the file reads as Windows-1252 (when the rest is Western text) or UTF-8, and the rows holding
the damaged bytes are refused.

Turkish Windows-1254 differs from Windows-1252 in six letters only; a Western text whose accented
letters are all Turkish ones, some of them the six, is read as Turkish (``_turkish``).
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

import charset_normalizer
from django.utils.translation import gettext as _

from goodwill.exchange.parse.records import ContactRecord, ImportFileError, RowError

DEFAULT_MAX_BYTES = 2 * 1024**3
SAMPLE_BYTES = 64 * 1024
# Reading on past an ASCII sample: block size, and how much text before the first non-ASCII
# byte goes into the window the encoding is found from.
SCAN_BYTES = 1024 * 1024
WINDOW_BEFORE = 4 * 1024
# Reading on to tell Windows-1252 from damaged UTF-8 stops once one side leads by this many.
VERDICT_MARGIN = 4096
# There, a whole UTF-8 character weighs as much as this many stray bytes: Windows-1252 text
# almost never puts a letter before the symbols that would make one ("Ã©"), while one damaged
# row of a UTF-8 file has a stray byte per accent ("Renée Lefèvre" typed in Latin-1: two).
UTF8_WEIGHT = 4
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_LETTERS = re.compile(r"[^\W\d_]+")
# An object, or a list starting with one, whose first key is a quoted string; or "[]".
_JSON_START = re.compile(r'\A(?:\[\s*)?\{\s*(?:"(?:[^"\\\n]|\\.)*"\s*:|\})|\A\[\s*\]\s*\Z')
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Candidates for files that are not UTF-8 or UTF-16, used only when Windows-1252 does not fit.
_LEGACY = ["cp1250", "cp1251", "cp1253", "cp1254", "koi8_r", "shift_jis", "gb18030", "big5"]
# Of those, the ones whose letters are not Latin: text in them holds runs of non-ASCII letters.
_NON_LATIN = frozenset({"cp1251", "cp1253", "koi8_r", "shift_jis", "gb18030", "big5"})
# A non-ASCII character glued to an ASCII letter: how a stray byte reads.
_UNDEFINED_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_NON_ASCII_TEXT = re.compile(r"[^\x00-\x7f]")
_GLUED = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]|[^\x00-\x7f](?=[A-Za-z])")
_WORD = re.compile(r"[^\W\d_]+")
# The two single-byte Western encodings: Windows-1252 and Turkish Windows-1254, which differs
# only in six letters. Windows-1252 reads Turkish "ĞİŞğış" as "ÐÝÞðýþ" (Icelandic letters); a
# text whose other accented letters are all Turkish ones is Turkish ("Ayþe Yýlmaz", "Gül").
WESTERN = ("cp1252", "cp1254")
_TURKISH_ONLY = frozenset("ÐÝÞðýþ")
_TURKISH_TOO = frozenset("çÇöÖüÜâÂîÎûÛ")
# Turkish names have both "ı" or "İ" (read as "ý", "Ý") and "ş" or "ğ" (read as "þ", "ð"): one
# alone is a Czech "Nový" or an Icelandic "Sigurður".
_DOTLESS = frozenset("Ýý")
_SOFT = frozenset("ÐÞðþ")
# So many non-ASCII characters that they are text, never a few damaged bytes.
MANY_NON_ASCII = 12


@dataclass(frozen=True)
class ImportFile:
    """A checked import file: its path, detected format ("csv" or "vcard") and encoding."""

    path: Path
    format: str
    encoding: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def open_text(self) -> TextIO:
        """The file as text, undecodable bytes replaced by U+FFFD (readers report such rows);
        in a vCard (not UTF-16, whose damage is not bytes of another charset) kept as
        surrogate escapes, which a value's own CHARSET may decode."""
        escaped = self.format == "vcard" and not self.encoding.startswith("utf-16")
        errors = "surrogateescape" if escaped else "replace"
        return open(  # noqa: SIM115 - the caller closes it
            self.path, encoding=self.encoding, errors=errors, newline=""
        )

    def columns(self, overrides: dict[str, str] | None = None) -> dict[str, str]:
        """For a CSV file, {header: "field[:label]" or ""} as the mapping step shows it."""
        from goodwill.exchange.parse.csv_mapping import apply_overrides, auto_mapping, describe
        from goodwill.exchange.parse.csv_reader import read_header

        if self.format != "csv":
            return {}
        with self.open_text() as stream:
            header, _delimiter, _line = read_header(stream)
        mapping = apply_overrides(header, auto_mapping(header), overrides or {})
        return describe(header, mapping)

    def records(
        self, *, overrides: dict[str, str] | None = None, day_first: bool = False
    ) -> Iterator[ContactRecord | RowError]:
        """Every record or row error of the file, read lazily."""
        from goodwill.exchange.parse.csv_reader import read_csv
        from goodwill.exchange.parse.vcard_reader import read_vcard

        with self.open_text() as stream:
            if self.format == "vcard":
                yield from read_vcard(stream)
            else:
                yield from read_csv(
                    stream,
                    name=self.name,
                    overrides=overrides,
                    day_first=day_first,
                    encoding=self.encoding,
                )


def open_import(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,  # noqa: A002 - the CLI option is called --format
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportFile:
    """Check ``path`` and detect its encoding and format; ImportFileError says why not."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(_("%(name)s: cannot be read (%(why)s).") % _n(path, exc)) from exc
    if size > max_bytes:
        raise ImportFileError(
            _("%(name)s: the file is too large (%(size)s bytes; the limit is %(max)s).")
            % {"name": path.name, "size": size, "max": max_bytes}
        )
    try:
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
            if not sample.strip():
                raise ImportFileError(_("%(name)s: the file is empty.") % {"name": path.name})
            encoding = detect_encoding(sample, truncated=size > len(sample))
            if encoding == "utf-8" and size > len(sample) and _says_nothing(sample):
                encoding = _encoding_further_on(fh, size)
            elif encoding in WESTERN and size > len(sample) and _utf8_overall(fh, sample):
                encoding = "utf-8"
    except OSError as exc:
        raise ImportFileError(_("%(name)s: cannot be read (%(why)s).") % _n(path, exc)) from exc
    if encoding is None:
        raise ImportFileError(
            _("%(name)s: this looks like a binary file, not CSV or vCard.") % {"name": path.name}
        )
    text = sample.decode(encoding, errors="replace")
    detected = "vcard" if _looks_like_vcard(text) else "csv"
    if format not in (None, "", "csv", "vcard"):
        raise ImportFileError(_("Unknown format %(f)s.") % {"f": format})
    if _looks_like_json(text):
        raise ImportFileError(
            _(
                "%(name)s: this is a JSON file, which cannot be imported. Import a CSV or vCard "
                "file instead (goodwill's export page offers both)."
            )
            % {"name": path.name}
        )
    if format == "vcard" and detected != "vcard":
        raise ImportFileError(
            _("%(name)s: this is not a vCard file (it does not start with BEGIN:VCARD).")
            % {"name": path.name}
        )
    return ImportFile(path=path, format=format or detected, encoding=encoding, size=size)


def _n(path: Path, exc: OSError) -> dict[str, str]:
    return {"name": path.name, "why": exc.strerror or str(exc)}


def _looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD")


def _looks_like_json(text: str) -> bool:
    """A JSON object or list of objects (goodwill's own JSON export), from its first bytes: a
    CSV whose first cell starts with "[" ("[Draft] list,Email") is not one."""
    return _JSON_START.match(text.lstrip("\ufeff \t\r\n")) is not None


def detect_encoding(sample: bytes, *, truncated: bool = False) -> str | None:
    """The encoding of ``sample``: a BOM, UTF-16 without BOM, UTF-8, Windows-1252 when it reads
    as Western text, else charset-normalizer's best guess; None for binary data."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if b"\x00" in sample:
        return None
    if _decodes(sample, "utf-8", truncated=truncated) or _mostly_utf8(sample):
        return "utf-8"
    if _western(sample):
        return "cp1254" if _turkish(sample.decode("cp1252")) else "cp1252"
    best = charset_normalizer.from_bytes(sample, cp_isolation=_LEGACY).best()
    if best is not None and _plausible(sample, str(best.encoding)):
        return str(best.encoding)
    return _damaged(sample, guessed=best is not None)


def _plausible(sample: bytes, encoding: str) -> bool:
    """Whether ``sample`` reads as text of the legacy ``encoding`` rather than as ASCII text with
    a few damaged bytes. A file with many non-ASCII characters is text. Otherwise: in a Latin
    one (Central European, Turkish) a few bytes all undefined in Windows-1252 ("B\\x8do":
    "BŤo") are damage, while one other accented letter ("Ján Ťahan") makes it text; in the
    others (Cyrillic, Greek, East-Asian) at least two characters must stand apart from ASCII
    letters, and more than are glued to them ("B\\x81o" reads "B乷" in GB18030, while digits
    beside them are common: "港区1丁目")."""
    text = sample.decode(encoding, errors="replace")
    non_ascii = len(_NON_ASCII_TEXT.findall(text))
    if non_ascii >= MANY_NON_ASCII:
        return True
    if encoding not in _NON_LATIN:
        undefined = len(_UNDEFINED_1252.findall(sample))
        return undefined < len(_NON_ASCII.findall(sample)) or undefined >= 3
    glued = len(_GLUED.findall(text))
    apart = non_ascii - glued
    return apart >= 2 and apart > glued


def _damaged(sample: bytes, *, guessed: bool) -> str | None:
    """The encoding of text with a few damaged bytes that no legacy encoding reads as words:
    Windows-1252 when the rest reads as Western text, else UTF-8 when some legacy encoding
    could decode it (its readers refuse the damaged rows); None for binary data."""
    text = sample.decode("cp1252", errors="replace")
    undefined = text.count("\ufffd")
    latin = _latin_count(text)
    if latin and undefined <= latin and _western_text(text.replace("\ufffd", "")):
        return "cp1252"
    return "utf-8" if guessed else None


def _says_nothing(sample: bytes) -> bool:
    """Whether a sample read as UTF-8 holds no UTF-8 character (ASCII, maybe with a few damaged
    bytes): the encoding is then found further on."""
    return sample.isascii() or not _UTF8_CHARACTER.search(sample)


def _encoding_further_on(fh: BinaryIO, size: int) -> str:
    """For a file that begins with plain ASCII: the encoding of the text around its first
    non-ASCII bytes, read on from ``fh`` block by block; UTF-8 when there are none."""
    offset = fh.tell()
    while block := fh.read(SCAN_BYTES):
        if not block.isascii():
            fh.seek(max(offset + _first_non_ascii(block) - WINDOW_BEFORE, 0))
            window = fh.read(SAMPLE_BYTES)
            found = _late_encoding(window, truncated=fh.tell() < size)
            return "utf-8" if found in WESTERN and _utf8_overall(fh, window) else found
        offset += len(block)
    return "utf-8"


def _late_encoding(window: bytes, *, truncated: bool) -> str:
    """The encoding of a file's first non-ASCII text, found as for a file's start, except that
    stray letters ("ÿþ" alone: bytes of a damaged UTF-8 file) and UTF-16 or binary data keep
    UTF-8, whose readers report those rows: read as Windows-1252, the file's later UTF-8 text
    would turn into gibberish without a word."""
    found = detect_encoding(window, truncated=truncated)
    if found is None or found.startswith("utf-16"):
        return "utf-8"
    if found in WESTERN and not _in_words(window.decode("cp1252")):
        return "utf-8"
    return found


def _utf8_overall(fh: BinaryIO, seen: bytes) -> bool:
    """Whether a file that reads as Windows-1252 so far (``seen``) is UTF-8 with a few damaged
    bytes ("B\xffb" typed in a Latin-1 editor): most of its non-ASCII bytes, read on until one
    kind leads by ``VERDICT_MARGIN`` (or to its end), are whole UTF-8 characters. Then only the
    damaged rows are refused, and its accents kept."""
    characters = stray = 0
    block = seen
    while block and abs(UTF8_WEIGHT * characters - stray) < VERDICT_MARGIN:
        if not block.isascii():
            found = _UTF8_CHARACTER.findall(block)
            characters += len(found)
            stray += len(_NON_ASCII.findall(block)) - sum(len(c) for c in found)
        block = fh.read(SCAN_BYTES)
    return UTF8_WEIGHT * characters > stray


def _in_words(text: str) -> bool:
    """True when every run of letters with a non-ASCII one is a single letter ("à") or also
    has ASCII letters ("Jürgen", "café"), as in Western text."""
    return all(
        word.isascii() or len(word) == 1 or any(c.isascii() for c in word)
        for word in _LETTERS.findall(text)
    )


def _first_non_ascii(block: bytes) -> int:
    match = _NON_ASCII.search(block)
    return match.start() if match else len(block)


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    return None


def _decodes(sample: bytes, encoding: str, *, truncated: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=not truncated)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(sample: bytes) -> bool:
    """True for UTF-8 text with a few damaged bytes (the rows holding them are reported)."""
    text = sample.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    intact = sum(1 for c in text if ord(c) > 127) - damaged
    return intact > 0 and damaged <= intact


def _western(sample: bytes) -> bool:
    """True when the sample decodes as Windows-1252 into letters and usual punctuation, its few
    whole UTF-8 characters aside (a name pasted into the file: its reader mends those cells)."""
    try:
        sample.decode("cp1252")  # every byte of it, as the file will be read
        text = _UTF8_CHARACTER.sub(b"", sample).decode("cp1252")
    except UnicodeDecodeError:
        return False
    return _western_text(text)


def _western_text(text: str) -> bool:
    """True when the non-ASCII characters of ``text`` are nearly all Latin letters or usual
    punctuation, in words as Western languages write them: accents among plain letters
    ("Müller"), not whole words of them ("Èâàí Ïåòðîâ" is Russian, Windows-1251, read wrong)."""
    if _latin_count(text) < 0.9 * sum(1 for c in text if ord(c) > 127):
        return False
    accented = [w for w in _WORD.findall(text) if not w.isascii()]
    whole = sum(1 for w in accented if len(w) >= 3 and not any(c.isascii() for c in w))
    return whole <= 0.3 * len(accented)


def _turkish(text: str) -> bool:
    """Whether Western text read as Windows-1252 is Turkish, written in Windows-1254: it has
    Turkish "ı" or "İ" and "ş" or "ğ" as Windows-1252 reads them ("ý", "þ", "ð"), and no
    accented letter Turkish lacks (Icelandic names have "á", "é", "ó" or "æ"; German ones "ä"
    or "ß"; Czech ones "č" or "ř", which Windows-1252 has not)."""
    letters = {c for c in text if ord(c) > 127 and c.isalpha()}
    if not (letters & _DOTLESS and letters & _SOFT):
        return False
    return letters <= _TURKISH_ONLY | _TURKISH_TOO


def _latin_count(text: str) -> int:
    """How many non-ASCII characters of ``text`` are Latin letters or usual punctuation."""
    return sum(
        1
        for c in text
        if ord(c) > 127 and ("LATIN" in unicodedata.name(c, "") or c in "€–—‘’“”„…°§©®·•")
    )
