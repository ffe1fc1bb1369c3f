"""Amounts as PayPal takes them: a string in major units, exact to the currency's decimals.

PayPal accepts a fixed list of currencies, and three of them (HUF, JPY, TWD) take no decimals
at all: an amount with a fraction in one of those is refused here, before any call, rather than
rounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from payments.errors import InvalidAmount

# The currencies PayPal's REST API accepts for payments.
SUPPORTED_CURRENCIES = frozenset(
    {
        "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "ILS",
        "JPY", "MXN", "MYR", "NOK", "NZD", "PHP", "PLN", "SEK", "SGD", "THB", "TWD", "USD",
    }
)  # fmt: skip
NO_DECIMAL_CURRENCIES = frozenset({"HUF", "JPY", "TWD"})
# PayPal's amount value: at most 10 digits before the point.
MAX_INTEGER_DIGITS = 10


def decimals(currency: str) -> int:
    return 0 if currency.upper() in NO_DECIMAL_CURRENCIES else 2


def to_paypal_value(amount: Decimal, currency: str) -> str:
    """``Decimal("12.50"), "USD"`` -> ``"12.50"``; ``Decimal("1500"), "JPY"`` -> ``"1500"``.

    Raise ``InvalidAmount`` for a currency PayPal does not take, a non-positive amount, or one
    with more decimals than the currency allows.
    """
    code = currency.upper()
    if code not in SUPPORTED_CURRENCIES:
        raise InvalidAmount(
            f"PayPal does not accept payments in {code}.",
            details={"currency": [f"PayPal accepts: {', '.join(sorted(SUPPORTED_CURRENCIES))}."]},
        )
    places = decimals(code)
    quantum = Decimal(1).scaleb(-places)
    if amount <= 0:
        raise InvalidAmount("The amount must be more than zero.")
    if amount != amount.quantize(quantum):
        unit = "whole amounts" if places == 0 else f"{places} decimal places"
        raise InvalidAmount(f"PayPal takes {code} in {unit} only.", details={"amount": [f"{code} has no fractions."]})
    value = format(amount.quantize(quantum), "f")
    if len(value.split(".")[0]) > MAX_INTEGER_DIGITS:
        raise InvalidAmount("The amount is larger than PayPal accepts.")
    return value


def from_paypal_value(value: object) -> Decimal | None:
    """PayPal's ``"12.50"`` as a Decimal; ``None`` for a missing or unreadable value."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
