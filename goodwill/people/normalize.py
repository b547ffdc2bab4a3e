"""Pure normalisation of names, emails, phones and interests (no database access)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import DOT_ATOM_TEXT, EMAIL_MAX_LENGTH

_SPACES = re.compile(r"\s+")
_INTEREST_SEPARATORS = re.compile(r"[\s\-_/.]+")
_NON_DIGITS = re.compile(r"[^0-9]+")
# A North American number as address books write it: +1 or not, then ten digits (area code and
# exchange not starting with 0 or 1 in the area code), with spaces, dashes, dots or brackets.
_NANP = re.compile(r"(\+1)?[ .()-]*([2-9])[ .()-]*(?:[0-9][ .()-]*){9}\Z")
_NANP_REGIONS = frozenset({"US", "CA"})
_PHONE_SEPARATORS = str.maketrans("", "", " .()-")


@lru_cache(maxsize=16384)  # names, organisations and interests repeat across an import
def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for keys and search ("Zoë " -> "zoe")."""
    text = text or ""
    if text.isascii():  # nothing to decompose, and casefold() is lower() for ASCII
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def digits(text: str) -> str:
    """The digits of ``text`` ("+1 902-555" -> "1902555")."""
    if text.isascii():  # an E.164 number: isdigit() is 0-9
        return _NON_DIGITS.sub("", text)
    return "".join(c for c in text if c.isdigit())


def name_keys(given: str, family: str) -> tuple[str, str]:
    """The ``sort_key`` ("ann harris") and ``family_key`` ("harris") of a name."""
    sort_key = fold(f"{given} {family}")
    return sort_key[:310], fold(family)[:150]


@lru_cache(maxsize=4096)
def _email_domain(domain: str) -> tuple[str, int] | None:
    """The normalised form of a valid domain and the longest of its forms in UTF-8 bytes."""
    try:
        info = validate_email("a@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return None
    forms = (domain, info.domain, info.ascii_domain or "")
    return info.domain, max(len(form.encode()) for form in forms)


def normalise_email(value: str) -> str:
    """A syntactically valid address, lower-cased; ValueError with a readable reason otherwise."""
    value = (value or "").strip()
    # The common case (a plain ASCII local part) validated as email-validator does: its domain
    # checks are cached per domain; anything else takes the full path.
    local, at, domain = value.rpartition("@")
    checked = _email_domain(domain) if at and DOT_ATOM_TEXT.match(local) else None
    if checked and len(local) + 1 + checked[1] <= EMAIL_MAX_LENGTH:
        return f"{local}@{checked[0]}".lower()
    try:
        info = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc
    return info.normalized.lower()


def normalise_phone(value: str, region: str) -> str:
    """E.164 form of a phone number, reading numbers without + in ``region``; ValueError if not."""
    value = (value or "").strip()
    if len(value) == 12 and value[:2] == "+1" and value[2:].isdigit() and value[2] not in "01":
        return value  # already E.164 in North America (what _NANP would return)
    nanp = _NANP.match(value) if len(value) <= 30 else None
    if nanp and (nanp.group(1) or region in _NANP_REGIONS):
        # Ten digits after +1 (or in the US or Canada) are always a possible number there.
        return "+1" + value.translate(_PHONE_SEPARATORS)[-10:]
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{value!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=8192)
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


TAG_MAX_LENGTH = 100


def tag_key(name: str) -> str:
    """One key for "VIP", "vip " and "Vïp": case, accents and spacing ignored, punctuation kept
    ("met at fair 2025" and "met-at-fair-2025" stay two tags)."""
    return fold(name)[:TAG_MAX_LENGTH]


def tag_display(name: str) -> str:
    """A tag's name as typed, single-spaced and trimmed."""
    return _SPACES.sub(" ", name or "").strip()


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
