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


if __name__ == "__main__":
    NAMES_FILE.write_text(
        json.dumps(names_from_phonenumbers(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
