"""Amounts as typed and as point-of-sale files write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goodwill.commerce.money import parse_amount
from goodwill.core.errors import Invalid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,50 €", (Decimal("12.50"), "EUR")),
        ("€12.50", (Decimal("12.50"), "EUR")),
        ("1.250,00 EUR", (Decimal("1250.00"), "EUR")),
        ("1,250.00", (Decimal("1250.00"), "USD")),
        ("£7", (Decimal("7.00"), "GBP")),
        ("$ 7", (Decimal("7.00"), "USD")),
        ("CHF 30", (Decimal("30.00"), "CHF")),
        ("12.5", (Decimal("12.50"), "USD")),
        ("", (None, "")),
    ],
)
def test_it_reads_amounts_as_people_write_them(
    text: str, expected: tuple[Decimal | None, str]
) -> None:
    assert parse_amount(text, default_currency="USD") == expected


def test_a_currency_given_apart_applies_when_the_amount_names_none() -> None:
    assert parse_amount("12,50", currency="eur", default_currency="USD") == (
        Decimal("12.50"),
        "EUR",
    )


def test_a_bare_dollar_is_the_business_own_dollar() -> None:
    assert parse_amount("$ 7", default_currency="CAD") == (Decimal("7.00"), "CAD")
    assert parse_amount("$ 7", default_currency="EUR") == (Decimal("7.00"), "USD")


@pytest.mark.parametrize("text", ["-12.50", "−5 €", "(12.00)", "12.50-"])
def test_a_negative_amount_is_refused_pointing_at_refunds(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_amount(text, default_currency="EUR")

    assert caught.value.fields == {
        "amount": ["A negative amount: log a refund instead, with a positive amount."]
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "“abc” is not an amount."),
        ("99999999999999", "This amount is too large."),
    ],
)
def test_it_refuses_what_is_not_an_amount(text: str, message: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_amount(text, default_currency="EUR")

    assert caught.value.fields == {"amount": [message]}


def test_an_unknown_currency_sign_is_refused_on_the_currency_field() -> None:
    with pytest.raises(Invalid) as caught:
        parse_amount("12", currency="₿x", default_currency="EUR")

    assert caught.value.fields == {"currency": ["Unknown currency “₿x”."]}
