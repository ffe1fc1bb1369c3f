"""Refunding a captured payment through its gateway, and settling refunds whose answer was lost.

A refund is recorded (and its amount held) before the gateway call, under the payment's lock,
so two concurrent refunds can never together exceed what was paid; its idempotency key is
written with it, so a resend is the same refund at the gateway.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.money import MoneyError, display_amount, parse_amount
from payments import state
from payments.connections import gateway_for
from payments.errors import GatewayError, InvalidAmount, PaymentError, RefundNotAllowed
from payments.gateways.base import RefundRequest
from payments.models import InvoiceEffect, InvoicePayment, PaymentRefund
from payments.state import RefundStatus
from payments.transitions import lock_payment, record_refund, sync_refunded_amount


def refund(
    *,
    payment: InvoicePayment,
    amount: Any = None,
    reason: str = "",
    user: Any = None,
    invoice_effect: str = InvoiceEffect.CREDIT,
) -> PaymentRefund:
    """Refund part or all of a captured payment through its gateway.

    ``invoice_effect`` says what the refund does to the invoice: ``credit`` takes the amount
    off what the client owes (a paid invoice stays paid), ``reopen`` makes them owe it again.
    """
    with transaction.atomic():
        payment = lock_payment(payment.pk)
        if payment.status not in state.REFUNDABLE:
            raise RefundNotAllowed(f"A {payment.get_status_display().lower()} payment cannot be refunded.")
        refundable = payment.amount - payment.amount_refunded
        if refundable <= 0:
            raise RefundNotAllowed("This payment has been refunded in full.")
        value = refundable if amount in (None, "") else _refund_amount(amount, payment, refundable)
        created = PaymentRefund.objects.create(
            payment=payment,
            amount=value,
            currency=payment.currency,
            reason=(reason or "")[:500],
            invoice_effect=InvoiceEffect(invoice_effect),
            idempotency_key=f"trk-ref-{uuid.uuid4().hex}",
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        sync_refunded_amount(payment)
    return _send_refund(created)


def refresh_refund(*, refund: PaymentRefund) -> PaymentRefund:
    """Settle a pending refund: ask the gateway, or resend it with its idempotency key when
    the first call's answer was lost."""
    if refund.status != RefundStatus.PENDING:
        return refund
    if not refund.gateway_refund_id:
        return _send_refund(refund)
    snapshot = gateway_for(refund.payment.gateway_config).retrieve_refund(refund_id=refund.gateway_refund_id)
    with transaction.atomic():
        payment = lock_payment(refund.payment_id)
        return record_refund(payment, snapshot, refund=PaymentRefund.objects.get(pk=refund.pk))


def _refund_amount(amount: Any, payment: InvoicePayment, refundable: Decimal) -> Decimal:
    try:
        value = parse_amount(amount, payment.currency)
    except MoneyError as exc:
        raise InvalidAmount(str(exc), details={"amount": [str(exc)]}) from None
    if value <= 0:
        raise InvalidAmount("A refund must be more than zero.", details={"amount": ["Must be positive."]})
    if value > refundable:
        message = f"At most {display_amount(refundable, payment.currency)} can still be refunded."
        raise InvalidAmount(message, details={"amount": [message]})
    return value


def _send_refund(refund: PaymentRefund) -> PaymentRefund:
    payment = refund.payment
    request = RefundRequest(
        refund_id=str(refund.pk),
        payment_id=str(payment.pk),
        session_id=payment.gateway_session_id or "",
        payment_reference=payment.gateway_payment_reference,
        amount=refund.amount,
        currency=refund.currency,
        reason=refund.reason,
        idempotency_key=refund.idempotency_key or "",
    )
    try:
        result = gateway_for(payment.gateway_config).refund(request)
    except GatewayError as exc:
        if not exc.outcome_unknown:
            _fail_refund(refund, exc.message)
        # Otherwise the refund may have happened: it stays pending, holding its amount,
        # until a webhook or reconcile_payments (same idempotency key) settles it.
        raise
    except PaymentError as exc:
        _fail_refund(refund, exc.message)
        raise
    with transaction.atomic():
        payment = lock_payment(payment.pk)
        return record_refund(payment, result, refund=PaymentRefund.objects.get(pk=refund.pk))


def _fail_refund(refund: PaymentRefund, message: str) -> None:
    with transaction.atomic():
        payment = lock_payment(refund.payment_id)
        PaymentRefund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, failure_reason=message[:500], updated_at=timezone.now()
        )
        sync_refunded_amount(payment)
