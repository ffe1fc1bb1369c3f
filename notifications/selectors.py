"""Reads of the notifications app."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from core.errors import NotFound
from invoices.models import Invoice
from invoices.selectors import get_invoice_for_owner
from notifications.models import (
    DEFAULT_REMINDER_OFFSETS,
    EmailMessageLog,
    InvoiceReminderSchedule,
    NotificationPreferences,
    ReminderClaim,
)


def emails_for_invoice(*, owner: Any, invoice_id: UUID) -> QuerySet[EmailMessageLog]:
    """The invoice's emails, newest first (``NotFound`` for another owner's invoice)."""
    invoice = get_invoice_for_owner(owner=owner, invoice_id=invoice_id)
    return EmailMessageLog.objects.filter(invoice=invoice).order_by("-created_at", "-id")[:100]


def paid_payment(*, invoice: Invoice, payment_id: UUID) -> Any:
    """A payment of this invoice that was paid (refunded since or not): the ones with a receipt."""
    from payments.models import InvoicePayment
    from payments.state import SETTLED

    payment = (
        InvoicePayment.objects.select_related("invoice__owner")
        .filter(pk=payment_id, invoice=invoice, status__in=SETTLED)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def reminder_state(invoice: Invoice) -> dict[str, Any]:
    """The schedule that applies to the invoice (its own or the owner's default) and what was sent."""
    own = InvoiceReminderSchedule.objects.filter(invoice=invoice).first()
    prefs = NotificationPreferences.objects.filter(user_id=invoice.owner_id).first()
    if own is not None:
        enabled, offsets = own.enabled, own.offsets
    elif prefs is not None:
        enabled, offsets = prefs.reminders_enabled, prefs.reminder_offsets
    else:
        enabled, offsets = True, list(DEFAULT_REMINDER_OFFSETS)
    claims = ReminderClaim.objects.filter(invoice=invoice).order_by("claimed_at")
    return {
        "uses_default": own is None,
        "enabled": enabled,
        "offsets": sorted(set(offsets)),
        "sent": [{"offset_days": c.offset_days, "claimed_at": c.claimed_at} for c in claims],
    }
