"""What an invoice or a receipt says, as plain values (every amount through
``core.money.display_amount``): one source for the PDFs and the emails."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.money import display_amount
from invoices.models import Invoice
from notifications.branding import Branding


def payment_link(invoice: Invoice) -> str:
    """The client's payment page: it carries the public id, never the internal one."""
    return f"{settings.PUBLIC_BASE_URL}/pay/{invoice.public_id}"


def _quantity(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def invoice_facts(invoice: Invoice) -> dict[str, Any]:
    money = invoice.currency

    def show(amount: Decimal) -> str:
        return display_amount(amount, money)

    items = [
        {
            "description": item.description,
            "quantity": _quantity(item.quantity),
            "unit_price": show(item.unit_price),
            "amount": show(item.amount),
        }
        for item in invoice.items.all()
    ]
    return {
        "number": invoice.number,
        "client_name": invoice.client_name,
        "currency": invoice.currency,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "status": invoice.get_status_display(),
        "items": items,
        "total": show(invoice.total),
        "amount_paid": show(invoice.amount_paid),
        "amount_credited": show(invoice.amount_credited),
        "has_credit": invoice.amount_credited > 0,
        "has_paid": invoice.amount_paid > 0,
        "amount_due": show(invoice.amount_due),
        "notes": invoice.notes,
        "payment_url": payment_link(invoice),
        "payable": invoice.is_payable,
    }


def local_time(value: Any, branding: Branding) -> Any:
    """A moment in the owner's time zone (receipts and reminders count days there)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value is None:
        return None
    try:
        zone = ZoneInfo(branding.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return timezone.localtime(value, zone)


def receipt_facts(payment: Any, branding: Branding) -> dict[str, Any]:
    """A payment's receipt: what was paid, when, for which invoice, and what is still due."""
    invoice = payment.invoice
    return {
        "invoice": invoice_facts(invoice),
        "receipt_number": f"{invoice.number}-{str(payment.pk)[:8].upper()}",
        "amount": display_amount(payment.amount, payment.currency),
        "paid_at": local_time(payment.succeeded_at or payment.updated_at, branding),
        "method": payment.gateway_name.replace("_", " ").title(),
        "reference": payment.gateway_payment_reference or str(payment.pk),
    }
