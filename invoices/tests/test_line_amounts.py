"""Property: an item's amount is quantity x price rounded to the currency, shown with its exact places."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.money import exponent, format_amount
from invoices.services import line_amount

CURRENCIES = st.sampled_from(["USD", "EUR", "JPY", "KRW", "KWD", "BHD"])
QUANTITIES = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10000), places=3)


@given(currency=CURRENCIES, quantity=QUANTITIES, minor_units=st.integers(min_value=0, max_value=10**9))
def test_amount_is_the_rounded_product_with_the_currency_places(currency, quantity, minor_units):
    places = exponent(currency)
    unit_price = Decimal(minor_units).scaleb(-places)

    amount = line_amount(quantity=quantity, unit_price=unit_price, currency=currency)

    assert abs(amount - quantity * unit_price) <= Decimal(1).scaleb(-places) / 2
    shown = format_amount(amount, currency)
    assert len(shown.partition(".")[2]) == places
    assert Decimal(shown) == amount
