"""Recurring invoice templates, the periods they issued, and their autopay agreement.

A template issues one invoice per period. Each period is claimed by inserting a
``RecurringPeriod`` row (unique per template and date) before the invoice is created, in the
same transaction: a retry or a second scheduler that reaches the same period finds the row and
issues nothing. No card data is kept: autopay stores only the gateway's customer and method ids.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models


class Interval(models.TextChoices):
    WEEK = "week", "Weekly"
    MONTH = "month", "Monthly"
    QUARTER = "quarter", "Quarterly"
    YEAR = "year", "Yearly"


class TemplateStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CANCELED = "canceled", "Canceled"


class RecurringInvoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recurring_invoices")
    client_name = models.CharField(max_length=200)
    client_email = models.EmailField(blank=True)
    currency = models.CharField(max_length=3, default="USD")
    # [{"description", "quantity", "unit_price"}] with decimal strings, copied onto each invoice.
    items = models.JSONField(default=list)
    allow_partial_payments = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    interval = models.CharField(max_length=10, choices=Interval.choices, default=Interval.MONTH)
    interval_count = models.PositiveSmallIntegerField(default=1)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True, help_text="How many invoices in all (empty: no limit).")
    days_until_due = models.PositiveSmallIntegerField(default=14)
    status = models.CharField(max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.ACTIVE)
    # The next period's index (0 = start_date) and date; null once the template has ended.
    next_index = models.PositiveIntegerField(default=0)
    next_issue_date = models.DateField(null=True, blank=True)
    issued_count = models.PositiveIntegerField(default=0)
    # Autopay: the client agreed to be charged; the gateway config and its ids for them.
    autopay = models.BooleanField(default=False)
    autopay_config_id = models.UUIDField(null=True, blank=True)
    autopay_customer_id = models.CharField(max_length=255, blank=True)
    autopay_method_id = models.CharField(max_length=255, blank=True)
    autopay_method_label = models.CharField(max_length=60, blank=True, help_text="Brand and last four, for display.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "next_issue_date"], name="recurring_due"),
        ]

    def __str__(self) -> str:
        return f"{self.client_name} every {self.interval_count} {self.interval}"


class RecurringPeriod(models.Model):
    """One issued period: the claim that makes issuing exactly-once."""

    template = models.ForeignKey(RecurringInvoice, on_delete=models.CASCADE, related_name="periods")
    period_date = models.DateField()
    index = models.PositiveIntegerField()
    invoice = models.OneToOneField("invoices.Invoice", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["template", "period_date"], name="recurring_period_once"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.period_date}"


class AutopayStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    # An attempt is in flight; ``next_attempt_at`` is its lease: if the worker making it dies,
    # the sweep takes the same attempt again after it, with the same idempotency key.
    CHARGING = "charging", "Charging"
    SUCCEEDED = "succeeded", "Succeeded"
    RETRYING = "retrying", "Failed, will retry"
    GAVE_UP = "gave_up", "Failed, link sent"
    SKIPPED = "skipped", "Skipped"


class AutopayCharge(models.Model):
    """Autopay for one issued invoice: its attempts, the next try, and how it ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(RecurringInvoice, on_delete=models.CASCADE, related_name="charges")
    invoice = models.OneToOneField("invoices.Invoice", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=AutopayStatus.choices, default=AutopayStatus.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "next_attempt_at"], name="autopay_due"),
        ]

    def __str__(self) -> str:
        return f"autopay {self.invoice_id} {self.status}"
