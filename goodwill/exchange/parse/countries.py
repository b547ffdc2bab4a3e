"""Country names in the languages address books are written in, to two-letter codes.

The names come from phonenumbers' locale data, but loading that module costs every process about
100 MB, so they are kept in ``country_names.json`` beside this file. After upgrading
phonenumbers, write it again with ``python -m goodwill.exchange.parse.countries`` (a test fails
until then).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from goodwill.people.normalize import fold

NAMES_FILE = Path(__file__).with_name("country_names.json")
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
# Names address books hold that phonenumbers' locale data does not.
ALIASES = {
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "holland": "NL",
    "czechia": "CZ",
    "korea": "KR",
    "republic of korea": "KR",
    "россия": "RU",
    "российская федерация": "RU",
    "україна": "UA",
    "украина": "UA",
    "日本": "JP",
    "中国": "CN",
    "中華人民共和国": "CN",
    "台灣": "TW",
    "台湾": "TW",
    "대한민국": "KR",
    "한국": "KR",
    "ελλάδα": "GR",
}


def names_from_phonenumbers() -> dict[str, str]:
    """{folded name: code} built from phonenumbers' locale data (slow and large: for the file)."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for code, by_language in sorted(LOCALE_DATA.items()):
        for language in LANGUAGES:
            name = by_language.get(language, "")
            if name.startswith("*"):
                name = by_language.get(name[1:], "")
            if name and len(code) == 2:
                names.setdefault(fold(name), code)
    return names


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """{folded name: two-letter code} as kept in ``country_names.json``."""
    names: dict[str, str] = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    return names


def country_code(value: str) -> str:
    """A two-letter code for "CA", "Canada", "Deutschland", "The Netherlands", "U.S.A.", "日本";
    "" when not known. Only two ASCII letters are read as a code."""
    value = value.strip()
    if len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    key = _key(value)
    return _known().get(key) or _known().get(key.removeprefix("the "), "")


def _key(name: str) -> str:
    return fold(name.replace(".", ""))


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    return {**country_names(), **{_key(name): code for name, code in ALIASES.items()}}


if __name__ == "__main__":
    NAMES_FILE.write_text(
        json.dumps(names_from_phonenumbers(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
