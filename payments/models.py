"""Payment records: gateway configurations, payments, refunds and received webhook events."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.money import display_amount
from payments import crypto
from payments.state import REFUNDABLE, SETTLED, PaymentStatus, RefundStatus

MONEY = {"max_digits": 17, "decimal_places": 3}


class GatewayMode(models.TextChoices):
    TEST = "test", "Test"
    LIVE = "live", "Live"


class WebhookMode(models.TextChoices):
    MANAGED = "managed", "Managed: the app created the endpoint at the gateway"
    MANUAL = "manual", "Manual: the user registered the endpoint and pasted its secret"


class PaymentGatewayConfig(models.Model):
    """One user's connection to one gateway, with its credentials encrypted at rest.

    A config that has payments is archived instead of deleted, so those payments can still be
    refunded and their webhooks verified.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gateway_configs")
    gateway_name = models.CharField(max_length=50)
    display_name = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    mode = models.CharField(max_length=4, choices=GatewayMode.choices, default=GatewayMode.TEST)
    credentials_encrypted = models.TextField(blank=True, editable=False)
    credentials_preview = models.JSONField(default=dict, blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the gateway last accepted these credentials; cleared when they change.
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why the last verification did not succeed (the gateway unreachable, say); empty once it does.
    verify_error = models.CharField(max_length=500, blank=True, editable=False)
    webhook_mode = models.CharField(max_length=7, choices=WebhookMode.choices, default=WebhookMode.MANUAL)
    # The gateway's id of the webhook endpoint the app created for this config (managed mode);
    # its signing secret, if any, is stored with the credentials, encrypted.
    webhook_endpoint_id = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        verbose_name = "payment gateway config"
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True, archived_at__isnull=True), name="one_default_gateway_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name or self.gateway_name} ({self.mode})"

    def get_credentials(self) -> dict[str, Any]:
        return crypto.decrypt_json(self.credentials_encrypted)

    def set_credentials(self, credentials: dict[str, Any], preview: dict[str, str]) -> None:
        self.credentials_encrypted = crypto.encrypt_json(credentials)
        self.credentials_preview = preview

    @property
    def webhook_path(self) -> str:
        return f"/api/payment/webhook/{self.gateway_name}/{self.id}/"

    @property
    def webhook_url(self) -> str:
        return f"{settings.PUBLIC_BASE_URL}{self.webhook_path}"


class InvoicePayment(models.Model):
    """One attempt to pay (part of) an invoice through a gateway's hosted checkout."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey("invoices.Invoice", on_delete=models.PROTECT, related_name="payments")
    gateway_config = models.ForeignKey(PaymentGatewayConfig, on_delete=models.PROTECT, related_name="payments")
    gateway_name = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    amount_refunded = models.DecimalField(
        **MONEY, default=Decimal("0"), help_text="Refunds pending or succeeded; a failed refund gives its amount back."
    )
    # Written before the gateway call, so a retry sends the same key and never opens a second checkout.
    idempotency_key = models.CharField(max_length=64, unique=True)
    gateway_session_id = models.CharField(max_length=255, null=True, blank=True)
    gateway_payment_reference = models.CharField(max_length=255, null=True, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)
    flagged_reason = models.CharField(
        max_length=500, blank=True, help_text="Why an event for this payment was held back for a person to look at."
    )
    # What the gateway took and what reached the owner, as the gateway reported them (its balance
    # transaction, say); null until known. ``fee_currency`` is the currency they are in, which
    # may be the owner's settlement currency rather than the payment's.
    fee = models.DecimalField(**MONEY, null=True, blank=True)
    net = models.DecimalField(**MONEY, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway_name", "gateway_session_id"],
                condition=Q(gateway_session_id__isnull=False),
                name="payment_session_unique_per_gateway",
            )
        ]
        indexes = [
            models.Index(fields=["invoice", "status"], name="payment_invoice_status"),
            models.Index(fields=["status", "updated_at"], name="payment_status_updated"),
            models.Index(fields=["gateway_name", "gateway_payment_reference"], name="payment_gateway_reference"),
            # The owner's reports (reports/figures.py) read these instead of the payment rows.
            models.Index(
                fields=["gateway_config", "succeeded_at"],
                include=["currency", "amount", "fee", "fee_currency"],
                condition=Q(status__in=sorted(SETTLED)),
                name="payment_report_collected",
            ),
            models.Index(
                fields=["gateway_config", "created_at"],
                include=["currency", "status", "id"],
                name="payment_report_opened",
            ),
            models.Index(
                fields=["invoice", "succeeded_at"],
                condition=Q(status__in=sorted(SETTLED)),
                name="payment_report_last_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{display_amount(self.amount, self.currency)} {self.status} ({self.id})"

    @property
    def amount_refundable(self) -> Decimal:
        if self.status not in REFUNDABLE:
            return Decimal("0")
        return max(self.amount - self.amount_refunded, Decimal("0"))

    @property
    def can_refund(self) -> bool:
        """A captured payment with something left to give back; the refund service enforces it."""
        return self.amount_refundable > 0


class InvoiceEffect(models.TextChoices):
    """What a refund does to what the client owes."""

    CREDIT = "credit", "Credit: taken off what the client owes"
    REOPEN = "reopen", "Reopen: the client owes it again"


class RefundSource(models.TextChoices):
    TRACKIFY = "trackify", "Made in Trackify"
    GATEWAY = "gateway", "Made at the gateway"


class PaymentRefund(models.Model):
    """Every refund of a payment, whether made here or in the gateway's own dashboard."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(InvoicePayment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=RefundSource.choices, default=RefundSource.TRACKIFY)
    invoice_effect = models.CharField(max_length=6, choices=InvoiceEffect.choices, default=InvoiceEffect.CREDIT)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    gateway_refund_id = models.CharField(max_length=255, null=True, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    # The fee the gateway charged or gave back for this refund, and the refund's effect on the
    # balance (negative), as the gateway reported them; null until known.
    fee = models.DecimalField(**MONEY, null=True, blank=True)
    net = models.DecimalField(**MONEY, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "gateway_refund_id"],
                condition=Q(gateway_refund_id__isnull=False),
                name="refund_gateway_id_unique_per_payment",
            )
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="refund_status_updated")]

    def __str__(self) -> str:
        return f"Refund {display_amount(self.amount, self.currency)} {self.status}"


