"""Invoices and their line items.

``total`` is computed from the items on the server; ``amount_paid``, ``amount_refunded`` and
``amount_credited`` are written only by ``invoices.services.apply_payment_totals``, which the payment code calls after
every change to a payment or refund.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models

from core.money import format_amount

MONEY = {"max_digits": 17, "decimal_places": 3}


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


PAYABLE_STATUSES = frozenset({InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID})


class Invoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The id in the client's payment link; distinct from ``id`` so the owner can revoke the link
    # (``link_enabled``) or replace it with a new one, and give it an expiry.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    link_enabled = models.BooleanField(default=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    # When the current public_id was issued (null: the first one). A payment opened before it
    # came through a replaced link, so the public status of that payment answers 410 too.
    link_issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(max_length=32)
    client_name = models.CharField(max_length=200)
    client_email = models.EmailField(blank=True)
    currency = models.CharField(max_length=3, default="USD")
    issue_date = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    allow_partial_payments = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    total = models.DecimalField(**MONEY, default=Decimal(0))
    amount_paid = models.DecimalField(**MONEY, default=Decimal(0), help_text="Succeeded payments net of refunds.")
    amount_refunded = models.DecimalField(**MONEY, default=Decimal(0))
    amount_credited = models.DecimalField(
        **MONEY, default=Decimal(0), help_text="Refunds that were taken off what the client owes."
    )
    # Lost disputes (chargebacks): money the payer's bank took back; not counted in amount_paid.
    amount_disputed = models.DecimalField(**MONEY, default=Decimal(0), help_text="Lost disputes (chargebacks).")
    # The recurring template that issued this invoice (kept when the template is canceled).
    recurring_invoice = models.ForeignKey(
        "recurring.RecurringInvoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [models.UniqueConstraint(fields=["owner", "number"], name="invoice_number_unique_per_owner")]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["owner", "-created_at"], name="invoice_owner_created"),
            # The currencies an owner invoices in (reports/params.py): a few probes of this index.
            models.Index(fields=["owner", "currency"], condition=~models.Q(status="draft"), name="invoice_owner_currency"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.client_name})"

    @property
    def amount_due(self) -> Decimal:
        """What the client still owes: the total less what they paid and what was credited to them."""
        return max(self.total - self.amount_credited - self.amount_paid, Decimal(0))

    @property
    def amount_overpaid(self) -> Decimal:
        """Money received beyond what is owed (two checkouts paid at once): kept visible, never hidden."""
        return max(self.amount_paid + self.amount_credited - self.total, Decimal(0))

    @property
    def is_payable(self) -> bool:
        return self.status in PAYABLE_STATUSES and self.amount_due > 0

    # What the owner may do with the invoice now; the services enforce these and the API shows them.
    @property
    def can_edit_items(self) -> bool:
        """Items, currency, number and issue date change only while the invoice is a draft."""
        return self.status == InvoiceStatus.DRAFT

    @property
    def can_edit(self) -> bool:
        """The client's details, dates, notes and partial-payment switch change on anything but a void invoice."""
        return self.status != InvoiceStatus.VOID

    @property
    def can_send(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def can_delete(self) -> bool:
        """Only a draft is deleted (nobody can have paid it); anything else is voided."""
        return self.status == InvoiceStatus.DRAFT

    @property
    def can_void(self) -> bool:
        """A sent invoice may be voided; voiding still answers 409 while it holds money not refunded."""
        return self.status not in (InvoiceStatus.DRAFT, InvoiceStatus.VOID)

    def link_state(self, now: datetime) -> str:
        """``live``, ``revoked`` or ``expired``: whether the public link answers now."""
        if not self.link_enabled:
            return "revoked"
        if self.link_expires_at is not None and self.link_expires_at <= now:
            return "expired"
        return "live"

    def money(self, amount: Decimal) -> str | None:
        return format_amount(amount, self.currency)


class RetiredLink(models.Model):
    """A public id the owner replaced: its link answers 410 (not 404), so the client learns the
    link was taken back rather than mistyped. Nothing else about the invoice is reachable from it."""

    public_id = models.UUIDField(primary_key=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="retired_links")
    retired_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.public_id} (retired {self.retired_at:%Y-%m-%d %H:%M})"


class InvoiceItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=500)
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "id"]

    def __str__(self) -> str:
        return self.description
