"""Read-side queries for the payment API, each with a fixed number of SQL queries.

A lookup that finds nothing (or another owner's row: we never say which) raises
``core.errors.NotFound``, which the API answers as the contract's 404 ``not_found``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from core.errors import NotFound
from invoices.models import Invoice
from payments import state
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund


def configs_for(owner: Any) -> QuerySet[PaymentGatewayConfig]:
    return PaymentGatewayConfig.objects.filter(owner=owner, archived_at=None)


def config_for_owner(*, owner: Any, config_id: UUID) -> PaymentGatewayConfig:
    config = configs_for(owner).filter(pk=config_id).first()
    if config is None:
        raise NotFound()
    return config


def payment_for_status(payment_id: UUID) -> InvoicePayment:
    payment = InvoicePayment.objects.select_related("gateway_config", "invoice").filter(pk=payment_id).first()
    if payment is None:
        raise NotFound()
    return payment


def payment_for_owner(*, owner: Any, payment_id: UUID) -> InvoicePayment:
    payment = (
        InvoicePayment.objects.select_related("gateway_config", "invoice")
        .filter(pk=payment_id, invoice__owner=owner)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def invoice_payments(*, owner: Any, invoice_id: UUID) -> QuerySet[InvoicePayment]:
    """The invoice's payments, newest first, with their refunds (a query set, so it can be paged)."""
    if not Invoice.objects.filter(pk=invoice_id, owner=owner).exists():
        raise NotFound()
    return (
        InvoicePayment.objects.filter(invoice_id=invoice_id)
        .prefetch_related(Prefetch("refunds", queryset=PaymentRefund.objects.order_by("created_at")), "disputes")
        .order_by("-created_at", "-pk")
    )


def public_invoice(invoice_id: UUID) -> Invoice:
    invoice = Invoice.objects.select_related("owner").prefetch_related("items").filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


def public_refunds(invoice_id: UUID) -> QuerySet[PaymentRefund]:
    """The refunds a client is shown on their invoice: those that hold money (pending or done)
    on payments that were paid, oldest first; failed or canceled attempts are left out."""
    return PaymentRefund.objects.filter(
        payment__invoice_id=invoice_id,
        payment__status__in=state.SETTLED,
        status__in=state.REFUND_HOLDS,
    ).order_by("created_at")
