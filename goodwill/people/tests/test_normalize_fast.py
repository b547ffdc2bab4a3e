"""The fast paths of the normalisers give exactly what email-validator and phonenumbers give."""

from __future__ import annotations

import random
import re
import unicodedata

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given
from hypothesis import strategies as st

from goodwill.people.normalize import digits, fold, normalise_email, normalise_phone

SEPARATORS = ["", " ", "-", ".", "(", ")", "  ", "+", "/", "x"]
REGIONS = ["US", "CA", "GB", "DE", "AG", "", "us"]
LOCAL_CHARS = "abcXYZ019._+-'!#%&*/=?^`{|}~\"@ é"
DOMAINS = [
    "example.com",
    "EXAMPLE.org",
    "gmail.com",
    "mail.co.uk",
    "localhost",
    "test",
    "a.invalid",
    "xn--bcher-kva.ch",
    "bücher.ch",
    "-bad.com",
    "two..dots.com",
    "123.456",
    "x" * 250 + ".com",
    "[127.0.0.1]",
    "",
]


def _slow_email(value: str) -> str:
    value = value.strip()
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        return f"error: {exc}"


def _fast_email(value: str) -> str:
    try:
        return normalise_email(value)
    except ValueError as exc:
        return f"error: {exc}"


def _slow_phone(value: str, region: str) -> str:
    value = value.strip()
    try:
        number = phonenumbers.parse(value, region or None)
    except phonenumbers.NumberParseException:
        return "error"
    if not phonenumbers.is_possible_number(number):
        return "error"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _fast_phone(value: str, region: str) -> str:
    try:
        return normalise_phone(value, region)
    except ValueError:
        return "error"


def _phone(rnd: random.Random) -> str:
    digits = "".join(rnd.choice("0123456789") for _ in range(rnd.choice([7, 9, 10, 10, 10, 11])))
    out = rnd.choice(["", "+1", "+", "+44", "1", "(", " "])
    for d in digits:
        out += rnd.choice(SEPARATORS[:5] * 4 + SEPARATORS) + d
    return out + rnd.choice(["", "", " ", "-", ")", " x12"])


def test_the_phone_fast_path_agrees_with_phonenumbers() -> None:
    rnd = random.Random(5)
    for _ in range(6000):
        value, region = _phone(rnd), rnd.choice(REGIONS)
        assert _fast_phone(value, region) == _slow_phone(value, region), (value, region)


def test_the_email_fast_path_agrees_with_email_validator() -> None:
    rnd = random.Random(7)
    for _ in range(4000):
        size = rnd.choice([1, 3, 8, 20, 64, 65, 240])
        local = "".join(rnd.choice(LOCAL_CHARS) for _ in range(size))
        value = f"{local}@{rnd.choice(DOMAINS)}"
        assert _fast_email(value) == _slow_email(value), value


@given(st.text(alphabet='ab.-_+@ Ab"<>', max_size=30))
def test_odd_emails_agree_with_email_validator(value: str) -> None:
    assert _fast_email(value) == _slow_email(value)


@given(st.text(max_size=40))
def test_fold_agrees_with_the_unicode_path(text: str) -> None:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == re.sub(r"\s+", " ", stripped.casefold()).strip()


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("+1-555-0000001", "US", "+15550000001"),
        ("(902) 555-0101", "CA", "+19025550101"),
        ("902.555.0101", "US", "+19025550101"),
        ("+1 902 555 0101", "GB", "+19025550101"),
    ],
)
def test_common_north_american_numbers_take_the_fast_path(
    value: str, region: str, e164: str
) -> None:
    assert normalise_phone(value, region) == e164


@given(st.text(max_size=30))
def test_digits_agree_with_isdigit(text: str) -> None:
    assert digits(text) == "".join(c for c in text if c.isdigit())
