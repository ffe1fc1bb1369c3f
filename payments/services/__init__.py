"""The jobs that change payments, one module each, behind one name: ``PaymentService``.

- ``checkout``: open a hosted checkout for an invoice (or hand back the open one);
- ``status_sync``: bring a payment in line with what its gateway says (refresh, snapshots,
  the stale payments and refunds ``reconcile_payments`` repairs);
- ``refunds``: refund a captured payment, settle a pending refund;
- ``configs``: writes to gateway configurations.

Webhook events are applied by ``payments.webhooks``. Every status change goes through
``payments.transitions``. Gateway calls always happen outside database transactions: what we are
about to do is written first (with its idempotency key), then the gateway is called, then its
answer is written.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from payments.gateways.base import PaymentSnapshot
from payments.models import InvoiceEffect, InvoicePayment, PaymentRefund
from payments.services import checkout, refunds, status_sync
from payments.services.checkout import CheckoutResult

__all__ = ["CheckoutResult", "PaymentService"]


class PaymentService:
    """The payment jobs under the one name views, the admin and commands call."""

    def create_checkout(
        self,
        *,
        invoice_id: UUID | None = None,
        public_id: UUID | None = None,
        amount: Any = None,
        gateway_config_id: UUID | None = None,
        save_payment_method: bool = False,
    ) -> CheckoutResult:
        return checkout.create_checkout(
            invoice_id=invoice_id, public_id=public_id, amount=amount, gateway_config_id=gateway_config_id,
            save_payment_method=save_payment_method,
        )

    def refresh_if_due(self, *, payment: InvoicePayment) -> InvoicePayment:
        return status_sync.refresh_if_due(payment=payment)

    def refresh_payment(self, *, payment: InvoicePayment) -> InvoicePayment:
        return status_sync.refresh_payment(payment=payment)

    def apply_snapshot(self, *, payment_id: UUID, snapshot: PaymentSnapshot) -> InvoicePayment:
        return status_sync.apply_snapshot(payment_id=payment_id, snapshot=snapshot)

    def refund(
        self,
        *,
        payment: InvoicePayment,
        amount: Any = None,
        reason: str = "",
        user: Any = None,
        invoice_effect: str = InvoiceEffect.CREDIT,
    ) -> PaymentRefund:
        return refunds.refund(payment=payment, amount=amount, reason=reason, user=user, invoice_effect=invoice_effect)

    def refresh_refund(self, *, refund: PaymentRefund) -> PaymentRefund:
        return refunds.refresh_refund(refund=refund)
