"""Every email Trackify sends (``EmailMessageLog``), the owner's notification switches and
reminder schedule (``NotificationPreferences``), an invoice's own schedule
(``InvoiceReminderSchedule``) and the reminders already claimed (``ReminderClaim``)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_REMINDER_OFFSETS = [-3, 0, 7]
# A row still "sending" this long after its attempt began lost its outcome (see delivery.py).
STALE_SENDING = timedelta(minutes=15)


def default_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class EmailKind(models.TextChoices):
    INVOICE = "invoice", "Invoice to the client"
    RECEIPT = "receipt", "Receipt to the payer"
    REFUND = "refund", "Refund notice to the payer"
    REMINDER = "reminder", "Payment reminder to the client"
    OWNER_PAYMENT = "owner_payment", "Payment received (to the owner)"
    OWNER_PAYMENT_FAILED = "owner_payment_failed", "Payment failed (to the owner)"
    OWNER_REFUND = "owner_refund", "Refund made (to the owner)"
    OWNER_DISPUTE = "owner_dispute", "Dispute opened (to the owner)"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Handed to the mail server by an attempt whose outcome is not recorded yet. Never sent again
    # automatically: the server may have accepted it (see notifications/delivery.py).
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Not sent because it no longer applied (a reminder for an invoice paid in the meantime).
    SKIPPED = "skipped", "Not needed any more"


class EmailMessageLog(models.Model):
    """One email: to whom, what, and what became of it. The message is composed when it is sent,
    from ``kind`` and the objects named in ``context`` (payment, refund, dispute, reminder)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=30, choices=EmailKind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    context = models.JSONField(default=dict, blank=True)
    actor = models.CharField(max_length=100, default="system")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["invoice", "-created_at"], name="email_invoice_created"),
            models.Index(fields=["status", "updated_at"], name="email_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.status})"

    @property
    def can_retry(self) -> bool:
        """A failed email, or one whose attempt never reported back, may be sent again."""
        if self.status == EmailStatus.FAILED:
            return True
        stale = self.claimed_at is not None and self.claimed_at < timezone.now() - STALE_SENDING
        return self.status == EmailStatus.SENDING and stale


class NotificationPreferences(models.Model):
    """What the owner wants to hear about, and their default reminder schedule."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preferences"
    )
    notify_payment_succeeded = models.BooleanField(default=True)
    notify_payment_failed = models.BooleanField(default=True)
    notify_refund = models.BooleanField(default=True)
    notify_dispute = models.BooleanField(default=True)
    send_receipts = models.BooleanField(default=True, help_text="Email the payer a receipt and refund notices.")
    reminders_enabled = models.BooleanField(default=True)
    # Days relative to the due date: -3 is three days before, 0 the due date, 7 a week after.
    reminder_offsets = models.JSONField(default=default_offsets)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"


class InvoiceReminderSchedule(models.Model):
    """An invoice's own reminder schedule, in place of its owner's default."""

    invoice = models.OneToOneField(
        "invoices.Invoice", on_delete=models.CASCADE, primary_key=True, related_name="reminder_schedule"
    )
    enabled = models.BooleanField(default=True)
    offsets = models.JSONField(default=default_offsets)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminders of {self.invoice_id}: {self.offsets if self.enabled else 'off'}"


class ReminderClaim(models.Model):
    """A reminder taken by one scheduler run: the unique (invoice, offset) row is what makes a
    second scheduler, or a retried run, skip it."""

    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.CASCADE, related_name="reminder_claims")
    offset_days = models.IntegerField()
    email = models.OneToOneField(EmailMessageLog, null=True, on_delete=models.SET_NULL, related_name="reminder_claim")
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["invoice", "offset_days"], name="reminder_once_per_offset")
        ]

    def __str__(self) -> str:
        return f"Reminder {self.offset_days:+d} days of {self.invoice_id}"
