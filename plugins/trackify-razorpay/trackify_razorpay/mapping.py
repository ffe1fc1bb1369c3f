"""Razorpay's entities (payment links, payments, refunds) as Trackify's snapshots.

Razorpay gives amounts in the currency's minor unit (paise for INR) as integers; they become
``Decimal`` major units here. Each reader checks the type of what it uses, so a malformed answer
or webhook is a clear error, never a ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core.money import MoneyError, from_minor, to_minor
from payments.errors import InvalidAmount
from payments.gateways.base import Fee, PaymentSnapshot, RefundSnapshot

# Where our ids travel in Razorpay's ``notes`` (echoed on the link, its payments and refunds).
PAYMENT_NOTE = "trackify_payment_id"
INVOICE_NOTE = "trackify_invoice_id"
REFUND_NOTE = "trackify_refund_id"
# Razorpay takes no payment below 1.00 of a currency (100 paise).
MIN_MINOR = 100

LINK_STATUSES = {
    "created": "pending",
    # Only the part a payer paid; Trackify's links never accept parts (see docs/razorpay.md).
    "partially_paid": "pending",
    "paid": "succeeded",
    "expired": "expired",
    "cancelled": "canceled",
}
REFUND_STATUSES = {"pending": "pending", "processed": "succeeded", "failed": "failed"}


class Malformed(ValueError):
    """A Razorpay entity lacks a field or has one of the wrong type."""


def text(entity: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = entity.get(key)
    if isinstance(value, str) and value:
        return value
    if required:
        raise Malformed(f"Razorpay's {entity.get('entity') or 'entity'} has no {key}.")
    return ""


def minor(entity: Mapping[str, Any], key: str, *, required: bool = True) -> int | None:
    value = entity.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if required:
        raise Malformed(f"Razorpay's {entity.get('entity') or 'entity'} has no valid {key}.")
    return None


def currency_of(entity: Mapping[str, Any]) -> str:
    return text(entity, "currency").upper()


def money(entity: Mapping[str, Any], key: str = "amount") -> Decimal:
    value = minor(entity, key)
    assert value is not None
    try:
        return from_minor(value, currency_of(entity))
    except MoneyError as exc:
        raise Malformed(str(exc)) from None


def notes(entity: Mapping[str, Any]) -> dict[str, str]:
    """Razorpay's notes: an object of strings, or an empty list when there are none."""
    value = entity.get("notes")
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def to_razorpay_amount(amount: Decimal, currency: str) -> int:
    """The amount in the currency's minor unit; refused before any call when Razorpay cannot
    take it (more decimals than the currency has, or under 1.00)."""
    try:
        value = to_minor(amount, currency)
    except MoneyError as exc:
        raise InvalidAmount(str(exc)) from None
    if value < MIN_MINOR:
        raise InvalidAmount("Razorpay takes no payment below 1.00 of a currency.")
    return value


def payment_fee(payment: Mapping[str, Any]) -> Fee | None:
    """Razorpay's ``fee`` (its tax included, as ``tax`` says) and what the owner keeps."""
    fee = minor(payment, "fee", required=False)
    if fee is None:
        return None
    currency = currency_of(payment)
    amount = money(payment)
    taken = from_minor(fee, currency)
    return Fee(fee=taken, net=amount - taken, currency=currency)


def refund_snapshot(refund: Mapping[str, Any]) -> RefundSnapshot:
    status = REFUND_STATUSES.get(text(refund, "status"))
    if status is None:
        raise Malformed(f"Razorpay's refund has an unknown status {refund.get('status')!r}.")
    error = refund.get("error_description")
    return RefundSnapshot(
        refund_id=text(refund, "id"),
        amount=money(refund),
        currency=currency_of(refund),
        status=status,
        our_refund_id=notes(refund).get(REFUND_NOTE),
        reason=notes(refund).get("reason", ""),
        failure_reason=error if isinstance(error, str) and status == "failed" else "",
    )


def paid_payment_id(link: Mapping[str, Any]) -> str:
    """The id of the payment that paid the link (its captured one), if any."""
    payments = link.get("payments")
    if not isinstance(payments, list):
        return ""
    for entry in payments:
        if isinstance(entry, dict) and entry.get("status") == "captured" and isinstance(entry.get("payment_id"), str):
            return str(entry["payment_id"])
    return ""


def link_snapshot(
    link: Mapping[str, Any],
    *,
    payment: Mapping[str, Any] | None = None,
    refunds: tuple[RefundSnapshot, ...] = (),
) -> PaymentSnapshot:
    """A payment link (with the payment that paid it, when there is one) as a snapshot."""
    status = LINK_STATUSES.get(text(link, "status"))
    if status is None:
        raise Malformed(f"Razorpay's payment link has an unknown status {link.get('status')!r}.")
    return PaymentSnapshot(
        session_id=text(link, "id"),
        status=status,
        amount=money(link),
        currency=currency_of(link),
        payment_reference=text(payment, "id") if payment else (paid_payment_id(link) or None),
        refunds=refunds,
        fee=payment_fee(payment) if payment else None,
    )
