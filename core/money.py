"""Money as ``Decimal`` plus an ISO 4217 currency code, and conversion to minor units.

Conversion to minor units happens at a gateway's boundary only; everything else in Trackify
works in ``Decimal`` major units.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor-unit exponents. Currencies absent from the first two sets use two decimals.
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})
TWO_DECIMAL = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD
    MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP
    PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT
    TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL
    """.split()
)
CURRENCIES = ZERO_DECIMAL | THREE_DECIMAL | TWO_DECIMAL
# Each code's places and smallest unit, worked out once (amounts are formatted hundreds of times
# per list page); a code not found as given (lower case, padded) goes the long way, normalized.
_EXPONENTS = {code: 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2 for code in CURRENCIES}
_QUANTA = {code: Decimal(1).scaleb(-places) for code, places in _EXPONENTS.items()}
# Amounts are stored with 14 integer digits; nobody invoices a quadrillion.
MAX_AMOUNT = Decimal("1e14")


class MoneyError(ValueError):
    """An amount or currency that cannot be used as money."""


def normalize_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code not in CURRENCIES:
        raise MoneyError(f"'{currency}' is not a supported ISO 4217 currency code.")
    return code


def exponent(currency: str) -> int:
    """How many decimal places the currency has (0 for JPY, 2 for USD, 3 for KWD)."""
    places = _EXPONENTS.get(currency)  # an exact code, as stored: no need to normalize it
    if places is not None:
        return places
    code = normalize_currency(currency)
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def quantum(currency: str) -> Decimal:
    return _QUANTA.get(currency) or Decimal(1).scaleb(-exponent(currency))


def parse_amount(value: object, currency: str) -> Decimal:
    """Read an amount given by a user: a finite decimal with no more places than the currency has.

    Floats are refused outright: they cannot represent most amounts exactly.
    """
    if isinstance(value, (float, bool)):
        raise MoneyError("Send amounts as decimal strings, not numbers with binary fractions.")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"'{value}' is not a decimal amount.") from None
    if not amount.is_finite():
        raise MoneyError("The amount must be a finite number.")
    if abs(amount) >= MAX_AMOUNT:
        raise MoneyError("The amount is too large.")
    places = exponent(currency)
    if amount != amount.quantize(quantum(currency), rounding=ROUND_HALF_UP):
        raise MoneyError(f"{currency.upper()} amounts have at most {places} decimal places.")
    return amount.quantize(quantum(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round a computed amount (say quantity x unit price) to the currency's minor unit."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal | None, currency: str) -> str | None:
    """The contract's decimal string: exactly the currency's number of places ("1250.00", "500")."""
    if amount is None:
        return None
    # quantize() inlined, the quantum a dict lookup: a list page formats hundreds of amounts.
    step = _QUANTA.get(currency) or quantum(currency)
    return f"{Decimal(amount).quantize(step, rounding=ROUND_HALF_UP):f}"


def display_amount(amount: Decimal | int | str, currency: str) -> str:
    """An amount as a person reads it in a message, a log line or the terminal: "219.99 USD".

    Stored amounts carry three decimal places whatever the currency; this shows the currency's
    own (2 for USD, 0 for JPY, 3 for KWD). An amount finer than the currency allows (a gateway
    reporting 10.005 USD) is shown in full, never rounded into a value it is not; an unknown code
    is shown as given: a message about bad data must still be written.
    """
    code = str(currency or "").strip().upper()
    value = Decimal(str(amount))
    if code in CURRENCIES and value.is_finite() and quantize(value, code) == value:
        return f"{quantize(value, code):f} {code}"
    return f"{value.normalize() if value.is_finite() else value:f} {code}".strip()


def to_minor(amount: Decimal, currency: str) -> int:
    """Decimal major units to an integer count of minor units; refuses to drop precision."""
    scaled = Decimal(amount).scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} has more decimal places than {currency.upper()} allows.")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    return quantize(Decimal(int(minor)).scaleb(-exponent(currency)), currency)
