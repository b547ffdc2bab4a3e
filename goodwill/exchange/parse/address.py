"""One-cell addresses in their parts: Mailchimp's, and a formatted address (Google's
"Address 1 - Formatted"), and the one address kept of a row or card that has several.

Mailchimp exports a contact's whole address in one "Address" column, its parts two spaces apart:
the street, the second street line only when there is one, the city, the state, the postcode and
the country ("1701 Bristol Ave  Suite 4  Barrington  RI  02806  US"). The column maps to the
street; when nothing else of the address is mapped and the cell has exactly that shape, ending in
a country the importer knows, the parts go where they belong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from goodwill.exchange.parse.countries import country_code
from goodwill.exchange.parse.records import Address, RowError

_APART = re.compile(r" {2,}")


def combined_address(address: Address, country_code: Callable[[str], str]) -> Address:
    """``address`` with a Mailchimp one-cell street split into street, city, region, postcode
    and country; any other address as it is. ``country_code`` tells a known country ("" if not)."""
    if address.locality or address.region or address.postal_code or address.country:
        return address
    parts = _APART.split(address.street.strip())
    if len(parts) not in (5, 6) or not country_code(parts[-1]):
        return address
    *street, locality, region, postal_code, country = parts
    return Address(
        street=", ".join(street),
        locality=locality,
        region=region,
        postal_code=postal_code,
        country=country,
    )


# An address in one cell, as Google's "Address 1 - Formatted" holds it: street lines, then the
# locality's line, then the country. The locality's line in the forms most address books write:
_POSTAL = r"(?=[^,]*\d)[A-Z\d][A-Z\d -]{1,8}[A-Z\d]"
_LOCALITY_LINES = (
    # "Mountain View, CA 94043", "Halifax, NS B3H 1A1", "London, SW1A 1AA"
    re.compile(
        rf"(?P<locality>[^,\d]+?),\s*(?:(?P<region>[^,\d]+?)\s+)?(?P<postal_code>{_POSTAL})"
    ),
    # "Sydney NSW 2000", "Mountain View CA 94043"
    re.compile(
        r"(?P<locality>[^,\d]+?)\s+(?P<region>[A-Z]{2,3})\s+(?P<postal_code>\d{4,5}(-\d{4})?)"
    ),
    # "10115 Berlin", "D-10115 Berlin", "1012 AB Amsterdam", "111 21 Stockholm"
    re.compile(
        r"(?P<postal_code>\d{4} ?[A-Z]{2}(?=\s)|(?:[A-Z]{1,2}-)?\d{4,5}|\d{3} \d{2})"
        r"\s+(?P<locality>[^\d,\s][^,]*)"
    ),
    # "Halifax, NS"
    re.compile(r"(?P<locality>[^,\d]+?),\s*(?P<region>[A-Z]{2,3})"),
    # "London NW1 6XE", "Toronto M5H 1J8": a British or Canadian postcode after the town
    re.compile(
        r"(?P<locality>[^,\d]+?)\s+"
        r"(?P<postal_code>[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)"
    ),
)
# What a locality's line split at a comma ends with: "CA 94043", "NS B3H 1A1", "94043", "NS".
_LOCALITY_END = re.compile(rf"(?:[A-Z]{{2,3}}\s+)?{_POSTAL}|[A-Z]{{2,3}}")
# A postcode on a line of its own, the locality's line above it: "London" then "SW1A 1AA".
_POSTCODE_LINE = re.compile(
    r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4,5}(-\d{4})?"
)


def formatted_address(text: str) -> Address:
    """The parts of an address written in one cell: its street lines, its locality's line
    ("City, Region Postcode", "City Region Postcode", "Postcode City" or "City, Region", or a
    postcode line below the city's) and a last line that names a known country; in one line,
    its parts are those between commas. What cannot be split stays whole in the street."""
    text = text.strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joiner = "\n"
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
        joiner = ", "
    country = lines.pop() if len(lines) > 1 and country_code(lines[-1]) else ""
    # The locality's line, or two lines when the last is only its end: "Toronto", "ON M5H 1J8".
    ends = len(lines) > 1 and _LOCALITY_END.fullmatch(lines[-1])
    for size in (2, 1) if ends else (1,):
        if parts := _locality(", ".join(lines[-size:])):
            return Address(street=joiner.join(lines[:-size]), country=country, **parts)
    if len(lines) > 1 and _POSTCODE_LINE.fullmatch(lines[-1]):
        street = joiner.join(lines[:-2])
        return Address(street, locality=lines[-2], postal_code=lines[-1], country=country)
    return Address(street=joiner.join(lines) if country else text, country=country)


def _locality(line: str) -> dict[str, str] | None:
    for pattern in _LOCALITY_LINES:
        if match := pattern.fullmatch(line):
            parts = {k: v.strip() for k, v in match.groupdict().items() if v}
            return {k: parts.get(k, "") for k in ("locality", "region", "postal_code")}
    return None


@dataclass(frozen=True, slots=True)
class Found:
    """One of a row's or card's addresses, where the file holds it (a column or property, and a
    vCard property's own line), and whether it is the preferred (vCard PREF) or home one."""

    address: Address
    column: str
    at: int = 0
    preferred: bool = False
    home: bool = False


def row_address(groups: dict[str, dict[str, str]], line: int) -> tuple[Address, list[RowError]]:
    """The address of a CSV row (line ``line``) from its columns' values by group ("home",
    "work", "1"), each group's first column under "column" and a formatted address (Google's
    "Address 1 - Formatted") under "formatted_address", read when the group has no parts; of
    several, the one ``one_address`` keeps."""
    if len(groups) == 1:  # most rows: one group of columns, no choice to make
        fields = next(iter(groups.values()))
        del fields["column"]
        formatted = fields.pop("formatted_address", "")
        if any(fields.values()):
            return Address(**fields), []
        return (formatted_address(formatted) if formatted else Address()), []
    found = []
    for group, fields in groups.items():
        column, formatted = fields.pop("column"), fields.pop("formatted_address", "")
        if any(fields.values()):  # the address in parts, whatever the formatted one says
            found.append(Found(Address(**fields), column, home=group == "home"))
        elif formatted:
            found.append(Found(formatted_address(formatted), column, home=group == "home"))
    if len(found) < 2:  # most rows have one address at most
        return (found[0].address if found else Address()), []
    return one_address(found, line)


def one_address(found: list[Found], line: int) -> tuple[Address, list[RowError]]:
    """The address to keep of a row or card (line ``line``) that has several, as goodwill keeps
    one: the preferred one (vCard PREF), else the home one, else one with a street and a town
    over one without, else the first (Google's "Address 1", a card's first ADR); each other one
    that says more than the one kept is a value left out."""
    kept = max(found, key=_rank)  # the first of those ranked the same
    reason = _("%(left)s is another address, and a person has one: %(kept)s is kept")
    left_out = []
    for other in found:
        if other is not kept and not _within(other.address, kept.address):
            values = {"left": _one_line(other.address), "kept": _one_line(kept.address)}
            left_out.append(RowError(line, other.column, reason % values, other.at))
    return kept.address, left_out


def _rank(found: Found) -> tuple[bool, bool, bool, bool]:
    return found.preferred, found.home, bool(found.address.street), bool(found.address.locality)


def _parts(address: Address) -> tuple[str, str, str, str, str]:
    return (address.street, address.locality, address.region, address.postal_code, address.country)


def _within(address: Address, kept: Address) -> bool:
    """True when each part of ``address`` is the kept one's (the same address, or less of it)."""
    return all(
        not part or part.casefold() == other.casefold()
        for part, other in zip(_parts(address), _parts(kept), strict=True)
    )


def _one_line(address: Address) -> str:
    return ", ".join(part.replace("\n", ", ") for part in _parts(address) if part)
