"""A file's phone number in E.164: read in the business's region, else in the country of the
row's address; several numbers in one cell told apart, and a number's extension. Pure: no
database access."""

from __future__ import annotations

import re

import phonenumbers
from django.utils.translation import gettext as _

from goodwill.people.normalize import normalise_phone

# What may sit between the numbers of a cell that holds several ("+1 902 555 0101 / +1 902 555
# 0102"): a slash on its own (not "040/123456", a German area code), a semicolon or a comma.
_BETWEEN = re.compile(r"\s+/\s+|[;,]")
# A number written with digits, spaces, dots, dashes, brackets and a "+" only: no extension.
_PLAIN = re.compile(r"[0-9+ .()/-]*\Z")


def import_phone(raw: str, region: str, country: str) -> tuple[str | None, str]:
    """``raw`` in E.164 (None when it is no phone number), and why it may be wrong ("" when
    not). It is read in the business's region; a number that is no valid one there is read in
    the country of the row's address instead, when it is a valid number there (a Paris
    contact's "06 12 34 56 78" in a US business). One valid in neither is kept as read in the
    region, with a reason naming both, and so is one that is no valid number in the region
    when the row names no other country ("555 1234": no area code). One not read in the region
    at all is read in the country only when written the national way there (``_national``)."""
    try:
        phone = normalise_phone(raw, region)
    except ValueError:
        return _national(raw, region, country), ""
    if raw.lstrip().startswith(("+", "00")):  # as written: no region reads it otherwise
        return phone, ""
    if not country or country == region:
        if _north_american(phone) or _valid(phone):
            return phone, ""
        reason = _("%(value)s is not a valid phone number in %(region)s")
        return phone, reason % {"value": raw.strip(), "region": region}
    if _valid(phone):
        return phone, ""
    if (there := _read(raw, country)) is not None and _valid(there):
        return there, ""
    reason = _("%(value)s is not a valid phone number in %(region)s or %(country)s")
    return phone, reason % {"value": raw.strip(), "region": region, "country": country}


def phone_parts(raw: str, region: str, country: str) -> list[str]:
    """The numbers of a cell that holds several ("+1 902 555 0101 / +1 902 555 0102", "0101;
    0102"), each a number on its own; ``[raw]`` when it holds one, or parts that are not all
    numbers ("+1 902 555 0199;ext=12")."""
    if not _BETWEEN.search(raw):
        return [raw]
    parts = [part.strip() for part in _BETWEEN.split(raw) if part.strip()]
    if len(parts) < 2 or any(import_phone(p, region, country)[0] is None for p in parts):
        return [raw]
    return parts


def phone_extension(raw: str, region: str) -> str:
    """The extension written after a number ("ext. 12", "x45", ";ext=12"), "" when none."""
    if _PLAIN.match(raw):  # the common case: nothing to parse twice
        return ""
    try:
        return phonenumbers.parse(raw, region or None).extension or ""
    except phonenumbers.NumberParseException:
        return ""


def _north_american(phone: str) -> bool:
    """True for a whole North American number (area code and exchange of 2 to 9), which the
    cheap path of ``normalise_phone`` reads without asking whether it is assigned."""
    return len(phone) == 12 and phone[:2] == "+1" and phone[2] not in "01" and phone[5] not in "01"


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
