"""Writes to invoices."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from invoices.models import Invoice, InvoiceStatus
from payments.money import quantize


def apply_payment_totals(*, invoice: Invoice, amount_paid: Decimal, amount_refunded: Decimal) -> Invoice:
    """Store the totals the payment code computed and let the invoice's status follow them.

    The caller holds the invoice's row lock. A draft or void invoice keeps its status.
    """
    invoice.amount_paid = amount_paid
    invoice.amount_refunded = amount_refunded
    if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.VOID):
        if invoice.total > 0 and amount_paid >= invoice.total:
            invoice.status = InvoiceStatus.PAID
        elif amount_paid > 0:
            invoice.status = InvoiceStatus.PARTIALLY_PAID
        else:
            invoice.status = InvoiceStatus.SENT
    invoice.save(update_fields=["amount_paid", "amount_refunded", "status", "updated_at"])
    return invoice


def recalculate_total(*, invoice: Invoice) -> Invoice:
    """Set the invoice's ``total`` to the sum of its items' amounts, in the currency's places."""
    total = invoice.items.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    invoice.total = quantize(total, invoice.currency)
    invoice.save(update_fields=["total", "updated_at"])
    return invoice
