"""Amounts at Stripe's boundary: Decimal major units <-> Stripe's integer minor units.

Stripe mostly follows ISO 4217 exponents, with a few exceptions of its own, and refuses amounts
below a per-currency minimum charge. Both rules live here so the gateway refuses a bad amount
before any call, with a message the payer can act on, instead of Stripe's 400 after the fact.
"""

from __future__ import annotations

from decimal import Decimal

from core.money import (
    THREE_DECIMAL,
    MoneyError,
    display_amount,
    from_minor,
    normalize_currency,
    quantize,
)
from core.money import exponent as iso_exponent
from payments.errors import InvalidAmount

# Where Stripe's API exponent differs from ISO 4217:
# - ISK is zero-decimal in ISO, but Stripe kept it two-decimal for backwards compatibility
#   (ISK 5 is sent as 500, and the hundredths must be 00).
# - MGA has two decimals in ISO, but Stripe lists it as zero-decimal.
STRIPE_EXPONENT_OVERRIDES: dict[str, int] = {"ISK": 2, "MGA": 0}

# Stripe's minimum charge per presentment currency (its "Minimum and maximum charge amounts"
# table). For a currency not listed, Stripe's minimum is the equivalent of USD 0.50 at the day's
# rate: we cannot know that offline, so we only require a positive amount and let Stripe answer.
MINIMUM_CHARGE: dict[str, Decimal] = {
    "USD": Decimal("0.50"),
    "AED": Decimal("2.00"),
    "AUD": Decimal("0.50"),
    "BGN": Decimal("1.00"),
    "BRL": Decimal("0.50"),
    "CAD": Decimal("0.50"),
    "CHF": Decimal("0.50"),
    "CZK": Decimal("15.00"),
    "DKK": Decimal("2.50"),
    "EUR": Decimal("0.50"),
    "GBP": Decimal("0.30"),
    "HKD": Decimal("4.00"),
    "HUF": Decimal("175.00"),
    "INR": Decimal("0.50"),
    "JPY": Decimal(50),
    "MXN": Decimal("10.00"),
    "MYR": Decimal("2.00"),
    "NOK": Decimal("3.00"),
    "NZD": Decimal("0.50"),
    "PLN": Decimal("2.00"),
    "RON": Decimal("2.00"),
    "SEK": Decimal("3.00"),
    "SGD": Decimal("0.50"),
    "THB": Decimal("10.00"),
}


def _currency(currency: str) -> str:
    try:
        return normalize_currency(currency)
    except MoneyError as exc:
        raise InvalidAmount(str(exc)) from None


def stripe_exponent(currency: str) -> int:
    """The number of decimal places Stripe's ``amount`` fields use for this currency."""
    code = _currency(currency)
    return STRIPE_EXPONENT_OVERRIDES.get(code, iso_exponent(code))


def to_stripe_amount(amount: Decimal, currency: str) -> int:
    """Decimal major units to the integer Stripe expects; refuses what Stripe cannot charge.

    Raises ``InvalidAmount`` for a non-positive amount, for more decimals than Stripe accepts in
    the currency, and for a three-decimal currency whose last digit is not 0.
    """
    code = _currency(currency)
    value = Decimal(amount)
    if not value.is_finite() or value <= 0:
        raise InvalidAmount(f"The amount must be a positive {code} amount.")
    places = stripe_exponent(code)
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(f"Stripe accepts {code} amounts with at most {places} decimal places.")
    minor = int(scaled)
    # Stripe's card partners cannot settle the third decimal of BHD/JOD/KWD/OMR/TND, so Stripe
    # requires it to be 0. Rounding silently would charge the payer a different amount.
    if code in THREE_DECIMAL and minor % 10 != 0:
        raise InvalidAmount(
            f"Stripe only accepts {code} amounts whose third decimal is 0 (e.g. "
            f"{display_amount(Decimal('12.340'), code)}); {display_amount(value, code)} cannot be "
            "charged or refunded exactly."
        )
    return minor


def from_stripe_amount(minor: int, currency: str) -> Decimal:
    """Stripe's integer amount back to Decimal major units in the currency's ISO precision."""
    code = _currency(currency)
    if code not in STRIPE_EXPONENT_OVERRIDES:
        return from_minor(int(minor), code)
    return quantize(Decimal(int(minor)).scaleb(-STRIPE_EXPONENT_OVERRIDES[code]), code)


def check_minimum_charge(amount: Decimal, currency: str) -> None:
    """Refuse an amount below Stripe's minimum charge for the currency, before any call."""
    code = _currency(currency)
    minimum = MINIMUM_CHARGE.get(code)
    if minimum is not None and Decimal(amount) < minimum:
        raise InvalidAmount(
            f"Stripe cannot charge less than {display_amount(minimum, code)} in one payment.",
            details={"minimum": str(minimum), "currency": code},
        )
