"""Amounts as people type them and as point-of-sale exports write them: "12,50 €", "€12.50",
"1.250,00 EUR", "CHF 30". price-parser reads the number and the currency sign; this module
refuses what is not an amount or is negative (a refund is its own kind) and names ISO currencies.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from price_parser import Price

from goodwill.core.errors import Invalid

MAX = Decimal("9999999999.99")
SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₺": "TRY",
    "zł": "PLN",
    "kč": "CZK",
    "fr.": "CHF",
}
DOLLARS = {"$": "USD", "us$": "USD", "a$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD"}
NEGATIVE = re.compile(r"^\s*(?:[-−–]|\(.*\)\s*$)|[-−]\s*$")


def currency_code(sign: str | None, *, default: str) -> str:
    """The ISO 4217 code for a currency sign or code as written; ``default`` when none."""
    if not sign:
        return default
    text = sign.strip().lower()
    if re.fullmatch(r"[a-z]{3}", text):
        return text.upper()
    if text in SYMBOLS:
        return SYMBOLS[text]
    if text in DOLLARS:
        # A bare "$" is the business's own dollar when it counts in one.
        return default if text == "$" and default.endswith("D") else DOLLARS[text]
    raise Invalid.field("currency", _("Unknown currency “%(sign)s”.") % {"sign": sign})


def parse_amount(
    value: str | Decimal | int | None,
    *,
    currency: str = "",
    default_currency: str,
    field: str = "amount",
) -> tuple[Decimal | None, str]:
    """``(amount, currency)`` from what was typed; ``(None, "")`` for nothing. A currency
    written in the amount wins over ``currency``, which wins over ``default_currency``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    fallback = currency_code(currency, default=default_currency.upper())
    if isinstance(value, Decimal | int):
        amount: Decimal | None = Decimal(value)
        sign = None
    else:
        if NEGATIVE.search(value):
            raise Invalid.field(
                field, _("A negative amount: log a refund instead, with a positive amount.")
            )
        price = Price.fromstring(value)
        amount, sign = price.amount, price.currency
        if amount is None or re.search(r"\d", value) is None:
            raise Invalid.field(field, _("“%(value)s” is not an amount.") % {"value": value[:40]})
    if amount is None:
        raise Invalid.field(field, _("Not an amount."))
    try:
        amount = amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise Invalid.field(field, _("This amount is too large.")) from None
    if amount < 0:
        raise Invalid.field(
            field, _("A negative amount: log a refund instead, with a positive amount.")
        )
    if amount > MAX:
        raise Invalid.field(field, _("This amount is too large."))
    code = currency_code(sign, default=fallback) if sign else fallback
    return amount, code
