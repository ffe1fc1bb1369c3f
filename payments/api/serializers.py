"""Serializers of the payment API (input validation and the contract's response shapes)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.services import profile_for, public_issuer
from core.money import format_amount
from core.serializers import AmountInput, CurrencyExponentField, MoneyField
from payments import selectors, state
from payments.gateways import registry
from payments.models import (
    GatewayMode,
    InvoiceEffect,
    InvoicePayment,
    PaymentDispute,
    PaymentGatewayConfig,
    PaymentRefund,
    WebhookMode,
)


class GatewayConfigSerializer(serializers.ModelSerializer):
    credentials = serializers.DictField(child=serializers.CharField(allow_blank=True), write_only=True, required=False)
    webhook_url = serializers.CharField(read_only=True)
    needs_webhook_setup = serializers.SerializerMethodField(
        help_text="Whether the webhook URL must be registered at the gateway (false for the sandbox)."
    )
    verified = serializers.SerializerMethodField(
        help_text="The gateway accepted these credentials (a successful verify); false again once they change."
    )
    mode = serializers.ChoiceField(choices=GatewayMode.choices, default=GatewayMode.TEST)
    is_default = serializers.BooleanField(required=False)
    verify_error = serializers.CharField(
        read_only=True,
        help_text="Why the keys could not be checked last time (the gateway unreachable, say); empty once they are.",
    )
    webhook_mode = serializers.ChoiceField(
        choices=WebhookMode.choices,
        read_only=True,
        help_text="managed: Trackify created the webhook endpoint at the gateway; manual: the user pasted its secret.",
    )
    manages_webhooks = serializers.SerializerMethodField(
        help_text="The gateway can create its webhook endpoint for the user (repair-webhooks is available)."
    )

    class Meta:
        model = PaymentGatewayConfig
        fields = [
            "id",
            "gateway_name",
            "display_name",
            "is_active",
            "is_default",
            "mode",
            "credentials",
            "credentials_preview",
            "webhook_url",
            "needs_webhook_setup",
            "verified",
            "verified_at",
            "verify_error",
            "webhook_mode",
            "manages_webhooks",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "credentials_preview", "webhook_url", "verified_at", "created_at", "updated_at"]

    def get_needs_webhook_setup(self, config: PaymentGatewayConfig) -> bool:
        return registry.get(config.gateway_name).needs_webhook_setup if registry.is_registered(config.gateway_name) else True

    def get_manages_webhooks(self, config: PaymentGatewayConfig) -> bool:
        return registry.is_registered(config.gateway_name) and registry.get(config.gateway_name).supports_managed_webhooks

    def get_verified(self, config: PaymentGatewayConfig) -> bool:
        return config.verified_at is not None

    def validate_gateway_name(self, value: str) -> str:
        if self.instance is not None and value != self.instance.gateway_name:
            raise serializers.ValidationError("The gateway of a configuration cannot change; add a new one.")
        if not registry.is_registered(value):
            names = ", ".join(registry.available())
            raise serializers.ValidationError(f"Unknown gateway '{value}'. Installed: {names}.")
        return value


class CredentialFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    secret = serializers.BooleanField()
    required = serializers.BooleanField()
    help_text = serializers.CharField()


class GatewayTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    display_name = serializers.CharField()
    credential_fields = CredentialFieldSerializer(many=True)
    needs_webhook_setup = serializers.BooleanField()


class VerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    verified = serializers.BooleanField(help_text="The config now counts as verified.")
    verified_at = serializers.DateTimeField(allow_null=True)
    webhook_mode = serializers.ChoiceField(
        choices=WebhookMode.choices, help_text="managed once the verify created the missing webhook endpoint."
    )


class CreateSessionSerializer(serializers.Serializer):
    invoice_id = serializers.UUIDField(help_text="The invoice's public id, the one in its payment_url (not its id).")
    amount = AmountInput(required=False, allow_null=True)
    gateway_config_id = serializers.UUIDField(required=False, allow_null=True)
    save_payment_method = serializers.BooleanField(
        required=False, default=False,
        help_text="The client agrees to autopay: the gateway offers to save the method for the recurring "
        "invoice's later invoices (ignored for other invoices and gateways without saved methods).",
    )


class CheckoutSessionSerializer(serializers.ModelSerializer):
    payment_id = serializers.UUIDField(source="id")
    amount = MoneyField()

    class Meta:
        model = InvoicePayment
        fields = ["payment_id", "checkout_url", "status", "amount", "currency", "expires_at"]


class PaymentStatusSerializer(serializers.ModelSerializer):
    payment_id = serializers.UUIDField(source="id")
    invoice_id = serializers.UUIDField(source="invoice.public_id", help_text="The invoice's public id (its link's).")
    amount = MoneyField()
    amount_refunded = MoneyField()
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="The status in words.")
    currency_exponent = CurrencyExponentField()
    is_open = serializers.SerializerMethodField(help_text="Pending or processing: the gateway has not decided yet.")
    is_paid = serializers.SerializerMethodField(help_text="The money was captured (whether or not refunded since).")

    class Meta:
        model = InvoicePayment
        fields = [
            "payment_id",
            "invoice_id",
            "status",
            "status_display",
            "amount",
            "amount_refunded",
            "currency",
            "currency_exponent",
            "is_open",
            "is_paid",
            "gateway_name",
            "failure_message",
            "created_at",
            "updated_at",
        ]

    def get_is_open(self, payment: InvoicePayment) -> bool:
        return payment.status in state.OPEN

    def get_is_paid(self, payment: InvoicePayment) -> bool:
        return payment.status in state.SETTLED


class RefundSerializer(serializers.ModelSerializer):
    refund_id = serializers.UUIDField(source="id")
    amount = MoneyField()
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="The status in words.")

    class Meta:
        model = PaymentRefund
        fields = [
            "refund_id",
            "amount",
            "currency",
            "status",
            "status_display",
            "reason",
            "source",
            "invoice_effect",
            "failure_reason",
            "created_at",
        ]


class DisputeSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="The status in words.")

    class Meta:
        model = PaymentDispute
        fields = ["amount", "currency", "reason", "status", "status_display", "evidence_due_by", "created_at"]


class OwnerPaymentSerializer(PaymentStatusSerializer):
    invoice_id = serializers.UUIDField(read_only=True, help_text="The invoice's id (the owner's endpoints take it).")
    refunds = RefundSerializer(many=True, read_only=True)
    amount_refundable = MoneyField(help_text="What a refund may still give back (0 unless the payment was captured).")
    can_refund = serializers.BooleanField(read_only=True, help_text="The payment can be refunded now.")
    fee = serializers.SerializerMethodField(help_text="What the gateway took, in fee_currency; null until it reports it.")
    net = serializers.SerializerMethodField(help_text="What reached the owner's balance, in fee_currency; null until known.")
    disputes = DisputeSerializer(many=True, read_only=True)

    class Meta(PaymentStatusSerializer.Meta):
        fields = [
            *PaymentStatusSerializer.Meta.fields,
            "amount_refundable",
            "can_refund",
            "flagged_reason",
            "fee",
            "net",
            "fee_currency",
            "refunds",
            "disputes",
        ]

    def get_fee(self, payment: InvoicePayment) -> str | None:
        return format_amount(payment.fee, payment.fee_currency) if payment.fee is not None else None

    def get_net(self, payment: InvoicePayment) -> str | None:
        return format_amount(payment.net, payment.fee_currency) if payment.net is not None else None


class RefundRequestSerializer(serializers.Serializer):
    amount = AmountInput(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    invoice_effect = serializers.ChoiceField(
        choices=InvoiceEffect.choices,
        default=InvoiceEffect.CREDIT,
        help_text="credit: taken off what the client owes (a paid invoice stays paid); reopen: the client owes it again.",
    )


class RefundCreatedSerializer(serializers.ModelSerializer):
    refund_id = serializers.UUIDField(source="id")
    payment_id = serializers.UUIDField()
    amount = MoneyField()
    payment_status = serializers.CharField(source="payment.status")

    class Meta:
        model = PaymentRefund
        fields = [
            "refund_id",
            "payment_id",
            "amount",
            "currency",
            "status",
            "payment_status",
            "invoice_effect",
            "created_at",
        ]


class PublicItemSerializer(serializers.Serializer):
    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, normalize_output=True)
    unit_price = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()

    def get_unit_price(self, item: Any) -> str | None:
        return format_amount(item.unit_price, self.context["currency"])

    def get_amount(self, item: Any) -> str | None:
        return format_amount(item.amount, self.context["currency"])


class PublicRefundSerializer(serializers.ModelSerializer):
    """A refund as the client sees it: how much, what it did to the bill, when. The owner's
    reason is left out: it is a note written for the owner, not for the client."""

    amount = MoneyField()

    class Meta:
        model = PaymentRefund
        fields = ["amount", "currency", "status", "invoice_effect", "created_at"]


class PublicInvoiceSerializer(serializers.Serializer):
    """What anyone holding the link sees: no emails, no owner id, no gateway details."""

    invoice_id = serializers.UUIDField(source="public_id", help_text="The public id, the one in the link.")
    number = serializers.CharField()
    issuer_name = serializers.SerializerMethodField(help_text="The business name of the profile; empty when unset.")
    issuer = serializers.SerializerMethodField(
        help_text="The business profile as clients see it: name, contact_email, address, tax_id, logo_url, accent_color."
    )
    client_name = serializers.CharField()
    currency = serializers.CharField()
    items = serializers.SerializerMethodField()
    total = MoneyField()
    amount_paid = MoneyField(help_text="What the client paid, net of every refund.")
    amount_refunded = MoneyField(help_text="Given back to the client.")
    amount_credited = MoneyField(help_text="Refunds taken off what the client owes.")
    amount_due = MoneyField()
    refunds = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display", help_text="The status in words.")
    currency_exponent = CurrencyExponentField()
    due_date = serializers.DateField()
    payable = serializers.BooleanField(source="is_payable")
    allow_partial_payments = serializers.BooleanField()

    def get_issuer_name(self, invoice: Any) -> str:
        # Never the login username or the account's email: with no name set, no "from" line.
        return str(profile_for(invoice.owner).business_name)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "contact_email": {"type": "string"},
                "address": {"type": "string"},
                "tax_id": {"type": "string"},
                "logo_url": {"type": "string", "format": "uri", "nullable": True},
                "accent_color": {"type": "string"},
            },
        }
    )
    def get_issuer(self, invoice: Any) -> dict[str, Any]:
        return public_issuer(invoice.owner)

    @extend_schema_field(PublicRefundSerializer(many=True))
    def get_refunds(self, invoice: Any) -> list[dict[str, Any]]:
        return PublicRefundSerializer(selectors.public_refunds(invoice.pk), many=True).data

    def get_items(self, invoice: Any) -> list[dict[str, Any]]:
        return PublicItemSerializer(invoice.items.all(), many=True, context={"currency": invoice.currency}).data
