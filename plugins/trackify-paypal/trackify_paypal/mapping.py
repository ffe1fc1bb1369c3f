"""PayPal's resources (orders, captures, refunds) as Trackify's snapshots.

One order carries one purchase unit: Trackify's payment, named by its ``custom_id``. The order
id is the checkout's ``session_id``; the capture id is its ``payment_reference`` (what refunds
and the capture's own webhooks name).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from payments.gateways.base import Fee, PaymentSnapshot, RefundSnapshot
from trackify_paypal.amounts import from_paypal_value

# Our refunds carry our refund id in their custom_id with this prefix, so a refund made in
# PayPal's dashboard (no custom_id, or the payment's) is never mistaken for one of ours.
REFUND_ID_PREFIX = "trackify-refund:"

CAPTURE_STATUSES = {
    "COMPLETED": "succeeded",
    "REFUNDED": "succeeded",  # settled; the refunds decide whether it shows as refunded
    "PARTIALLY_REFUNDED": "succeeded",
    "PENDING": "processing",
    "DECLINED": "failed",
    "FAILED": "failed",
}
# An order with no capture yet.
ORDER_STATUSES = {
    "CREATED": "pending",
    "SAVED": "pending",
    "PAYER_ACTION_REQUIRED": "pending",
    "APPROVED": "pending",  # approved by the payer, waiting for our capture
    "VOIDED": "canceled",
    "COMPLETED": "processing",
}
REFUND_STATUSES = {"COMPLETED": "succeeded", "PENDING": "pending", "FAILED": "failed", "CANCELLED": "canceled"}


def money(value: Any) -> tuple[Decimal | None, str | None]:
    """PayPal's ``{"currency_code": "USD", "value": "1.00"}`` as (amount, currency)."""
    if not isinstance(value, Mapping):
        return None, None
    code = value.get("currency_code")
    return from_paypal_value(value.get("value")), (str(code).upper() if code else None)


def purchase_unit(order: Mapping[str, Any]) -> Mapping[str, Any]:
    units = order.get("purchase_units") or [{}]
    unit = units[0]
    return unit if isinstance(unit, Mapping) else {}


def captures(order: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list((purchase_unit(order).get("payments") or {}).get("captures") or [])


def approve_url(order: Mapping[str, Any]) -> str:
    for link in order.get("links") or []:
        if link.get("rel") in ("approve", "payer-action"):
            return str(link.get("href", ""))
    return ""


def capture_fee(capture: Mapping[str, Any]) -> Fee | None:
    """The seller receivable breakdown: PayPal's fee and what reached the balance."""
    breakdown = capture.get("seller_receivable_breakdown") or {}
    fee, fee_currency = money(breakdown.get("paypal_fee"))
    net, net_currency = money(breakdown.get("net_amount"))
    if fee is None or net is None:
        return None
    return Fee(fee=fee, net=net, currency=fee_currency or net_currency or "")


def refund_fee(refund: Mapping[str, Any]) -> Fee | None:
    """A refund's payable breakdown: the fee PayPal gave back (a negative fee) and what left
    the balance (a negative net)."""
    breakdown = refund.get("seller_payable_breakdown") or {}
    fee, currency = money(breakdown.get("paypal_fee"))
    net, net_currency = money(breakdown.get("net_amount"))
    if net is None:
        return None
    return Fee(fee=-(fee or Decimal(0)), net=-net, currency=currency or net_currency or "")


def refund_snapshot(refund: Mapping[str, Any], *, reason: str = "") -> RefundSnapshot:
    amount, currency = money(refund.get("amount"))
    custom_id = str(refund.get("custom_id") or "")
    details = refund.get("status_details") or {}
    status = REFUND_STATUSES.get(str(refund.get("status", "")).upper(), "pending")
    return RefundSnapshot(
        refund_id=str(refund["id"]),
        amount=amount or Decimal(0),
        currency=currency or "",
        status=status,
        our_refund_id=custom_id.removeprefix(REFUND_ID_PREFIX) if custom_id.startswith(REFUND_ID_PREFIX) else None,
        reason=reason or str(refund.get("note_to_payer") or ""),
        failure_reason=str(details.get("reason") or "") if status == "failed" else "",
        fee=refund_fee(refund),
    )


def order_snapshot(order: Mapping[str, Any]) -> PaymentSnapshot:
    """What an order (``GET /v2/checkout/orders/{id}`` or a capture's answer) says."""
    unit = purchase_unit(order)
    amount, currency = money(unit.get("amount"))
    found = captures(order)
    refunds = tuple(refund_snapshot(r) for r in (unit.get("payments") or {}).get("refunds") or [])
    order_status = str(order.get("status", "")).upper()
    if not found:
        return PaymentSnapshot(
            session_id=str(order["id"]),
            status=ORDER_STATUSES.get(order_status, "pending"),
            amount=amount,
            currency=currency,
            refunds=refunds,
            needs_capture=order_status == "APPROVED",
        )
    capture = found[-1]
    status = CAPTURE_STATUSES.get(str(capture.get("status", "")).upper(), "processing")
    captured, captured_currency = money(capture.get("amount"))
    details = capture.get("status_details") or {}
    return PaymentSnapshot(
        session_id=str(order["id"]),
        status=status,
        amount=captured if captured is not None else amount,
        currency=captured_currency or currency,
        payment_reference=str(capture["id"]),
        failure_message=_failure(status, details),
        refunds=refunds,
        fee=capture_fee(capture),
    )


def _failure(status: str, details: Mapping[str, Any]) -> str:
    if status != "failed":
        return ""
    reason = str(details.get("reason") or "DECLINED")
    return f"PayPal declined the payment ({reason})."
