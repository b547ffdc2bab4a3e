"""A file's phone number in E.164: read in the business's region, else in the country of the
row's address. Pure: no database access."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

from goodwill.people.normalize import normalise_phone


def import_phone(raw: str, region: str, country: str) -> tuple[str | None, str]:
    """``raw`` in E.164 (None when it is no phone number), and why it may be wrong ("" when
    not). It is read in the business's region; a number that is no valid one there is read in
    the country of the row's address instead, when it is a valid number there (a Paris
    contact's "06 12 34 56 78" in a US business). One valid in neither is kept as read in the
    region, with a reason naming both; one not read in the region at all is read in the
    country only when written the national way there (``_national``)."""
    try:
        phone = normalise_phone(raw, region)
    except ValueError:
        return _national(raw, region, country), ""
    international = raw.lstrip().startswith(("+", "00"))  # no region reads it otherwise
    if not country or country == region or international or _valid(phone):
        return phone, ""
    if (there := _read(raw, country)) is not None and _valid(there):
        return there, ""
    reason = _("%(value)s is not a valid phone number in %(region)s or %(country)s")
    return phone, reason % {"value": raw.strip(), "region": region, "country": country}


def _national(raw: str, region: str, country: str) -> str | None:
    """``raw`` read in ``country`` when it is written the national way there (its trunk prefix
    first: a Hamburg contact's "040 6432131545" in a Canadian business) and is a valid number,
    not merely one of a possible length (placeholders such as 11111111 stay out)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(country) if country != region else None
    trunk = meta.national_prefix if meta is not None else None
    if not trunk or not "".join(c for c in raw if c.isdigit()).startswith(trunk):
        return None
    phone = _read(raw, country)
    return phone if phone is not None and _valid(phone) else None


def _read(raw: str, country: str) -> str | None:
    try:
        return normalise_phone(raw, country)
    except ValueError:
        return None


def _valid(phone: str | None) -> bool:
    return phone is not None and phonenumbers.is_valid_number(phonenumbers.parse(phone, None))
