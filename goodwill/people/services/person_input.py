"""A person's input fields and how each is cleaned, for every write path: the one-at-a-time
services, the bulk path of imports, the edit form and the merge."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from goodwill.accounts.services import business_get
from goodwill.core.errors import Invalid
from goodwill.people.models import FactSource, Person, PersonRole
from goodwill.people.normalize import normalise_email, normalise_phone

# A person's names and address: what imports, exports and merges carry field for field.
NAME_AND_ADDRESS = (
    "given_name",
    "family_name",
    "preferred_name",
    "street",
    "locality",
    "region",
    "postal_code",
    "country",
)
SCALAR_FIELDS = [
    *NAME_AND_ADDRESS,
    "language",
    "time_zone",
    "notes",
]
AUDITED_FIELDS = [*SCALAR_FIELDS, "source"]
SOURCES = frozenset(FactSource.values)
Texts = Sequence[str]
MAX_LENGTHS = {f.name: f.max_length for f in Person._meta.fields if getattr(f, "max_length", None)}


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """The time zone names the system knows (read once: listing them walks the zone files,
    some milliseconds, which a bulk import would pay per row)."""
    return frozenset(zoneinfo.available_timezones())


def clean_scalars(values: dict[str, Any]) -> dict[str, str]:
    """Stripped text for each known field, limits and formats checked; Invalid names the field."""
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        if name not in SCALAR_FIELDS:
            raise Invalid.field(name, _("Unknown field."))
        text = "" if value is None else str(value).strip()
        limit = MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            raise Invalid.field(name, _("At most %(n)d characters.") % {"n": limit})
        cleaned[name] = text
    if "country" in cleaned:
        cleaned["country"] = cleaned["country"].upper()
        if cleaned["country"] and (
            len(cleaned["country"]) != 2 or not cleaned["country"].isalpha()
        ):
            raise Invalid.field("country", _("Use a two-letter country code such as CA."))
    if cleaned.get("time_zone") and cleaned["time_zone"] not in time_zones():
        raise Invalid.field("time_zone", _("Unknown time zone."))
    return cleaned


def clean_emails(values: Sequence[str]) -> list[str]:
    """Normalised, de-duplicated emails in order; Invalid on ``emails`` names the bad one."""
    out: list[str] = []
    for raw in values:
        if not (raw or "").strip():
            continue
        try:
            email = normalise_email(raw)
        except ValueError as exc:
            message = _("%(value)s is not a valid email address: %(reason)s") % {
                "value": raw,
                "reason": exc,
            }
            raise Invalid.field("emails", message) from exc
        if email not in out:
            out.append(email)
    return out


def clean_phones(values: Sequence[str], region: str | None = None) -> list[str]:
    """E.164 phones, de-duplicated; numbers without + are read in the business's region."""
    region = region or business_get().phone_region
    out: list[str] = []
    for raw in values:
        if not (raw or "").strip():
            continue
        try:
            phone = normalise_phone(raw, region)
        except ValueError as exc:
            message = _("%(value)s is not a valid phone number.") % {"value": raw}
            raise Invalid.field("phones", message) from exc
        if phone not in out:
            out.append(phone)
    return out


def clean_roles(values: Sequence[str]) -> list[str]:
    roles: list[str] = []
    for role in values:
        if role not in PersonRole.Role.values:
            raise Invalid.field("roles", _("Unknown role %(role)s.") % {"role": role})
        if role not in roles:
            roles.append(role)
    return roles


def clean_source(source: str) -> str:
    """``source`` if it is one of the known ways we learn a fact; Invalid on ``source``."""
    if source not in SOURCES:
        raise Invalid.field("source", _("Unknown source %(source)s.") % {"source": source})
    return str(source)
