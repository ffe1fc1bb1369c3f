"""The payments side's reactions: each payment, refund and dispute change is written on the
invoice's timeline, and voiding an invoice or taking its link back closes its open checkouts
at their gateway (``payments.tasks.close_invoice_checkouts``, once the change commits).

Connected in ``PaymentsConfig.ready``. The signals are sent inside the transaction that made
the change, so a timeline row exists exactly when the change was committed.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from activity.models import ActivityKind
from activity.services import record
from core.background import enqueue
from core.money import format_amount
from invoices.signals import invoice_link_retired, invoice_voided
from payments.models import InvoicePayment, PaymentDispute, PaymentRefund, RefundSource
from payments.signals import dispute_changed, payment_status_changed, refund_status_changed
from payments.state import SETTLED, PaymentStatus, RefundStatus
from payments.tasks import close_invoice_checkouts


def _money(amount: Any, currency: str) -> dict[str, str | None]:
    return {"amount": format_amount(amount, currency), "currency": currency}


@receiver(payment_status_changed, dispatch_uid="activity-payment-status")
def payment_on_timeline(sender: Any, *, payment: InvoicePayment, previous: str, **kwargs: Any) -> None:
    details = {**_money(payment.amount, payment.currency), "gateway": payment.gateway_name}
    if payment.status == PaymentStatus.SUCCEEDED and previous not in SETTLED:
        record(payment.invoice_id, ActivityKind.PAID, actor=payment.gateway_name, details=details)
    elif payment.status == PaymentStatus.FAILED:
        reason = payment.failure_message[:200] if payment.failure_message else ""
        record(payment.invoice_id, ActivityKind.PAYMENT_FAILED, actor=payment.gateway_name, details={**details, "reason": reason})


@receiver(refund_status_changed, dispatch_uid="activity-refund-status")
def refund_on_timeline(sender: Any, *, refund: PaymentRefund, previous: str | None, **kwargs: Any) -> None:
    if refund.status != RefundStatus.SUCCEEDED or previous == RefundStatus.SUCCEEDED:
        return
    by_owner = refund.source == RefundSource.TRACKIFY and refund.created_by_id is not None
    payment = refund.payment
    record(
        payment.invoice_id,
        ActivityKind.REFUNDED,
        actor="owner" if by_owner else payment.gateway_name,
        details={**_money(refund.amount, refund.currency), "effect": refund.invoice_effect},
    )


@receiver(dispute_changed, dispatch_uid="activity-dispute")
def dispute_on_timeline(sender: Any, *, dispute: PaymentDispute, previous: str | None, **kwargs: Any) -> None:
    if previous == dispute.status:
        return
    payment = dispute.payment
    details = {**_money(dispute.amount, dispute.currency), "status": dispute.status}
    record(payment.invoice_id, ActivityKind.DISPUTED, actor=payment.gateway_name, details=details)


@receiver(invoice_voided, dispatch_uid="payments-close-checkouts-on-void")
def close_checkouts_of_void_invoice(sender: Any, *, invoice: Any, **kwargs: Any) -> None:
    # After the commit, in a task: the gateway calls run outside any transaction, and the void
    # holds the invoice's lock while closing a payment locks the payment then the invoice (the
    # order webhook processing uses), so doing it inside would invite a deadlock.
    enqueue(close_invoice_checkouts, str(invoice.pk), "voided")


@receiver(invoice_link_retired, dispatch_uid="payments-close-checkouts-on-link-retired")
def close_checkouts_of_retired_link(sender: Any, *, invoice: Any, reason: str, at: Any, **kwargs: Any) -> None:
    # Only checkouts opened before the link was taken back: a new link's own are left open.
    enqueue(close_invoice_checkouts, str(invoice.pk), reason, at.isoformat())
