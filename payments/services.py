"""PaymentService: the only code that changes payments.

Network calls to a gateway always happen outside database transactions: we write what we are
about to do (with its idempotency key), call the gateway, then write what it answered.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from core.money import MoneyError, display_amount, parse_amount
from invoices.models import Invoice, InvoiceStatus
from payments import state
from payments.connections import gateway_for
from payments.errors import (
    GatewayError,
    GatewayNotConfigured,
    InvalidAmount,
    InvoiceNotPayable,
    PaymentError,
    RefundNotAllowed,
    TooManyOpenCheckouts,
)
from payments.gateways.base import CheckoutRequest, PaymentSnapshot, RefundRequest
from payments.models import InvoiceEffect, InvoicePayment, PaymentGatewayConfig, PaymentRefund
from payments.state import PaymentStatus, RefundStatus
from payments.transitions import (
    amount_mismatch,
    flag,
    lock_payment,
    move_to,
    record_refund,
    save_fields,
    sync_refunded_amount,
)

logger = logging.getLogger(__name__)

# An open checkout about to expire is not handed out again: the payer needs time to finish.
REUSE_MARGIN = timedelta(minutes=5)

_NOT_PAYABLE = {
    InvoiceStatus.DRAFT: "This invoice has not been sent yet.",
    InvoiceStatus.PAID: "This invoice is already paid.",
    InvoiceStatus.VOID: "This invoice has been voided.",
}


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    payment: InvoicePayment
    created: bool


class PaymentService:
    # Checkout ------------------------------------------------------------------------------

    def create_checkout(
        self, *, invoice_id: UUID, amount: Any = None, gateway_config_id: UUID | None = None
    ) -> CheckoutResult:
        """Open a hosted checkout for an invoice, or hand back the open one for the same amount."""
        with transaction.atomic():
            # The invoice lock makes concurrent clicks for one invoice take turns here.
            invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
            if invoice is None:
                raise Http404("No such invoice.")
            if not invoice.is_payable:
                raise InvoiceNotPayable(_NOT_PAYABLE.get(invoice.status, "This invoice has nothing left to pay."))
            value = self._checkout_amount(invoice, amount)
            config = self._config_for(invoice, gateway_config_id)
            now = timezone.now()
            payment = (
                InvoicePayment.objects.filter(
                    invoice=invoice, gateway_config=config, amount=value, status=PaymentStatus.PENDING
                )
                .filter(Q(checkout_url="") | Q(expires_at__gt=now + REUSE_MARGIN))
                .order_by("-created_at")
                .first()
            )
            if payment is not None and payment.checkout_url:
                return CheckoutResult(payment, created=False)
            if payment is None:
                self._check_open_checkouts(invoice, now)
                payment = InvoicePayment.objects.create(
                    invoice=invoice,
                    gateway_config=config,
                    gateway_name=config.gateway_name,
                    amount=value,
                    currency=invoice.currency,
                    idempotency_key=f"trk-pay-{uuid.uuid4().hex}",
                    expires_at=now + timedelta(minutes=settings.CHECKOUT_EXPIRY_MINUTES),
                )
            # else: an earlier attempt whose gateway call failed or is under way: call again
            # with its idempotency key, so the gateway answers with the same session.
        request = self._checkout_request(invoice, payment)
        try:
            session = gateway_for(config).create_checkout(request)
        except GatewayError as exc:
            if not exc.outcome_unknown:
                self._discard_attempt(payment)
            raise
        except PaymentError:
            self._discard_attempt(payment)
            raise
        with transaction.atomic():
            payment = lock_payment(payment.pk)
            # Concurrent clicks may all reach the gateway (same idempotency key, same session):
            # only the one that records the session opened it (201); the others reuse it (200).
            created = not payment.checkout_url
            if created:
                save_fields(
                    payment,
                    gateway_session_id=session.session_id,
                    checkout_url=session.checkout_url,
                    gateway_payment_reference=session.payment_reference,
                    expires_at=session.expires_at or payment.expires_at,
                )
        return CheckoutResult(payment, created=created)

    def _check_open_checkouts(self, invoice: Invoice, now: Any) -> None:
        """Refuse a new checkout past the cap: anyone with the link can ask for one, and each
        is a session at the gateway (and a row here) until it expires. The invoice is locked."""
        limit = settings.MAX_OPEN_CHECKOUTS_PER_INVOICE
        open_ = InvoicePayment.objects.filter(invoice=invoice, status=PaymentStatus.PENDING, expires_at__gt=now)
        if open_.count() < limit:
            return
        minutes = max(1, settings.CHECKOUT_EXPIRY_MINUTES)
        raise TooManyOpenCheckouts(
            f"This invoice already has {limit} checkouts open. Finish paying in one of them, or try "
            f"again when one expires (checkouts stay open up to {minutes} minutes).",
            details={"limit": limit},
        )

    def _checkout_amount(self, invoice: Invoice, amount: Any) -> Decimal:
        # Money already on its way (a bank debit still processing) is not asked for twice.
        in_flight = InvoicePayment.objects.filter(invoice=invoice, status=PaymentStatus.PROCESSING).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0")
        due = invoice.amount_due - in_flight
        if due <= 0:
            raise InvoiceNotPayable(
                f"A payment of {display_amount(in_flight, invoice.currency)} is being processed for this invoice."
            )
        if amount is None or amount == "":
            return due
        try:
            value = parse_amount(amount, invoice.currency)
        except MoneyError as exc:
            raise InvalidAmount(str(exc), details={"amount": [str(exc)]}) from None
        if value <= 0:
            raise InvalidAmount("The amount must be more than zero.", details={"amount": ["Must be positive."]})
        if value > due:
            message = f"The amount is more than the {display_amount(due, invoice.currency)} due."
            raise InvalidAmount(message, details={"amount": [message]})
        if value < due and not invoice.allow_partial_payments:
            message = "This invoice must be paid in full."
            raise InvalidAmount(message, details={"amount": [message]})
        return value

    def _config_for(self, invoice: Invoice, config_id: UUID | None) -> PaymentGatewayConfig:
        configs = PaymentGatewayConfig.objects.filter(owner_id=invoice.owner_id, is_active=True, archived_at=None)
        if config_id is not None:
            config = configs.filter(pk=config_id).first()
        else:
            config = configs.order_by("-is_default", "created_at").first()
        if config is None:
            raise GatewayNotConfigured()
        return config

    def _checkout_request(self, invoice: Invoice, payment: InvoicePayment) -> CheckoutRequest:
        base = f"{settings.PUBLIC_BASE_URL}/pay/{invoice.pk}"
        return CheckoutRequest(
            payment_id=str(payment.pk),
            invoice_id=str(invoice.pk),
            invoice_number=invoice.number,
            description=f"Invoice {invoice.number}",
            amount=payment.amount,
            currency=payment.currency,
            customer_email=invoice.client_email or None,
            success_url=f"{base}/return?payment={payment.pk}",
            # No "canceled" flag: the payer may be back after a decline, an expiry or a change of
            # mind; the payment page asks the payment's status which one it was.
            cancel_url=f"{base}?payment={payment.pk}",
            expires_at=payment.expires_at or timezone.now() + timedelta(minutes=settings.CHECKOUT_EXPIRY_MINUTES),
            idempotency_key=payment.idempotency_key,
            metadata={"invoice_number": invoice.number},
        )

    @staticmethod
    def _discard_attempt(payment: InvoicePayment) -> None:
        """The gateway refused outright: nothing was opened, so nothing is kept."""
        InvoicePayment.objects.filter(pk=payment.pk, checkout_url="", status=PaymentStatus.PENDING).delete()

    # Status --------------------------------------------------------------------------------

    def refresh_if_due(self, *, payment: InvoicePayment) -> InvoicePayment:
        """Ask the gateway about an open payment, at most once per refresh interval.

        This is what keeps a payment from staying pending forever when a webhook is missed.
        A gateway that cannot be reached leaves the payment as it was.
        """
        if payment.status not in state.OPEN or not payment.gateway_session_id:
            return payment
        if not cache.add(f"payment-refresh:{payment.pk}", 1, timeout=settings.PAYMENT_REFRESH_INTERVAL_SECONDS):
            return payment
        try:
            return self.refresh_payment(payment=payment)
        except PaymentError as exc:
            logger.warning("Could not refresh payment %s: %s", payment.pk, exc.code)
            return payment

    def refresh_payment(self, *, payment: InvoicePayment) -> InvoicePayment:
        """Bring a payment and its refunds in line with what the gateway says now."""
        if not payment.gateway_session_id:
            return self._close_unopened_attempt(payment)
        snapshot = gateway_for(payment.gateway_config).retrieve_payment(
            session_id=payment.gateway_session_id, payment_reference=payment.gateway_payment_reference
        )
        return self.apply_snapshot(payment_id=payment.pk, snapshot=snapshot)

    def apply_snapshot(self, *, payment_id: UUID, snapshot: PaymentSnapshot) -> InvoicePayment:
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
            if not move_to(payment, snapshot.status, **fields):
                save_fields(payment, **fields)
            return payment

    def _close_unopened_attempt(self, payment: InvoicePayment) -> InvoicePayment:
        """A checkout whose opening never got an answer, and that nobody retried: the payer
        never saw a link, so it is closed once it would have expired anyway."""
        if payment.expires_at and payment.expires_at > timezone.now():
            return payment
        with transaction.atomic():
            payment = lock_payment(payment.pk)
            move_to(payment, PaymentStatus.CANCELED, failure_message="The checkout was never opened.")
        return payment

    # Refunds -------------------------------------------------------------------------------

    def refund(
        self,
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
        The refund is recorded (and its amount held) before the gateway call, under a row lock,
        so two concurrent refunds can never together exceed what was paid.
        """
        with transaction.atomic():
            payment = lock_payment(payment.pk)
            if payment.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED):
                raise RefundNotAllowed(f"A {payment.get_status_display().lower()} payment cannot be refunded.")
            refundable = payment.amount - payment.amount_refunded
            if refundable <= 0:
                raise RefundNotAllowed("This payment has been refunded in full.")
            value = refundable if amount in (None, "") else self._refund_amount(amount, payment, refundable)
            refund = PaymentRefund.objects.create(
                payment=payment,
                amount=value,
                currency=payment.currency,
                reason=(reason or "")[:500],
                invoice_effect=InvoiceEffect(invoice_effect),
                idempotency_key=f"trk-ref-{uuid.uuid4().hex}",
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
            sync_refunded_amount(payment)
        return self._send_refund(refund)

    def _refund_amount(self, amount: Any, payment: InvoicePayment, refundable: Decimal) -> Decimal:
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

    def _send_refund(self, refund: PaymentRefund) -> PaymentRefund:
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
                self._fail_refund(refund, exc.message)
            # Otherwise the refund may have happened: it stays pending, holding its amount,
            # until a webhook or reconcile_payments (same idempotency key) settles it.
            raise
        except PaymentError as exc:
            self._fail_refund(refund, exc.message)
            raise
        with transaction.atomic():
            payment = lock_payment(payment.pk)
            refund = record_refund(payment, result, refund=PaymentRefund.objects.get(pk=refund.pk))
        return refund

    def _fail_refund(self, refund: PaymentRefund, message: str) -> None:
        with transaction.atomic():
            payment = lock_payment(refund.payment_id)
            PaymentRefund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
                status=RefundStatus.FAILED, failure_reason=message[:500], updated_at=timezone.now()
            )
            sync_refunded_amount(payment)

    def refresh_refund(self, *, refund: PaymentRefund) -> PaymentRefund:
        """Settle a pending refund: ask the gateway, or resend it with its idempotency key when
        the first call's answer was lost."""
        if refund.status != RefundStatus.PENDING:
            return refund
        if not refund.gateway_refund_id:
            return self._send_refund(refund)
        snapshot = gateway_for(refund.payment.gateway_config).retrieve_refund(refund_id=refund.gateway_refund_id)
        with transaction.atomic():
            payment = lock_payment(refund.payment_id)
            return record_refund(payment, snapshot, refund=PaymentRefund.objects.get(pk=refund.pk))
