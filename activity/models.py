"""The invoice timeline: one row per thing that happened, written by the code that did it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class ActivityKind(models.TextChoices):
    CREATED = "created", "Created"
    SENT = "sent", "Sent"
    EMAILED = "emailed", "Emailed"
    VIEWED = "viewed", "Viewed by the client"
    CHECKOUT_OPENED = "checkout_opened", "Checkout opened"
    CHECKOUT_CLOSED = "checkout_closed", "Checkout closed"
    PAID = "paid", "Payment received"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    REFUNDED = "refunded", "Refunded"
    DISPUTED = "disputed", "Disputed"
    REMINDER_SENT = "reminder_sent", "Reminder sent"
    LINK_REVOKED = "link_revoked", "Link revoked"
    LINK_REGENERATED = "link_regenerated", "Link regenerated"
    VOIDED = "voided", "Voided"


class ActivityEvent(models.Model):
    """Something that happened to an invoice. ``actor`` says who: ``owner``, ``client``,
    ``system`` (the scheduler, a worker) or a gateway's name; ``details`` are safe to show the
    owner (amounts as decimal strings with their currency, never secrets)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.CASCADE, related_name="activity")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, choices=ActivityKind.choices)
    actor = models.CharField(max_length=100, default="system")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["invoice", "at"], name="activity_invoice_at")]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"
