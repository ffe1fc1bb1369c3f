"""The API's shared pieces of the contract: the one money schema, the money fields and the one
error body, used by every app's serializers and OpenAPI descriptions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from core.money import exponent, format_amount

MONEY_SCHEMA = {
    "type": "string",
    "pattern": r"^-?\d+(\.\d{1,3})?$",
    "example": "1250.00",
    "description": "A decimal amount with exactly the currency's number of decimal places.",
}


@extend_schema_field(MONEY_SCHEMA)
class MoneyField(serializers.Field):
    """A read-only amount shown as the contract's decimal string, with the currency's places.

    ``currency_source`` names the attribute of the serialized object that holds the currency.
    """

    def __init__(self, *, currency_source: str = "currency", **kwargs: Any) -> None:
        kwargs["read_only"] = True
        self.currency_source = currency_source
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        self._currency = getattr(instance, self.currency_source)
        return super().get_attribute(instance)

    def to_representation(self, value: Decimal) -> str | None:
        return format_amount(value, self._currency)


class CurrencyExponentField(serializers.IntegerField):
    """How many decimal places the object's currency has (0 for JPY, 2 for USD, 3 for KWD).

    Clients format and check amounts with it, so none keeps its own copy of the table.
    """

    def __init__(self, *, currency_source: str = "currency", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Decimal places of the currency: 0 for JPY, 2 for USD, 3 for KWD.")
        super().__init__(source=currency_source, read_only=True, **kwargs)

    def to_representation(self, value: str) -> int:
        return exponent(value)


@extend_schema_field({**MONEY_SCHEMA, "description": "A decimal string such as \"12.50\"; a JSON number is read exactly."})
class AmountInput(serializers.Field):
    """An amount as a client sends it, kept as given for the domain to check against the currency.

    A JSON number is accepted: the API's parser reads it as a ``Decimal``, exactly, never through a
    float, so ``12.5`` and ``"12.50"`` mean the same. Anything else that is not text is refused.
    """

    default_error_messages = {"invalid": 'Send the amount as a decimal string, e.g. "12.50".'}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (str, int, Decimal)):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> str:
        return str(value)


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx answer."""

    code = serializers.CharField(help_text="A stable snake_case code.")
    message = serializers.CharField(help_text="A sentence for people.")
    details = serializers.DictField(help_text="Per-field messages for `invalid`; other facts otherwise.")


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses in the error shape, one for each status."""
    return {status: OpenApiResponse(ErrorSerializer) for status in statuses}
