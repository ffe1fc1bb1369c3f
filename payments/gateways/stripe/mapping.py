"""Stripe objects (as plain dicts: webhook JSON or ``StripeObject.to_dict()``) to our dataclasses.

One set of readers serves both the API answers and the webhooks, so a refund or a session means
the same thing whichever way it reached us.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from payments.gateways.base import DisputeSnapshot, Fee, RefundSnapshot
from payments.gateways.stripe.amounts import from_stripe_amount

# Our metadata keys on Stripe objects (sessions, PaymentIntents, refunds).
PAYMENT_ID_KEY = "trackify_payment_id"
INVOICE_ID_KEY = "trackify_invoice_id"
REFUND_ID_KEY = "trackify_refund_id"
REFUND_REASON_KEY = "reason"

# Stripe refund statuses to ours. ``requires_action`` (some bank refunds need the customer's
# details) is still on its way, so it counts as pending.
REFUND_STATUSES = {
    "pending": "pending",
    "requires_action": "pending",
    "succeeded": "succeeded",
    "failed": "failed",
    "canceled": "canceled",
}


def object_id(value: Any) -> str | None:
    """The id of an expandable field: a bare id, or the id of an expanded object."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, Mapping):
        found = value.get("id")
        return found if isinstance(found, str) and found else None
    return None


def metadata(obj: Mapping[str, Any]) -> dict[str, str]:
    value = obj.get("metadata")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


def timestamp(value: Any) -> datetime | None:
    """Stripe's Unix timestamps as aware UTC datetimes."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):  # a year no clock has: unknown, not a crash
        return None


def money(obj: Mapping[str, Any], amount_key: str) -> tuple[Decimal | None, str | None]:
    """``(Decimal amount, upper-case currency)`` from an amount field and ``currency``, or Nones."""
    minor = obj.get(amount_key)
    currency = obj.get("currency")
    if not isinstance(currency, str) or not currency:
        return None, None
    code = currency.upper()
    if isinstance(minor, bool) or not isinstance(minor, int):
        return None, code
    return from_stripe_amount(minor, code), code


# Stripe dispute statuses to ours (payments.models.DisputeStatus). The warning_* statuses are
# inquiries (no money withdrawn yet); "prevented" was stopped before it became a dispute.
DISPUTE_STATUSES = {
    "warning_needs_response": "needs_response",
    "warning_under_review": "under_review",
    "warning_closed": "warning_closed",
    "needs_response": "needs_response",
    "under_review": "under_review",
    "won": "won",
    "prevented": "won",
    "lost": "lost",
}


def fee(balance_transaction: Any) -> Fee | None:
    """The fee and net of an expanded balance transaction (a bare id or nothing: unknown)."""
    if not isinstance(balance_transaction, Mapping):
        return None
    currency = balance_transaction.get("currency")
    fee_minor, net_minor = balance_transaction.get("fee"), balance_transaction.get("net")
    if not isinstance(currency, str) or not isinstance(fee_minor, int) or not isinstance(net_minor, int):
        return None
    code = currency.upper()
    return Fee(fee=from_stripe_amount(fee_minor, code), net=from_stripe_amount(net_minor, code), currency=code)


def charge_fee(charge: Any) -> Fee | None:
    """The fee of a charge whose ``balance_transaction`` was expanded."""
    return fee(charge.get("balance_transaction")) if isinstance(charge, Mapping) else None


def dispute_snapshot(dispute: Mapping[str, Any]) -> DisputeSnapshot:
    """A Stripe ``dispute`` object as a ``DisputeSnapshot``."""
    amount, currency = money(dispute, "amount")
    evidence = dispute.get("evidence_details")
    due_by = timestamp(evidence.get("due_by")) if isinstance(evidence, Mapping) else None
    return DisputeSnapshot(
        dispute_id=str(dispute["id"]),
        amount=amount if amount is not None else Decimal(0),
        currency=currency or "",
        # An unknown future status is treated as still open rather than decided.
        status=DISPUTE_STATUSES.get(str(dispute.get("status") or ""), "under_review"),
        reason=str(dispute.get("reason") or "")[:100],
        evidence_due_by=due_by,
    )


def refund_snapshot(refund: Mapping[str, Any]) -> RefundSnapshot:
    """A Stripe ``refund`` object as a ``RefundSnapshot``."""
    amount, currency = money(refund, "amount")
    meta = metadata(refund)
    return RefundSnapshot(
        refund_id=str(refund.get("id") or ""),
        amount=amount if amount is not None else Decimal(0),
        currency=currency or "",
        # An unknown future status is treated as still in flight rather than final.
        status=REFUND_STATUSES.get(str(refund.get("status") or ""), "pending"),
        our_refund_id=meta.get(REFUND_ID_KEY) or None,
        reason=meta.get(REFUND_REASON_KEY) or str(refund.get("reason") or ""),
        failure_reason=str(refund.get("failure_reason") or ""),
        fee=fee(refund.get("balance_transaction")),
    )


def payment_status(session: Mapping[str, Any], payment_intent: Mapping[str, Any] | None) -> str:
    """Our payment status for a Checkout Session and (when known) its PaymentIntent."""
    pi_status = (payment_intent or {}).get("status")
    state = session.get("status")
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    if state == "complete" and paid:
        return "succeeded"
    if pi_status == "canceled":
        return "canceled"
    if state == "expired":
        return "expired"
    if state == "complete":
        # An async method (SEPA debit, ACH...) that failed after the session completed sends the
        # PaymentIntent back to requires_payment_method with the error; the session stays unpaid.
        if pi_status == "requires_payment_method" and (payment_intent or {}).get("last_payment_error"):
            return "failed"
        return "processing"
    # An open session may carry a declined attempt; the payer can still try another card.
    return "pending"


def failure_message(payment_intent: Mapping[str, Any] | None) -> str:
    error = (payment_intent or {}).get("last_payment_error")
    if isinstance(error, Mapping):
        return str(error.get("message") or error.get("code") or "")
    return ""


def payment_id(obj: Mapping[str, Any]) -> str | None:
    """Our payment id echoed back by Stripe: the session's client reference, or metadata."""
    ref = obj.get("client_reference_id")
    if isinstance(ref, str) and ref:
        return ref
    return metadata(obj).get(PAYMENT_ID_KEY) or None
