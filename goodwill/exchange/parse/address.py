"""Mailchimp's one-cell address in its parts.

Mailchimp exports a contact's whole address in one "Address" column, its parts two spaces apart:
the street, the second street line only when there is one, the city, the state, the postcode and
the country ("1701 Bristol Ave  Suite 4  Barrington  RI  02806  US"). The column maps to the
street; when nothing else of the address is mapped and the cell has exactly that shape, ending in
a country the importer knows, the parts go where they belong.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from goodwill.exchange.parse.records import Address

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
