"""Money: decimal amounts per currency, and minor units at the gateway boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import (
    MoneyError,
    display_amount,
    exponent,
    format_amount,
    from_minor,
    normalize_currency,
    parse_amount,
    to_minor,
)


@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("eur", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3)])
def test_exponents(currency, places):
    assert exponent(currency) == places


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [(Decimal("1250.00"), "USD", 125000), (Decimal("5000"), "JPY", 5000), (Decimal("12.345"), "KWD", 12345)],
)
def test_to_and_from_minor_units(amount, currency, minor):
    assert to_minor(amount, currency) == minor
    assert from_minor(minor, currency) == amount


@pytest.mark.parametrize(
    ("value", "currency"),
    [("1.001", "USD"), ("10.5", "JPY"), ("1.0001", "KWD"), ("NaN", "USD"), ("Infinity", "USD"), ("abc", "USD"), (1.5, "USD")],
)
def test_bad_amounts_are_refused(value, currency):
    with pytest.raises(MoneyError):
        parse_amount(value, currency)


def test_parse_keeps_exact_values_and_places():
    assert parse_amount("12.5", "USD") == Decimal("12.50")
    assert format_amount(parse_amount("12.5", "USD"), "USD") == "12.50"
    assert format_amount(Decimal("500"), "JPY") == "500"
    assert format_amount(Decimal("1.25"), "KWD") == "1.250"


def test_unknown_currency():
    with pytest.raises(MoneyError):
        normalize_currency("XXX")
    assert normalize_currency(" usd ") == "USD"


def test_to_minor_refuses_to_drop_precision():
    with pytest.raises(MoneyError):
        to_minor(Decimal("1.005"), "USD")


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["USD", "JPY", "KWD", "EUR", "BHD"]))
def test_minor_units_round_trip(minor, currency):
    assert to_minor(from_minor(minor, currency), currency) == minor


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("219.990"), "USD", "219.99 USD"),
        (Decimal("3290.000"), "usd", "3290.00 USD"),
        (Decimal("5000.000"), "JPY", "5000 JPY"),
        (Decimal("1.234"), "KWD", "1.234 KWD"),
        (Decimal("0"), "EUR", "0.00 EUR"),
        (Decimal("-5.500"), "USD", "-5.50 USD"),
        # Finer than the currency (a gateway's bad report): shown as it is, never rounded away.
        (Decimal("10.005"), "USD", "10.005 USD"),
        (Decimal("12.000"), "XXX", "12 XXX"),
    ],
)
def test_display_amount(amount, currency, shown):
    assert display_amount(amount, currency) == shown


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("1250"), "USD", "1250.00"),
        (Decimal("10.005"), "USD", "10.01"),  # half up, as the stored amounts are rounded
        (Decimal("-40.005"), "EUR", "-40.01"),
        (Decimal("499.5"), "JPY", "500"),
        (Decimal("150.1875"), "KWD", "150.188"),
        (Decimal("0"), "BHD", "0.000"),
        (7, "usd", "7.00"),  # a code as a person types it is read the same way
        (Decimal("3.5"), " jpy ", "4"),
    ],
)
def test_format_amount_writes_the_currencys_places(amount, currency, shown):
    assert format_amount(amount, currency) == shown
    assert format_amount(None, currency) is None


def test_format_amount_refuses_an_unknown_currency():
    with pytest.raises(MoneyError):
        format_amount(Decimal("1.00"), "XYZ")
    with pytest.raises(MoneyError):
        exponent("")
