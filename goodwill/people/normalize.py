"""Pure normalisation of names, emails, phones and interests (no database access)."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email

_SPACES = re.compile(r"\s+")
_INTEREST_SEPARATORS = re.compile(r"[\s\-_/.]+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for keys and search ("Zoë " -> "zoe")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def name_keys(given: str, family: str) -> tuple[str, str]:
    """The ``sort_key`` ("ann harris") and ``family_key`` ("harris") of a name."""
    sort_key = fold(f"{given} {family}")
    return sort_key[:310], fold(family)[:150]


def normalise_email(value: str) -> str:
    """A syntactically valid address, lower-cased; ValueError with a readable reason otherwise."""
    value = (value or "").strip()
    try:
        info = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return info.normalized.lower()


def normalise_phone(value: str, region: str) -> str:
    """E.164 form of a phone number, reading numbers without + in ``region``; ValueError if not."""
    value = (value or "").strip()
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{value!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """International display form (+1 902-555-0101) of a stored E.164 number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def interest_key(name: str) -> str:
    """One key for "Storm Chasing", "storm-chasing" and "storm chasing "."""
    return _INTEREST_SEPARATORS.sub(" ", fold(name)).strip()[:100]


def interest_display(name: str) -> str:
    """A tidy display name: single-spaced, separators as spaces, first letter kept as typed."""
    return _INTEREST_SEPARATORS.sub(" ", (name or "").strip()).strip()[:100]


def search_document(
    *,
    given: str,
    family: str,
    preferred: str,
    emails: list[str],
    phones: list[str],
    organisations: list[str],
) -> str:
    """The folded text the substring index searches: names, emails, phone digits, organisations."""
    parts = [fold(f"{given} {family}"), fold(preferred)]
    parts += [e.lower() for e in emails]
    parts += [digits(p) for p in phones]
    parts += [fold(o) for o in organisations]
    return " | ".join(p for p in parts if p)
