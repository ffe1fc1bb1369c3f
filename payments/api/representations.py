"""Payments (and, for the client, the public invoice) in the contract's shape, as plain dicts.

The serializers in ``payments.api.serializers`` stay the documented shapes (OpenAPI) and serve
every other endpoint; these give the same bodies without DRF's per-request field machinery
(``core.fast_shape``): a hand-written getter per field below, the serializer's own field for any
field added to it since. ``payments/tests/test_query_budget.py`` holds the outputs equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers

from core.fast_shape import FastShape, Getter, date_text, datetime_text, datetime_writer
from core.money import exponent, format_amount
from invoices.listing import Item
from payments import state
from payments.api import serializers as s
from payments.listing import PaymentRow, PublicInvoiceRead
from payments.models import DisputeStatus


def _attr(name: str) -> Getter:
    return lambda obj, _: getattr(obj, name)


def _money(name: str) -> Getter:
    return lambda obj, _: format_amount(getattr(obj, name), obj.currency)


def _at(name: str) -> Getter:
    # The page's writer (the time zone looked up once) where the list passed one, else DRF's conversion.
    return lambda obj, context: context.get("write_datetime", datetime_text)(getattr(obj, name))


def _label(choices: type[Any]) -> Getter:
    """What ``get_status_display()`` gives, without building the choices' lookup table per row."""
    labels = dict(choices.choices)
    return lambda obj, _: str(labels.get(obj.status, obj.status))


def _optional_fee(name: str) -> Getter:
    return lambda p, _: None if getattr(p, name) is None else format_amount(getattr(p, name), p.fee_currency)


_REFUND = FastShape(
    s.RefundSerializer,
    {
        "refund_id": lambda r, _: str(r.id),
        "amount": _money("amount"),
        **{
            name: _attr(name) for name in ("currency", "status", "reason", "source", "invoice_effect", "failure_reason")
        },
        "status_display": _label(state.RefundStatus),
        "created_at": _at("created_at"),
    },
)

_DISPUTE = FastShape(
    s.DisputeSerializer,
    {
        "amount": _money("amount"),
        **{name: _attr(name) for name in ("currency", "reason", "status")},
        "status_display": _label(DisputeStatus),
        "evidence_due_by": _at("evidence_due_by"),
        "created_at": _at("created_at"),
    },
)

_OWNER_PAYMENT = FastShape(
    s.OwnerPaymentSerializer,
    {
        "payment_id": lambda p, _: str(p.id),
        "invoice_id": lambda p, _: str(p.invoice_id),
        **{name: _attr(name) for name in ("status", "currency", "gateway_name", "failure_message", "flagged_reason")},
        "fee_currency": _attr("fee_currency"),
        "status_display": _label(state.PaymentStatus),
        "amount": _money("amount"),
        "amount_refunded": _money("amount_refunded"),
        "amount_refundable": _money("amount_refundable"),
        "can_refund": _attr("can_refund"),
        "currency_exponent": lambda p, _: exponent(p.currency),
        "is_open": lambda p, _: p.status in state.OPEN,
        "is_paid": lambda p, _: p.status in state.SETTLED,
        "fee": _optional_fee("fee"),
        "net": _optional_fee("net"),
        "created_at": _at("created_at"),
        "updated_at": _at("updated_at"),
        "refunds": lambda p, context: [_REFUND(refund, **context) for refund in context["row"].refunds],
        "disputes": lambda p, context: [_DISPUTE(dispute, **context) for dispute in context["row"].disputes],
    },
)


def owner_payment_data(row: PaymentRow, **context: Any) -> dict[str, Any]:
    """``OwnerPaymentSerializer(payment).data`` for a payment with its refunds and disputes."""
    return _OWNER_PAYMENT(row.payment, row=row, **context)


def payment_list_data(page: Iterable[PaymentRow]) -> list[dict[str, Any]]:
    write_datetime = datetime_writer()
    return [owner_payment_data(row, write_datetime=write_datetime) for row in page]


# DRF's own decimal output for an item's quantity (quantized, normalized): stateless, shared.
_QUANTITY = serializers.DecimalField(max_digits=12, decimal_places=3, normalize_output=True)


def _public_item(item: Item, currency: str) -> dict[str, Any]:
    return {
        "description": item.description,
        "quantity": _QUANTITY.to_representation(item.quantity),
        "unit_price": format_amount(item.unit_price, currency),
        "amount": format_amount(item.amount, currency),
    }


_PUBLIC_REFUND = FastShape(
    s.PublicRefundSerializer,
    {
        "amount": _money("amount"),
        **{name: _attr(name) for name in ("currency", "status", "invoice_effect")},
        "created_at": _at("created_at"),
    },
)

# issuer_name and issuer come from the serializer's own methods (the business profile is
# already on the invoice's owner, read in the same query as the invoice).
_PUBLIC_INVOICE = FastShape(
    s.PublicInvoiceSerializer,
    {
        **{name: _attr(name) for name in ("number", "client_name", "currency", "status", "allow_partial_payments")},
        **{name: _money(name) for name in ("total", "amount_paid", "amount_refunded", "amount_credited", "amount_due")},
        "items": lambda invoice, context: [_public_item(item, invoice.currency) for item in context["read"].items],
        "refunds": lambda invoice, context: [_PUBLIC_REFUND(refund) for refund in context["read"].refunds],
        "status_display": lambda invoice, _: str(invoice.get_status_display()),
        "currency_exponent": lambda invoice, _: exponent(invoice.currency),
        "due_date": lambda invoice, _: date_text(invoice.due_date),
        "payable": lambda invoice, _: invoice.is_payable,
    },
)


def public_invoice_data(read: PublicInvoiceRead) -> dict[str, Any]:
    """``PublicInvoiceSerializer(invoice).data`` for the invoice, its items and its refunds."""
    return _PUBLIC_INVOICE(read.invoice, read=read)
