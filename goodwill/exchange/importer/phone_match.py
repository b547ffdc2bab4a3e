"""Whether a phone a row shares with someone makes them one person.

A phone is often shared: a shop's or a switchboard's line, a family's landline. A row found by
a phone alone is that person unless their names tell them apart. Where both give a given name,
the given names decide: the same, or one the initial or start of the other ("G." is "Guest30",
"Cy" is "Cy Young"), so "Ann Lee" with Ann Smith's phone is Ann after her wedding, while "Sam
Baker" with Ruth Baker's home phone, or "Sam Cooper" with the shop's phone she answers, is
someone new ("Bob Ray" and "Robert Ray" too: a duplicate can be merged later, while one
person's facts given to another cannot be told apart again). Where one gives no given name,
the family names decide. A side without a name of its own (a row whose name was guessed from
its email or company, a person stored without one) agrees with any. Letter case and accents
aside.
"""

from __future__ import annotations

from goodwill.exchange.importer.rows import ImportRow
from goodwill.exchange.importer.stored import Stored
from goodwill.people.normalize import fold


def _given_agree(a: str, b: str) -> bool:
    """Two given names of one person: the same, or one the initial or start of the other."""
    short, long = sorted((a.rstrip("."), b.rstrip(".")), key=len)
    return long.startswith(short) if short else a == b


def phone_names_agree(row: ImportRow, other: ImportRow | Stored) -> bool:
    """Whether ``row``, sharing a phone with ``other`` (an earlier row of the file or a stored
    person), may be them."""
    if row.name_guessed or (isinstance(other, ImportRow) and other.name_guessed):
        return True
    given, family = fold(row.values["given_name"]), fold(row.values["family_name"])
    their_given = fold(other.values["given_name"])
    their_family = fold(other.values["family_name"])
    if not (their_given or their_family) or not (given or family):
        return True
    if given and their_given:
        return _given_agree(given, their_given)
    return not (family and their_family) or family == their_family
