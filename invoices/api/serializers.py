"""Invoice request validation and response shapes (the contract's field names)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.money import (
    MAX_AMOUNT,
    MoneyError,
    format_amount,
    normalize_currency,
    parse_amount,
)
from core.serializers import AmountInput, CurrencyExponentField, MoneyField
from invoices.models import Invoice, InvoiceItem, InvoiceStatus
from invoices.services import line_amount

MAX_ITEMS = 100
DEFAULT_CURRENCY = "USD"
class InvoiceItemInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price = AmountInput()

    def validate_quantity(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError("The quantity must be greater than 0.")
        return value


class InvoiceCreateSerializer(serializers.Serializer):
    """Body of ``POST /api/invoices/``. Totals and amounts are computed, so they are not accepted."""

    number = serializers.CharField(max_length=32, required=False, allow_null=True)
    client_name = serializers.CharField(max_length=200)
    client_email = serializers.EmailField(required=False, allow_blank=True)
    currency = serializers.CharField(max_length=3, required=False, help_text="ISO 4217 code; USD when omitted.")
    issue_date = serializers.DateField(required=False, help_text="Today when omitted.")
    due_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    allow_partial_payments = serializers.BooleanField(required=False)
    items = InvoiceItemInputSerializer(many=True, required=False, max_length=MAX_ITEMS)
    link_expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the payment link stops working (410 `link_expired`); must be in the future; null for never.",
    )

    def validate_currency(self, value: str) -> str:
        try:
            return normalize_currency(value)
        except MoneyError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Invoice | None = self.instance
        currency = attrs.get("currency") or (instance.currency if instance else DEFAULT_CURRENCY)
        if "items" in attrs:
            attrs["items"] = self._validate_items(attrs["items"], currency)
        issue_date = attrs.get("issue_date") or (instance.issue_date if instance else timezone.localdate())
        due_date = attrs.get("due_date", instance.due_date if instance else None)
        if due_date and due_date < issue_date:
            raise serializers.ValidationError({"due_date": ["The due date cannot be before the issue date."]})
        return attrs

    def _validate_items(self, items: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
        # Errors keyed by the item's index, like DRF's own list errors: {"items": {"1": {...}}}.
        errors: dict[int, dict[str, list[str]]] = {}
        total = Decimal(0)
        for index, item in enumerate(items):
            try:
                item["unit_price"] = parse_amount(item["unit_price"], currency)
            except MoneyError as exc:
                errors[index] = {"unit_price": [str(exc)]}
                continue
            if item["unit_price"] < 0:
                errors[index] = {"unit_price": ["The unit price cannot be negative."]}
                continue
            amount = line_amount(quantity=item["quantity"], unit_price=item["unit_price"], currency=currency)
            if amount >= MAX_AMOUNT:
                errors[index] = {"quantity": ["Quantity times unit price is too large."]}
            total += amount
        if errors:
            raise serializers.ValidationError({"items": errors})
        if total >= MAX_AMOUNT:
            raise serializers.ValidationError({"items": ["The invoice total is too large."]})
        return items


class InvoiceUpdateSerializer(InvoiceCreateSerializer):
    """Body of ``PATCH /api/invoices/<id>/``: any subset of the creation fields.

    Items, currency, number and issue date change only on a draft; nothing changes on a void invoice.
    """

    number = serializers.CharField(max_length=32, required=False)


class InvoiceItemSerializer(serializers.Serializer):
    description = serializers.CharField(read_only=True)
    quantity = serializers.CharField(read_only=True, help_text="Decimal string, e.g. \"1.5\".")
    unit_price = serializers.CharField(read_only=True, help_text="In the invoice's currency.")
    amount = serializers.CharField(read_only=True, help_text="quantity x unit_price, rounded to the currency.")

    def to_representation(self, item: InvoiceItem) -> dict[str, Any]:
        # item.invoice is the parent already in memory (set by the prefetch): no query per item.
        currency = item.invoice.currency
        return {
            "description": item.description,
            "quantity": f"{item.quantity.normalize():f}",
            "unit_price": format_amount(item.unit_price, currency),
            "amount": format_amount(item.amount, currency),
        }


class InvoiceSerializer(serializers.Serializer):
    """An invoice as its owner sees it."""

    id = serializers.UUIDField(read_only=True)
    public_id = serializers.UUIDField(
        read_only=True, help_text="The id in payment_url, taken by the public endpoints; changes when the link is regenerated."
    )
    number = serializers.CharField(read_only=True)
    client_name = serializers.CharField(read_only=True)
    client_email = serializers.EmailField(read_only=True)
    currency = serializers.CharField(read_only=True)
    issue_date = serializers.DateField(read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=InvoiceStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="The status in words.")
    currency_exponent = CurrencyExponentField()
    payable = serializers.BooleanField(source="is_payable", read_only=True, help_text="The client can pay it online now.")
    can_send = serializers.BooleanField(read_only=True, help_text="A draft can be sent.")
    can_void = serializers.BooleanField(
        read_only=True, help_text="A sent invoice can be voided (409 while it holds money not refunded)."
    )
    can_delete = serializers.BooleanField(read_only=True, help_text="Only a draft can be deleted.")
    can_edit = serializers.BooleanField(read_only=True, help_text="Anything but a void invoice can be edited.")
    can_edit_items = serializers.BooleanField(
        read_only=True, help_text="Items, currency, number and issue date change only on a draft."
    )
    items = InvoiceItemSerializer(many=True, read_only=True, source="items.all")
    total = MoneyField()
    amount_paid = MoneyField(help_text="Succeeded payments net of refunds.")
    amount_refunded = MoneyField()
    amount_credited = MoneyField(help_text="What refunds made with invoice_effect \"credit\" took off what the client owes.")
    amount_disputed = MoneyField(help_text="Lost disputes (chargebacks): taken back by the payer's bank, not in amount_paid.")
    amount_due = MoneyField(help_text="total - amount_credited - amount_paid, never below zero.")
    amount_overpaid = MoneyField(help_text="Money received beyond what is owed (two checkouts paid at once).")
    allow_partial_payments = serializers.BooleanField(read_only=True)
    payment_url = serializers.SerializerMethodField(help_text="The client's public payment page (carries public_id).")
    link_enabled = serializers.BooleanField(read_only=True, help_text="False once the link is revoked (410 `link_revoked`).")
    link_expires_at = serializers.DateTimeField(read_only=True, allow_null=True)
    link_state = serializers.SerializerMethodField(help_text="`live`, `revoked` or `expired`: whether the link works now.")
    notes = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_payment_url(self, invoice: Invoice) -> str:
        return f"{settings.PUBLIC_BASE_URL}/pay/{invoice.public_id}"

    @extend_schema_field({"type": "string", "enum": ["live", "revoked", "expired"]})
    def get_link_state(self, invoice: Invoice) -> str:
        return invoice.link_state(timezone.now())


class ActivitySerializer(serializers.Serializer):
    """One event on an invoice's timeline."""

    at = serializers.DateTimeField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="The kind in words.")
    actor = serializers.CharField(read_only=True, help_text="`owner`, `client`, `system` or a gateway's name.")
    details = serializers.DictField(read_only=True, help_text="Amounts as decimal strings with their currency.")


class InvoiceListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InvoiceStatus.choices, required=False)