class DisputeStatus(models.TextChoices):
    """A dispute (chargeback) as Trackify keeps it; gateways map their own statuses onto these."""

    NEEDS_RESPONSE = "needs_response", "Needs response"
    UNDER_REVIEW = "under_review", "Under review"
    WON = "won", "Won"
    LOST = "lost", "Lost"
    WARNING_CLOSED = "warning_closed", "Inquiry closed"


class PaymentDispute(models.Model):
    """A payer's dispute of a payment at their bank, as the gateway reported it.

    A lost dispute takes its amount back from the owner: the invoice shows it as
    ``amount_disputed`` and no longer counts it in ``amount_paid``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(InvoicePayment, on_delete=models.PROTECT, related_name="disputes")
    gateway_dispute_id = models.CharField(max_length=255)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.NEEDS_RESPONSE)
    evidence_due_by = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "gateway_dispute_id"], name="dispute_once_per_payment")
        ]
        indexes = [models.Index(fields=["status"], name="dispute_status")]

    def __str__(self) -> str:
        return f"Dispute {display_amount(self.amount, self.currency)} {self.status}"


class WebhookEventStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    WAITING = "waiting", "Verified, waiting for its payment"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    FLAGGED = "flagged", "Flagged for review"
    FAILED = "failed", "Failed"


PLATFORM_ACCOUNT = "platform"


class PaymentWebhookEvent(models.Model):
    """A verified webhook, stored once per (gateway account, event id) before it is applied."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gateway_name = models.CharField(max_length=50)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)
    gateway_config = models.ForeignKey(
        PaymentGatewayConfig, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_events"
    )
    # The account the event was delivered for: the config's id, or PLATFORM_ACCOUNT for the
    # platform's own endpoint. Kept as text so it outlives a deleted config.
    gateway_account = models.CharField(max_length=64, default="platform")
    payment = models.ForeignKey(
        InvoicePayment, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_events"
    )
    # The provider's payment id (e.g. a PaymentIntent), so an event that arrives before the
    # payment is linked to it can be applied once it is.
    object_reference = models.CharField(max_length=255, blank=True, db_index=True)
    payload = models.JSONField()
    # The gateway's reading of the payload (a serialized GatewayEvent), kept so a failed or
    # ignored event can be processed again without its (by then stale) signature.
    normalized = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=WebhookEventStatus.choices, default=WebhookEventStatus.RECEIVED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        # Once per gateway account: one tenant's event id can never shadow another's.
        constraints = [
            models.UniqueConstraint(
                fields=["gateway_name", "gateway_account", "event_id"], name="webhook_event_once_per_account"
            )
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="webhook_status_received")]

    def __str__(self) -> str:
        return f"{self.gateway_name} {self.event_type} {self.event_id}"
