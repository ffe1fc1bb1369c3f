"""Writes of the notifications app: queueing emails, emailing an invoice, retrying a failed email,
the owner's preferences and an invoice's reminder schedule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.db import transaction

from accounts.services import profile_for
from core.background import enqueue
from core.errors import NotFound
from invoices.models import Invoice, InvoiceStatus
from invoices.services import send_invoice
from notifications.errors import EmailNotRetryable, InvoiceNotEmailable, NoRecipient
from notifications.models import (
    EmailKind,
    EmailMessageLog,
    InvoiceReminderSchedule,
    NotificationPreferences,
)


def queue_email(
    *, invoice: Invoice, kind: str, to: str, context: Mapping[str, Any] | None = None, actor: str = "system"
) -> EmailMessageLog:
    """Record the email as queued and hand it to the worker once the caller's transaction commits."""
    from notifications.tasks import send_email

    log = EmailMessageLog.objects.create(invoice=invoice, kind=kind, to=to, context=dict(context or {}), actor=actor)
    enqueue(send_email, str(log.pk))
    return log


def email_invoice(*, invoice: Invoice, to: str | None = None, actor: str = "owner") -> EmailMessageLog:
    """Email the invoice (its link and PDF) to ``to`` or its client.

    A draft is sent first (it becomes payable: emailing a link nobody can pay is pointless); a
    void invoice, or one whose payment link is turned off, is refused with 409.
    """
    recipient = (to or invoice.client_email or "").strip()
    if not recipient:
        raise NoRecipient()
    if invoice.status == InvoiceStatus.VOID:
        raise InvoiceNotEmailable("A void invoice cannot be emailed.")
    if not invoice.link_enabled:
        raise InvoiceNotEmailable("This invoice's payment link is turned off: make a new link before emailing it.")
    with transaction.atomic():
        if invoice.status == InvoiceStatus.DRAFT:
            invoice = send_invoice(invoice=invoice)
        return queue_email(invoice=invoice, kind=EmailKind.INVOICE, to=recipient, actor=actor)


def retry_email(*, log_id: UUID | str, owner: Any) -> EmailMessageLog:
    """Send a failed email again (the owner's Retry, the admin's action)."""
    from notifications import delivery
    from notifications.tasks import send_email

    with transaction.atomic():
        log = EmailMessageLog.objects.select_for_update().filter(pk=log_id, invoice__owner=owner).first()
        if log is None:
            raise NotFound()
        if not delivery.requeue(log):
            raise EmailNotRetryable(details={"status": log.status})
        enqueue(send_email, str(log.pk))
    return log


def preferences_for(user: Any) -> NotificationPreferences:
    """The owner's saved preferences, or the defaults (unsaved: reading writes nothing)."""
    found = NotificationPreferences.objects.filter(user_id=user.pk).first()
    return found or NotificationPreferences(user_id=user.pk)


def update_preferences(*, user: Any, data: Mapping[str, Any]) -> NotificationPreferences:
    with transaction.atomic():
        prefs, _ = NotificationPreferences.objects.select_for_update().get_or_create(user_id=user.pk)
        for name, value in data.items():
            setattr(prefs, name, value)
        prefs.save()
    return prefs


def set_reminder_schedule(*, invoice: Invoice, data: Mapping[str, Any]) -> InvoiceReminderSchedule | None:
    """An invoice's own schedule; ``use_default`` drops it so the owner's default applies again."""
    if data.get("use_default"):
        InvoiceReminderSchedule.objects.filter(invoice=invoice).delete()
        return None
    schedule, _ = InvoiceReminderSchedule.objects.get_or_create(invoice=invoice)
    for name in ("enabled", "offsets"):
        if name in data:
            setattr(schedule, name, data[name])
    schedule.save()
    return schedule


def owner_address(owner: Any) -> str:
    """Where the owner's own notices go: their account's email, else the profile's contact email."""
    return (getattr(owner, "email", "") or profile_for(owner).contact_email or "").strip()
