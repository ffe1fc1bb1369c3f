"""Recurring template request validation and response shape (the contract's field names)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from core.money import MoneyError, format_amount, normalize_currency, parse_amount
from core.serializers import AmountInput
from recurring.models import Interval, RecurringInvoice, TemplateStatus

MAX_ITEMS = 100


class ItemSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    unit_price = AmountInput(help_text='Decimal string in the currency, e.g. "120.00".')


class RecurringInvoiceSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True)
    currency = serializers.CharField(max_length=3, required=False, help_text="ISO 4217 code; USD when omitted.")
    interval = serializers.ChoiceField(choices=Interval.choices, required=False)
    interval_count = serializers.IntegerField(min_value=1, max_value=52, required=False)
    count = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    days_until_due = serializers.IntegerField(min_value=0, max_value=365, required=False)
    status = serializers.ChoiceField(choices=TemplateStatus.choices, read_only=True)
    next_issue_date = serializers.DateField(
        read_only=True, help_text="Null once the template has ended or is canceled."
    )
    autopay = serializers.BooleanField(read_only=True, help_text="The client saved a payment method for autopay.")
    autopay_method = serializers.CharField(source="autopay_method_label", read_only=True)

    class Meta:
        model = RecurringInvoice
        fields = (
            "id",
            "client_name",
            "client_email",
            "currency",
            "items",
            "allow_partial_payments",
            "notes",
            "interval",
            "interval_count",
            "start_date",
            "end_date",
            "count",
            "days_until_due",
            "status",
            "next_issue_date",
            "issued_count",
            "autopay",
            "autopay_method",
            "created_at",
        )
        read_only_fields = ("id", "issued_count", "created_at")

    def validate_currency(self, value: str) -> str:
        try:
            return normalize_currency(value)
        except MoneyError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not items:
            raise serializers.ValidationError("Add at least one item.")
        if len(items) > MAX_ITEMS:
            raise serializers.ValidationError(f"At most {MAX_ITEMS} items.")
        return items

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        currency = attrs.get("currency") or (self.instance.currency if self.instance else "USD")
        if "items" in attrs:
            errors: dict[int, Any] = {}
            cleaned = []
            for index, item in enumerate(attrs["items"]):
                try:
                    price = parse_amount(item["unit_price"], currency)
                except MoneyError as exc:
                    errors[index] = {"unit_price": [str(exc)]}
                    continue
                if price < 0:
                    errors[index] = {"unit_price": ["The unit price cannot be negative."]}
                    continue
                cleaned.append(
                    {
                        "description": item["description"],
                        "quantity": f"{item['quantity'].normalize():f}",
                        "unit_price": f"{price:f}",
                    }
                )
            if errors:
                raise serializers.ValidationError({"items": errors})
            attrs["items"] = cleaned
        return attrs

    def to_representation(self, instance: RecurringInvoice) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["items"] = [
            {**item, "unit_price": format_amount(Decimal(item["unit_price"]), instance.currency)}
            for item in instance.items
        ]
        return data
