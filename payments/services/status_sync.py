"""Bringing payments in line with what their gateway says now: the refresh a payment page asks
for, the admin's refresh, and ``reconcile_payments`` (which repairs a missed webhook).

A gateway is asked outside any transaction; its answer is applied under the payment's lock
through ``payments.transitions``, as a webhook's would be.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from invoices.models import InvoiceStatus
from payments import state
from payments.connections import gateway_for
from payments.errors import PaymentError
from payments.gateways.base import PaymentGatewayBase, PaymentSnapshot
from payments.models import InvoicePayment, PaymentRefund
from payments.state import PaymentStatus, RefundStatus
from payments.transitions import (
    amount_mismatch,
    fee_fields,
    flag,
    lock_payment,
    move_to,
    record_refund,
    save_fields,
)

logger = logging.getLogger(__name__)


def refresh_if_due(*, payment: InvoicePayment) -> InvoicePayment:
    """Ask the gateway about an open payment, at most once per refresh interval.

    This is what keeps a payment from staying pending forever when a webhook is missed.
    A gateway that cannot be reached leaves the payment as it was.
    """
    if payment.status not in state.OPEN or not payment.gateway_session_id:
        return payment
    if not cache.add(f"payment-refresh:{payment.pk}", 1, timeout=settings.PAYMENT_REFRESH_INTERVAL_SECONDS):
        return payment
    try:
        return refresh_payment(payment=payment)
    except PaymentError as exc:
        logger.warning("Could not refresh payment %s: %s", payment.pk, exc.code)
        return payment


def refresh_payment(*, payment: InvoicePayment) -> InvoicePayment:
    """Bring a payment and its refunds in line with what the gateway says now."""
    if not payment.gateway_session_id:
        return _close_unopened_attempt(payment)
    gateway = gateway_for(payment.gateway_config)
    snapshot = gateway.retrieve_payment(
        session_id=payment.gateway_session_id, payment_reference=payment.gateway_payment_reference
    )
    if snapshot.needs_capture and gateway.requires_capture and may_capture(payment):
        # The payer approved and is back (or a reconcile found it): capture now.
        snapshot = capture(payment, gateway)
    return apply_snapshot(payment_id=payment.pk, snapshot=snapshot)


def capture(payment: InvoicePayment, gateway: PaymentGatewayBase | None = None) -> PaymentSnapshot:
    """Capture a payment its payer approved (a ``requires_capture`` gateway) and return what the
    gateway says after it. Called outside any transaction.

    The capture's idempotency key is derived from the payment's own, so the payer's return and
    the approval webhook, racing each other, send the same key and get the same one capture.
    """
    gateway = gateway or gateway_for(payment.gateway_config)
    return gateway.capture_payment(
        session_id=payment.gateway_session_id or "",
        payment_reference=payment.gateway_payment_reference,
        idempotency_key=capture_key(payment),
    )


def may_capture(payment: InvoicePayment) -> bool:
    """Whether a payment its payer approved may be captured now: it is still pending and its
    invoice is not void. A gateway whose checkouts cannot be expired (PayPal) leaves an approval
    possible after the void; this refusal keeps it from taking money for a void invoice."""
    return (
        InvoicePayment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING)
        .exclude(invoice__status=InvoiceStatus.VOID)
        .exists()
    )


def capture_key(payment: InvoicePayment) -> str:
    return f"{payment.idempotency_key}-capture"


def apply_snapshot(*, payment_id: UUID, snapshot: PaymentSnapshot) -> InvoicePayment:
    """Apply what the gateway reports about a payment: its refunds, then its status.

    Money that does not match the payment (``transitions.amount_mismatch``) flags it for review
    instead of moving it.
    """
    with transaction.atomic():
        payment = lock_payment(payment_id)
        for refund in snapshot.refunds:
            record_refund(payment, refund)
        mismatch = amount_mismatch(
            payment, amount=snapshot.amount, currency=snapshot.currency, status=snapshot.status, source="Gateway"
        )
        if mismatch:
            flag(payment, mismatch)
            return payment
        fields: dict[str, Any] = {"last_synced_at": timezone.now()}
        if snapshot.payment_reference and not payment.gateway_payment_reference:
            fields["gateway_payment_reference"] = snapshot.payment_reference
        if snapshot.failure_message and snapshot.status == PaymentStatus.FAILED:
            fields["failure_message"] = snapshot.failure_message[:500]
        fields.update(fee_fields(snapshot.fee))
        if not move_to(payment, snapshot.status, **fields):
            save_fields(payment, **fields)
        return payment


def _close_unopened_attempt(payment: InvoicePayment) -> InvoicePayment:
    """A checkout whose opening never got an answer, and that nobody retried: the payer
    never saw a link, so it is closed once it would have expired anyway."""
    if payment.expires_at and payment.expires_at > timezone.now():
        return payment
    with transaction.atomic():
        payment = lock_payment(payment.pk)
        move_to(payment, PaymentStatus.CANCELED, failure_message="The checkout was never opened.")
    return payment


# Reconcile -------------------------------------------------------------------------------


def stale_payments(*, unchanged_since: datetime, limit: int) -> list[InvoicePayment]:
    """Open payments nothing has changed since ``unchanged_since``, oldest first."""
    return list(
        InvoicePayment.objects.select_related("gateway_config")
        .filter(status__in=state.OPEN, updated_at__lte=unchanged_since)
        .order_by("updated_at")[:limit]
    )


def stale_refunds(*, unchanged_since: datetime, limit: int) -> list[PaymentRefund]:
    """Pending refunds nothing has changed since ``unchanged_since``, oldest first."""
    return list(
        PaymentRefund.objects.select_related("payment__gateway_config")
        .filter(status=RefundStatus.PENDING, updated_at__lte=unchanged_since)
        .order_by("updated_at")[:limit]
    )
